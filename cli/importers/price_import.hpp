// Price lists read from other projects' files, as rows for cost_ops.pricing_tables.
// Every price stays the exact decimal text of the source: never a double.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "exact_json.hpp"

namespace costops::cli {

// One row for cost_ops.pricing_tables. Prices are decimal text in USD per 1M tokens.
struct ImportedPrice {
    std::string provider;
    std::string model;
    std::string effective_date = "-infinity";  // timestamptz text (UTC) or -infinity
    std::optional<std::string> end_date;       // exclusive; nullopt = open-ended
    std::optional<std::string> input, output, cached_input, cache_write, cache_write_1h, reasoning;
    Json pricing_structure = Json::object();  // see extension/core/pricing_structure.cpp
};

// Something of the source the import did not turn into a price, and why.
struct SkippedPrice {
    std::string provider;
    std::string model;
    std::string reason;
};

// A row for cost_ops.model_match_rules: names of `provider` matching `match` (a genai-prices
// match expression) are priced as `model`. Rules are tried in the order of the list.
struct ImportedMatchRule {
    std::string provider;
    std::string model;
    Json match;
};

struct PriceImport {
    std::string source;  // "genai-prices" or "litellm", stored in pricing_tables.source
    std::vector<ImportedPrice> prices;
    std::vector<SkippedPrice> skipped;
    std::vector<ImportedMatchRule> match_rules;
    // (provider, fallback provider) pairs for cost_ops.provider_fallbacks, in order.
    std::vector<std::pair<std::string, std::string>> fallback_providers;
};

// Reads pydantic/genai-prices' data.json. Throws CliError naming the file on bad input.
PriceImport read_genai_prices(std::istream& in, const std::string& file_name);

// Reads LiteLLM's model_prices_and_context_window.json. Throws CliError naming the file.
PriceImport read_litellm_prices(std::istream& in, const std::string& file_name);

}  // namespace costops::cli
