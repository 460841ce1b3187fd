// What the genai-prices and LiteLLM readers share: reading the file, exact price literals,
// assembling a row's prices, tiers, service tiers and unapplied source prices, and skipping a
// model with a reason.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "decimal.hpp"
#include "price_import.hpp"
#include "price_rule.hpp"

namespace costops::cli::importers {

// A model whose prices cannot be mapped exactly; what() is the SkippedPrice reason.
class Unmappable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The prices of a pricing_tables row (and of a tier, a time-of-day window or a service tier).
enum class PriceColumn { input, output, cached_input, cache_write, cache_write_1h, reasoning };
constexpr size_t kPriceColumnCount = 6;

// The whole content of `in`; throws CliError naming the file when it cannot be read.
std::string read_file_text(std::istream& in, const std::string& file_name);

// Parses the file's text exactly; throws CliError naming the file and line when it is not JSON.
Json parse_file_json(const std::string& text, const std::string& file_name);

// The exact value of a JSON number literal times `factor`; throws Unmappable naming `key`.
Decimal literal_decimal(const Json& value, const std::string& key, int64_t factor = 1);

// Canonical text of a USD-per-1M price (at most 18 fractional digits, not negative);
// throws Unmappable naming `key` and the source literal.
std::string price_text(Decimal price, const std::string& key, const Json& literal);

// `value` with every number replaced by its literal text, for pricing_structure.unapplied.
Json literal_text_tree(const Json& value);

// The prices of one row or one time-of-day window, as they are being read: the standard rates
// and those of the batch, priority and flex service tiers, each with its context tiers.
class PriceSet {
  public:
    // The price of a column below every tier, on a service tier (standard by default).
    void set_base(PriceColumn column, std::string price,
                  ServiceTier service = ServiceTier::Standard) {
        rates_[slot(service)].base[index(column)] = std::move(price);
    }
    // A context tier: `price` applies to requests with more than `above_prompt_tokens`.
    void set_tier(int64_t above_prompt_tokens, PriceColumn column, std::string price,
                  const std::string& key, ServiceTier service = ServiceTier::Standard);
    // USD per request, added to every request's cost.
    void set_request_fee(std::string fee) { request_fee_ = std::move(fee); }
    // A source price the cost formula cannot apply, kept as its literal text.
    void keep_unapplied(const std::string& key, const Json& value);

    // What was set, for the checks and notes of the readers.
    const std::optional<std::string>& request_fee() const { return request_fee_; }
    const Json& unapplied() const { return unapplied_; }
    // Throws Unmappable when neither a standard input nor output price was set.
    void require_input_or_output(const std::string& what) const;

    // A row with the standard base prices in its columns and the rest in its
    // pricing_structure (tiers, service_tiers, request_fee, unapplied).
    ImportedPrice to_row(const std::string& provider, const std::string& model) const;
    // {input, output, ..., tiers, unapplied}: the form of a pricing_structure.time_of_day entry.
    // Throws Unmappable when service tier prices were set: they are per row, not per window.
    Json to_window() const;

  private:
    // The base prices and context tiers of one service tier.
    struct RateTable {
        std::array<std::optional<std::string>, kPriceColumnCount> base;
        std::map<int64_t, Json> tiers;  // threshold -> {column name: price}
        // Whether nothing was set.
        bool empty() const;
        // {column name: price, ..., "tiers": [...]} of what was set.
        Json to_json() const;
    };

    // The slot of a column in RateTable::base.
    static size_t index(PriceColumn column) { return static_cast<size_t>(column); }
    // The slot of a service tier in rates_.
    static size_t slot(ServiceTier service) { return static_cast<size_t>(service); }
    // The standard rates.
    const RateTable& standard() const { return rates_[slot(ServiceTier::Standard)]; }

    std::array<RateTable, kServiceTierCount> rates_;
    std::optional<std::string> request_fee_;
    Json unapplied_ = Json::object();
};

// The rows of one model and the source keys none of them applies.
struct ModelRows {
    std::vector<ImportedPrice> rows;
    std::vector<std::string> unapplied_keys;
};

// Records the unapplied keys of `set` in `rows`, each once.
void note_unapplied(ModelRows& rows, const PriceSet& set);

// Adds the rows `convert` builds for one model, plus a SkippedPrice naming the unapplied
// keys; when convert throws Unmappable, only a SkippedPrice with its reason.
void add_model(PriceImport& out, const std::string& provider, const std::string& model,
               const std::function<ModelRows()>& convert);

}  // namespace costops::cli::importers
