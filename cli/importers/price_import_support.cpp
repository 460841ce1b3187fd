#include "price_import_support.hpp"

#include <algorithm>
#include <iterator>
#include <sstream>

#include "../cli_error.hpp"
#include "price_rule.hpp"

namespace costops::cli::importers {

namespace {

constexpr PriceColumn kPriceColumns[kPriceColumnCount] = {
    PriceColumn::input,       PriceColumn::output,         PriceColumn::cached_input,
    PriceColumn::cache_write, PriceColumn::cache_write_1h, PriceColumn::reasoning};

// The reason a literal is no price, worded for the person reading the skip list.
[[noreturn]] void throw_bad_literal(const std::string& key, const Json& literal,
                                    const DecimalError& error) {
    std::string why = error.kind() == DecimalErrorKind::TooPrecise
                          ? "is more precise than a price may be (at most 18 fractional digits "
                            "in USD per 1M tokens)"
                          : error.what();
    throw Unmappable(key + " = " + json_scalar_text(literal) + ": " + why);
}

// The column of `row` that holds `column`.
std::optional<std::string>& row_column(ImportedPrice& row, PriceColumn column) {
    switch (column) {
        case PriceColumn::input:
            return row.input;
        case PriceColumn::output:
            return row.output;
        case PriceColumn::cached_input:
            return row.cached_input;
        case PriceColumn::cache_write:
            return row.cache_write;
        case PriceColumn::cache_write_1h:
            return row.cache_write_1h;
        case PriceColumn::reasoning:
            break;
    }
    return row.reasoning;
}

// The pricing_structure name of a column: "input", "output", "cached_input", "cache_write",
// "cache_write_1h", "reasoning" (the names of Rates in extension/core/price_rule.hpp).
const char* price_column_name(PriceColumn column) {
    switch (column) {
        case PriceColumn::input:
            return "input";
        case PriceColumn::output:
            return "output";
        case PriceColumn::cached_input:
            return "cached_input";
        case PriceColumn::cache_write:
            return "cache_write";
        case PriceColumn::cache_write_1h:
            return "cache_write_1h";
        case PriceColumn::reasoning:
            break;
    }
    return "reasoning";
}

}  // namespace

std::string read_file_text(std::istream& in, const std::string& file_name) {
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw CliError(file_name + ": cannot be read");
    return text.str();
}

Json parse_file_json(const std::string& text, const std::string& file_name) {
    try {
        return parse_json_exact(text);
    } catch (const JsonSyntaxError& e) {
        throw CliError(file_name + ":" + std::to_string(e.line()) +
                       ": not valid JSON: " + e.what());
    }
}

Decimal literal_decimal(const Json& value, const std::string& key, int64_t factor) {
    if (!is_json_number(value)) throw Unmappable(key + " is not a number: " + dump_exact(value));
    try {
        return Decimal::parse(json_scalar_text(value)).times(factor);
    } catch (const DecimalError& e) {
        throw_bad_literal(key, value, e);
    }
}

std::string price_text(Decimal price, const std::string& key, const Json& literal) {
    try {
        return parse_price(price.to_string()).to_string();
    } catch (const DecimalError& e) {
        throw_bad_literal(key, literal, e);
    }
}

Json literal_text_tree(const Json& value) {
    if (is_json_number(value)) return json_scalar_text(value);
    if (!value.is_structured()) return value;
    Json out = value.is_object() ? Json::object() : Json::array();
    for (auto it = value.begin(); it != value.end(); ++it) {
        if (value.is_object()) {
            out[it.key()] = literal_text_tree(it.value());
        } else {
            out.push_back(literal_text_tree(it.value()));
        }
    }
    return out;
}

void PriceSet::set_tier(int64_t above_prompt_tokens, PriceColumn column, std::string price,
                        const std::string& key, ServiceTier service) {
    Json& tier = rates_[slot(service)].tiers[above_prompt_tokens];
    if (tier.contains(price_column_name(column))) {
        throw Unmappable(key + " has two tiers above " + std::to_string(above_prompt_tokens) +
                         " prompt tokens");
    }
    tier[price_column_name(column)] = std::move(price);
}

void PriceSet::keep_unapplied(const std::string& key, const Json& value) {
    unapplied_[key] = literal_text_tree(value);
}

void PriceSet::require_input_or_output(const std::string& what) const {
    if (!standard().base[index(PriceColumn::input)] &&
        !standard().base[index(PriceColumn::output)]) {
        throw Unmappable(what + " has neither an input nor an output price");
    }
}

ImportedPrice PriceSet::to_row(const std::string& provider, const std::string& model) const {
    ImportedPrice row;
    row.provider = provider;
    row.model = model;
    for (PriceColumn column : kPriceColumns)
        row_column(row, column) = standard().base[index(column)];
    if (request_fee_) row.pricing_structure["request_fee"] = *request_fee_;
    Json standard_rates = standard().to_json();
    if (standard_rates.contains("tiers")) row.pricing_structure["tiers"] = standard_rates["tiers"];
    for (ServiceTier service : {ServiceTier::Batch, ServiceTier::Priority, ServiceTier::Flex}) {
        if (rates_[slot(service)].empty()) continue;
        row.pricing_structure["service_tiers"][service_tier_name(service)] =
            rates_[slot(service)].to_json();
    }
    if (!unapplied_.empty()) row.pricing_structure["unapplied"] = unapplied_;
    return row;
}

Json PriceSet::to_window() const {
    for (const RateTable& rates : rates_) {
        if (&rates != &standard() && !rates.empty()) {
            throw Unmappable("a time-of-day window has service tier prices (they are per row)");
        }
    }
    Json window = standard().to_json();
    if (!unapplied_.empty()) window["unapplied"] = unapplied_;
    return window;
}

bool PriceSet::RateTable::empty() const {
    return tiers.empty() && std::none_of(base.begin(), base.end(),
                                         [](const auto& price) { return price.has_value(); });
}

Json PriceSet::RateTable::to_json() const {
    Json out = Json::object();
    for (PriceColumn column : kPriceColumns) {
        if (base[index(column)]) out[price_column_name(column)] = *base[index(column)];
    }
    if (!tiers.empty()) {
        Json& list = out["tiers"] = Json::array();
        for (const auto& [threshold, prices] : tiers) {
            Json tier = prices;
            tier["above_prompt_tokens"] = threshold;
            list.push_back(std::move(tier));
        }
    }
    return out;
}

void note_unapplied(ModelRows& rows, const PriceSet& set) {
    for (auto it = set.unapplied().begin(); it != set.unapplied().end(); ++it) {
        auto& keys = rows.unapplied_keys;
        if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) keys.push_back(it.key());
    }
}

void add_model(PriceImport& out, const std::string& provider, const std::string& model,
               const std::function<ModelRows()>& convert) {
    try {
        ModelRows converted = convert();
        std::move(converted.rows.begin(), converted.rows.end(), std::back_inserter(out.prices));
        if (converted.unapplied_keys.empty()) return;
        std::string keys;
        for (const std::string& key : converted.unapplied_keys) {
            keys += (keys.empty() ? "" : ", ") + key;
        }
        out.skipped.push_back({provider, model,
                               "not applied by the cost formula (kept in "
                               "pricing_structure.unapplied): " +
                                   keys});
    } catch (const Unmappable& e) {
        out.skipped.push_back({provider, model, e.what()});
    }
}

}  // namespace costops::cli::importers
