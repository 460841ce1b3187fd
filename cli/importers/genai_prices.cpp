// Reads pydantic/genai-prices' data.json: a list of providers, each with its models and their
// prices in USD per 1M tokens (the literals are kept exactly).
//
// Context tiers: genai-prices (calc_unit_price) charges a tier's price for ALL tokens of a
// request when its total input tokens, cache reads and writes included (our prompt_tokens),
// are GREATER than the tier's "start". So "start": 200000 maps to above_prompt_tokens 200000:
// 200,000 prompt tokens stay in the base tier, 200,001 move, as the formula's tiers do.
//
// Price lists: genai-prices uses the LAST entry whose constraint holds, else the first. The
// shape mapped is a first entry (unconstrained, or dated: then the model has no price before
// that date, as the domain rules want, where genai-prices would fall back to it) followed by
// constrained ones: a start_date entry starts a new row at that date 00:00 UTC (dates
// ascending); a start_time/end_time entry is a time-of-day window (UTC, [start, end), which may
// wrap past midnight) of the rows of the entries before it (a later start_date entry wins over
// an earlier window, so the window does not apply to that later row), later windows first.
//
// Model resolution: each model's `match` expression becomes a match rule (provider, model, the
// expression as written), in file order, once it parses as extension/core/model_match.hpp's
// ModelMatcher does; "contains" clauses are kept but never match there (a substring is a
// guess), and each model that has them gets a note. A provider's fallback_model_providers
// become (provider, fallback) pairs in order. A provider's own provider_match and model_match
// (which provider a request or a model name belongs to, mostly "contains" guesses) are NOT
// imported: records name their provider.
#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "../cli_error.hpp"
#include "model_match.hpp"
#include "price_import.hpp"
#include "price_import_support.hpp"

namespace costops::cli {

using namespace importers;

namespace {

// One entry of a model's price list: its constraint and its prices.
struct Conditional {
    size_t index = 0;
    std::optional<std::string> start_date;  // YYYY-MM-DD
    std::optional<std::string> from, to;    // daily UTC window, HH:MM:SS
    PriceSet prices;
};

// The column a genai-prices dimension fills, if the cost formula prices it.
std::optional<PriceColumn> column_for(const std::string& key) {
    if (key == "input_mtok") return PriceColumn::input;
    if (key == "output_mtok") return PriceColumn::output;
    if (key == "cache_read_mtok") return PriceColumn::cached_input;
    if (key == "cache_write_mtok") return PriceColumn::cache_write;
    return std::nullopt;
}

// A per-1M-tokens literal as exact price text.
std::string mtok_price(const Json& value, const std::string& key) {
    return price_text(literal_decimal(value, key), key, value);
}

// {"base": X, "tiers": [{"start": N, "price": Y}]}: X in the column, each Y in a tier above N.
void read_tiered(PriceSet& set, PriceColumn column, const std::string& key, const Json& value) {
    auto base = value.find("base");
    auto tiers = value.find("tiers");
    if (base == value.end() || tiers == value.end() || !tiers->is_array() || value.size() != 2) {
        throw Unmappable(key + " is neither a number nor {\"base\", \"tiers\"}");
    }
    set.set_base(column, mtok_price(*base, key));
    for (const Json& tier : *tiers) {
        auto start = tier.is_object() ? tier.find("start") : tier.end();
        if (start == tier.end() || !start->is_number_integer() || start->get<int64_t>() < 0 ||
            !tier.contains("price")) {
            throw Unmappable(key + " has a tier that is not {\"start\": tokens, \"price\": X}");
        }
        set.set_tier(start->get<int64_t>(), column, mtok_price(tier["price"], key), key);
    }
}

// requests_kcount (USD per 1000 requests) as the exact fee of one request.
std::string request_fee(const Json& value) {
    const std::string key = "requests_kcount";
    Decimal per_thousand = literal_decimal(value, key);
    Decimal fee = per_thousand.divided_by(1000);
    if (fee.times(1000) != per_thousand) {
        throw Unmappable(key + " = " + json_scalar_text(value) + " has no exact per-request fee");
    }
    return price_text(fee, key, value);
}

// One "prices" object: the four priced dimensions, the request fee, the rest unapplied.
PriceSet read_price_set(const Json& prices, const std::string& what) {
    if (!prices.is_object()) throw Unmappable(what + " is not an object");
    PriceSet set;
    for (auto it = prices.begin(); it != prices.end(); ++it) {
        std::optional<PriceColumn> column = column_for(it.key());
        if (it.value().is_null()) continue;  // not set
        if (it.key() == "requests_kcount") {
            set.set_request_fee(request_fee(it.value()));
        } else if (!column) {
            set.keep_unapplied(it.key(), it.value());
        } else if (it.value().is_object()) {
            read_tiered(set, *column, it.key(), it.value());
        } else {
            set.set_base(*column, mtok_price(it.value(), it.key()));
        }
    }
    // genai-prices lists free models (e.g. OpenRouter ":free") with "prices": {}: a known
    // price of zero, stored as 0, not an unknown one.
    if (prices.empty()) {
        set.set_base(PriceColumn::input, "0");
        set.set_base(PriceColumn::output, "0");
    }
    set.require_input_or_output(what);
    return set;
}

// Whether `text` has the shape of `pattern`, where 'd' stands for any decimal digit.
bool has_shape(const std::string& text, const std::string& pattern) {
    if (text.size() != pattern.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (pattern[i] == 'd' ? !digit : text[i] != pattern[i]) return false;
    }
    return true;
}

// A constraint's "YYYY-MM-DD" date, checked against the calendar.
std::string constraint_date(const Json& value) {
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::string text = value.is_string() ? value.get<std::string>() : "";
    int y = 0, m = 0, d = 0;
    bool ok = has_shape(text, "dddd-dd-dd") &&
              std::sscanf(text.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 &&
              d >= 1 && d <= kDays[m - 1] &&
              (m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
    if (!ok) throw Unmappable("start_date " + dump_exact(value) + " is not a YYYY-MM-DD date");
    return text;
}

// A constraint's UTC time "HH:MM[:SS]" with an optional "Z", as "HH:MM:SS".
std::string constraint_time(const Json& value) {
    std::string text = value.is_string() ? value.get<std::string>() : "";
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    if (text.size() == 5) text += ":00";
    int h = -1, m = -1, s = -1;
    bool ok = has_shape(text, "dd:dd:dd") &&
              std::sscanf(text.c_str(), "%2d:%2d:%2d", &h, &m, &s) == 3 && h < 24 && m < 60 &&
              s < 60;
    if (!ok) throw Unmappable("time " + dump_exact(value) + " is not a UTC time HH:MM:SS");
    return text;
}

// One list entry {constraint?, prices}; a constraint is a start_date or a daily window.
Conditional read_conditional(const Json& entry, size_t index) {
    std::string what = "price list entry " + std::to_string(index + 1);
    if (!entry.is_object()) throw Unmappable(what + " is not an object");
    Conditional c;
    c.index = index;
    c.prices = read_price_set(entry.contains("prices") ? entry["prices"] : Json(), what);
    auto constraint = entry.find("constraint");
    if (constraint == entry.end() || constraint->is_null()) return c;
    if (constraint->is_object() && constraint->size() == 1 && constraint->contains("start_date")) {
        c.start_date = constraint_date((*constraint)["start_date"]);
    } else if (constraint->is_object() && constraint->size() == 2 &&
               constraint->contains("start_time") && constraint->contains("end_time")) {
        c.from = constraint_time((*constraint)["start_time"]);
        c.to = constraint_time((*constraint)["end_time"]);
    } else {
        throw Unmappable(what + " has a constraint other than start_date or start/end_time: " +
                         dump_exact(*constraint));
    }
    return c;
}

// Refuses the list shapes the mapping in the file comment does not cover.
void check_list_shape(const std::vector<Conditional>& entries) {
    if (entries.empty()) throw Unmappable("the price list is empty");
    if (entries[0].from) {
        throw Unmappable("the first entry of the price list is a time window (no default price)");
    }
    std::string last_date = entries[0].start_date.value_or("");
    for (size_t i = 1; i < entries.size(); ++i) {
        const Conditional& c = entries[i];
        if (!c.start_date && !c.from) {
            throw Unmappable("price list entry " + std::to_string(i + 1) +
                             " has no constraint (only the first may)");
        }
        if (c.start_date && *c.start_date <= last_date) {
            throw Unmappable("the start dates of the price list are not ascending");
        }
        if (c.from && *c.from == *c.to) {
            throw Unmappable("time window " + *c.from + ".." + *c.to + " is empty");
        }
        if (c.start_date) last_date = *c.start_date;
    }
}

// The time-of-day windows of the row of `segment`: the windows after it, later ones first.
Json windows_for(const std::vector<Conditional>& entries, const Conditional& segment) {
    Json windows = Json::array();
    for (size_t i = entries.size(); i-- > segment.index + 1;) {
        const Conditional& w = entries[i];
        if (!w.from) continue;
        if (w.prices.request_fee() != segment.prices.request_fee()) {
            throw Unmappable("time window " + *w.from + ".." + *w.to +
                             " has its own requests_kcount; the request fee is per row");
        }
        Json window = w.prices.to_window();
        window["from"] = *w.from;
        window["to"] = *w.to;
        windows.push_back(std::move(window));
    }
    return windows;
}

// One row per date segment of the list, each with the windows that apply to it.
ModelRows rows_of_list(const std::string& provider, const std::string& model,
                       const std::vector<Conditional>& entries) {
    ModelRows out;
    std::vector<const Conditional*> segments;
    for (const Conditional& c : entries) {
        if (!c.from) segments.push_back(&c);
        note_unapplied(out, c.prices);
    }
    for (size_t k = 0; k < segments.size(); ++k) {
        ImportedPrice row = segments[k]->prices.to_row(provider, model);
        // A dated first entry starts there: before it the model has no price (unpriced).
        if (segments[k]->start_date) {
            row.effective_date = *segments[k]->start_date + " 00:00:00+00";
        }
        if (k + 1 < segments.size()) row.end_date = *segments[k + 1]->start_date + " 00:00:00+00";
        Json windows = windows_for(entries, *segments[k]);
        if (!windows.empty()) row.pricing_structure["time_of_day"] = std::move(windows);
        out.rows.push_back(std::move(row));
    }
    return out;
}

// The rows of one model from its "prices": an object, or a list of conditional prices.
ModelRows model_rows(const std::string& provider, const std::string& model, const Json& prices) {
    std::vector<Conditional> entries;
    if (prices.is_array()) {
        for (size_t i = 0; i < prices.size(); ++i)
            entries.push_back(read_conditional(prices[i], i));
    } else {
        entries.push_back(Conditional{0, {}, {}, {}, read_price_set(prices, "prices")});
    }
    check_list_shape(entries);
    return rows_of_list(provider, model, entries);
}

// The string "id" of a provider or model; throws CliError naming the file and the place.
std::string id_of(const Json& obj, const std::string& where, const std::string& file_name) {
    auto id = obj.is_object() ? obj.find("id") : obj.end();
    if (id == obj.end() || !id->is_string()) {
        throw CliError(file_name + ": " + where + " is not an object with a string \"id\"");
    }
    return id->get<std::string>();
}

// The (provider, model) pairs already read: a repeated one would overlap its first rows.
using SeenModels = std::set<std::pair<std::string, std::string>>;

// Adds a model's `match` expression as a rule, or a note saying why it is not imported; notes
// an expression whose "contains" clauses are kept but not applied.
void add_match_rule(PriceImport& out, const std::string& provider, const std::string& model,
                    const Json& entry) {
    auto match = entry.find("match");
    if (match == entry.end() || match->is_null()) return;  // the model is priced by name only
    try {
        if (ModelMatcher::parse(*match).has_substring_clauses()) {
            out.skipped.push_back({provider, model,
                                   "price imported, but its match rule's contains clauses are "
                                   "not applied: add an alias for names only they match"});
        }
    } catch (const std::invalid_argument& e) {
        out.skipped.push_back(
            {provider, model, std::string("match rule not imported: ") + e.what()});
        return;
    }
    out.match_rules.push_back({provider, model, *match});
}

// Adds the provider's fallback_model_providers as (provider, fallback) pairs, in order; notes
// a list that is not one of provider ids, and drops the provider itself and repeats.
void add_fallbacks(PriceImport& out, const std::string& provider, const Json& doc) {
    auto list = doc.find("fallback_model_providers");
    if (list == doc.end() || list->is_null()) return;
    bool ids = list->is_array() && std::all_of(list->begin(), list->end(),
                                               [](const Json& id) { return id.is_string(); });
    if (!ids) {
        std::string why = "fallback_model_providers is not a list of provider ids: ";
        out.skipped.push_back({provider, "", why + dump_exact(*list) + ", not imported"});
        return;
    }
    for (const Json& id : *list) {
        std::pair<std::string, std::string> pair{provider, id.get<std::string>()};
        auto& pairs = out.fallback_providers;
        if (pair.second == provider || std::find(pairs.begin(), pairs.end(), pair) != pairs.end()) {
            std::string why = "fallback provider " + pair.second;
            out.skipped.push_back({provider, "", why + " is itself or a repeat, not imported"});
            continue;
        }
        pairs.push_back(std::move(pair));
    }
}

// Adds the rows and match rules of every model of one provider object, and its fallbacks.
void read_provider(PriceImport& out, const Json& doc, const std::string& where,
                   const std::string& file_name, SeenModels& seen) {
    std::string provider = id_of(doc, where, file_name);
    auto models = doc.find("models");
    if (models == doc.end() || !models->is_array()) {
        throw CliError(file_name + ": provider " + provider + " has no \"models\" list");
    }
    add_fallbacks(out, provider, doc);
    for (size_t m = 0; m < models->size(); ++m) {
        const Json& entry = (*models)[m];
        std::string model =
            id_of(entry, "model " + std::to_string(m + 1) + " of provider " + provider, file_name);
        if (!seen.emplace(provider, model).second) {
            out.skipped.push_back({provider, model, "appears again: only the first is imported"});
            continue;
        }
        add_model(out, provider, model, [&] {
            return model_rows(provider, model, entry.contains("prices") ? entry["prices"] : Json());
        });
        // Also for a model whose prices were skipped: its names then stay unpriced, where a
        // normalization could otherwise price them as another model.
        add_match_rule(out, provider, model, entry);
    }
}

}  // namespace

PriceImport read_genai_prices(std::istream& in, const std::string& file_name) {
    Json doc = parse_file_json(read_file_text(in, file_name), file_name);
    if (!doc.is_array()) throw CliError(file_name + ": expected a JSON array of providers");
    PriceImport out;
    out.source = "genai-prices";
    SeenModels seen;
    for (size_t p = 0; p < doc.size(); ++p) {
        read_provider(out, doc[p], "provider " + std::to_string(p + 1), file_name, seen);
    }
    return out;
}

}  // namespace costops::cli
