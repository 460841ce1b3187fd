// Reads LiteLLM's model_prices_and_context_window.json: {model key: {"litellm_provider": ...,
// prices per token as JSON number literals, capabilities}}, in the file's key order.
//
// The model is the key exactly as written, also when it starts with "<provider>/": that is a
// name callers use, and model resolution strips a route prefix itself when it needs to.
//
// Prices are per token; each literal is multiplied by 1,000,000 exactly (Decimal arithmetic on
// its text). A price key is <kind>[_above_<N>k_tokens][_batches|_priority|_flex]:
//   kinds   input_cost_per_token -> input, output_cost_per_token -> output,
//           cache_read_input_token_cost -> cached_input,
//           cache_creation_input_token_cost -> cache_write (5-minute writes),
//           cache_creation_input_token_cost_above_1hr -> cache_write_1h,
//           output_cost_per_reasoning_token -> reasoning;
//   _above_<N>k_tokens  a context tier: LiteLLM applies it to the whole request when its
//           prompt_tokens (cache tokens included) are GREATER than N*1000, which is what
//           above_prompt_tokens = N*1000 means to the cost formula;
//   _batches, _priority, _flex  the rates of that service tier (pricing_structure
//           .service_tiers.batch / .priority / .flex), tiers included.
// A service tier's rates replace the standard rates of the kinds they name, as LiteLLM falls
// back to the standard key for the others. Every other price (audio, image, per second, search,
// multipliers, input_cost_per_token_cache_hit) is kept in pricing_structure.unapplied and listed.
//
// Where no key says, LiteLLM's own calculator and the cost formula differ: for a batch,
// priority or flex request above a threshold for which the tier has no _above_<N>k_tokens_<tier>
// key at all, LiteLLM charges the STANDARD _above_ prices, while the formula leaves the record
// unpriced ("no price for this service tier at this context size": the providers discount
// long-context requests too, so neither the standard nor the short-context tier rate is the
// price); and LiteLLM's batch calculator charges cached prompt tokens at
// input_cost_per_token_batches, the formula at the cached price (unless a _batches cache key
// gives one).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>

#include "../cli_error.hpp"
#include "price_import.hpp"
#include "price_import_support.hpp"

namespace costops::cli {

using namespace importers;

namespace {

constexpr int64_t kTokensPerPriceUnit = 1000000;

// The source key of each column's base price, in PriceColumn order.
const char* const kColumnKeys[kPriceColumnCount] = {"input_cost_per_token",
                                                    "output_cost_per_token",
                                                    "cache_read_input_token_cost",
                                                    "cache_creation_input_token_cost",
                                                    "cache_creation_input_token_cost_above_1hr",
                                                    "output_cost_per_reasoning_token"};

// The key suffix of each service tier with rates of its own.
const std::pair<std::string_view, ServiceTier> kServiceTierSuffixes[] = {
    {"_batches", ServiceTier::Batch},
    {"_priority", ServiceTier::Priority},
    {"_flex", ServiceTier::Flex}};

// What a price key the formula applies stands for.
struct PriceKey {
    PriceColumn column;
    std::optional<int64_t> above_prompt_tokens;  // a context tier; nullopt = the base price
    ServiceTier service = ServiceTier::Standard;
};

// Collects the keys of the top-level object in the order the file has them (the DOM keeps
// object keys sorted).
class TopLevelKeys : public nlohmann::json_sax<Json> {
  public:
    std::vector<std::string> keys;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return ++depth_ > 0; }
    bool key(string_t& k) override {
        if (depth_ == 1) keys.push_back(k);
        return true;
    }
    bool end_object() override { return --depth_ >= 0; }
    bool start_array(std::size_t) override { return ++depth_ > 0; }
    bool end_array() override { return --depth_ >= 0; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    int depth_ = 0;
};

// The model keys in file order (parse_json_exact has already refused repeated keys).
std::vector<std::string> model_keys(const std::string& text) {
    TopLevelKeys collector;
    Json::sax_parse(text, &collector);
    return collector.keys;
}

// A per-token literal as exact price text per 1M tokens.
std::string per_million(const Json& value, const std::string& key) {
    return price_text(literal_decimal(value, key, kTokensPerPriceUnit), key, value);
}

// Whether `text` ends with `suffix`.
bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The column and threshold of "<column key>" or "<column key>_above_<N>k_tokens", if it is one.
std::optional<std::pair<PriceColumn, std::optional<int64_t>>> column_and_tier(
    const std::string& key) {
    static const std::string kMiddle = "_above_", kEnd = "k_tokens";
    for (size_t c = 0; c < kPriceColumnCount; ++c) {
        if (key == kColumnKeys[c]) return std::make_pair(static_cast<PriceColumn>(c), std::nullopt);
    }
    for (size_t c = 0; c < kPriceColumnCount; ++c) {
        std::string head = kColumnKeys[c] + kMiddle;
        if (key.size() <= head.size() + kEnd.size() || key.compare(0, head.size(), head) != 0 ||
            !ends_with(key, kEnd)) {
            continue;
        }
        std::string digits = key.substr(head.size(), key.size() - head.size() - kEnd.size());
        bool numeric = digits.size() <= 9 && std::all_of(digits.begin(), digits.end(), [](char ch) {
                           return std::isdigit(static_cast<unsigned char>(ch)) != 0;
                       });
        if (numeric) {
            return std::make_pair(static_cast<PriceColumn>(c),
                                  std::optional<int64_t>(std::stoll(digits) * 1000));
        }
    }
    return std::nullopt;
}

// The meaning of a key of the form in the file comment, if it is one.
std::optional<PriceKey> price_key(const std::string& key) {
    std::string rest = key;
    ServiceTier service = ServiceTier::Standard;
    for (const auto& [suffix, tier] : kServiceTierSuffixes) {
        if (ends_with(rest, suffix)) {
            rest.resize(rest.size() - suffix.size());
            service = tier;
            break;
        }
    }
    auto parsed = column_and_tier(rest);
    if (!parsed) return std::nullopt;
    return PriceKey{parsed->first, parsed->second, service};
}

// Whether a key the formula does not use still carries a price (a cost, a price multiplier,
// or Anthropic's per-mode multipliers), as opposed to capabilities and limits.
bool is_price_key(const std::string& key) {
    return key.find("cost") != std::string::npos || key.find("multiplier") != std::string::npos ||
           key == "provider_specific_entry";
}

// Reads one key of a model into `set`: a price, a tier, an unapplied price, or nothing.
void read_key(PriceSet& set, const std::string& key, const Json& value) {
    if (value.is_null()) return;  // not set
    if (auto priced = price_key(key)) {
        if (priced->above_prompt_tokens) {
            return set.set_tier(*priced->above_prompt_tokens, priced->column,
                                per_million(value, key), key, priced->service);
        }
        return set.set_base(priced->column, per_million(value, key), priced->service);
    }
    if (is_price_key(key)) set.keep_unapplied(key, value);
}

// The one row of a model entry.
ModelRows model_rows(const std::string& provider, const std::string& model, const Json& spec) {
    if (provider.empty()) throw Unmappable("has no litellm_provider");
    PriceSet set;
    for (auto it = spec.begin(); it != spec.end(); ++it) read_key(set, it.key(), it.value());
    set.require_input_or_output("the entry");
    ModelRows out;
    out.rows.push_back(set.to_row(provider, model));
    note_unapplied(out, set);
    return out;
}

// The entry's litellm_provider, or "" when it has none.
std::string provider_of(const Json& spec) {
    auto provider = spec.find("litellm_provider");
    return provider != spec.end() && provider->is_string() ? provider->get<std::string>() : "";
}

}  // namespace

PriceImport read_litellm_prices(std::istream& in, const std::string& file_name) {
    std::string text = read_file_text(in, file_name);
    Json doc = parse_file_json(text, file_name);
    if (!doc.is_object()) throw CliError(file_name + ": expected a JSON object of models");
    PriceImport out;
    out.source = "litellm";
    for (const std::string& model : model_keys(text)) {
        if (model == "sample_spec") continue;  // LiteLLM's documentation of the format
        const Json& spec = doc.at(model);
        if (!spec.is_object())
            throw CliError(file_name + ": model \"" + model + "\" is not an object");
        std::string provider = provider_of(spec);
        add_model(out, provider, model, [&] { return model_rows(provider, model, spec); });
    }
    return out;
}

}  // namespace costops::cli
