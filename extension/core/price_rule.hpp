// One price row in the form the cost formula needs, and the formula itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decimal.hpp"
#include "usage.hpp"

namespace costops {

// Prices carry at most this many fractional digits (USD per 1M tokens), so that a token count
// times a price is exact at the cost type's 24 fractional digits.
constexpr int kPriceFractionDigits = 18;

// Parses a USD-per-1M-tokens price: non-negative, at most 18 fractional digits; throws.
Decimal parse_price(std::string_view text);

// The rate of each token kind, USD per 1M tokens; an empty optional means "not set".
struct Rates {
    std::optional<Decimal> input, output, cached_input, cache_write;
};

// Prices that replace the base rates when a request's prompt_tokens exceed the threshold.
struct ContextTier {
    int64_t above_prompt_tokens = 0;
    Rates rates;
};

// A set of base rates plus its context tiers (ascending thresholds).
struct PriceVariant {
    Rates rates;
    std::vector<ContextTier> tiers;
};

// Prices that apply during a daily UTC window [from, to) (it may wrap past midnight).
struct TimeOfDayPrice {
    int64_t from_usec = 0;  // microseconds after 00:00 UTC
    int64_t to_usec = 0;
    PriceVariant variant;
};

// Everything needed to price a record with one row of cost_ops.pricing_tables.
struct PriceRule {
    int64_t price_id = 0;
    PriceVariant base;
    std::vector<TimeOfDayPrice> time_of_day;
    Decimal request_fee;
};

// The exact cost of one record.
struct RecordCost {
    Decimal input_cost, output_cost, total_cost;
};

// Prices `usage` with `rule` at a time of day (microseconds after 00:00 UTC). Returns nullopt
// when the record uses a token kind the price does not cover (the record stays unpriced);
// throws DecimalError on overflow.
std::optional<RecordCost> compute_cost(const PriceRule& rule, const UsageCounts& usage,
                                       int64_t usec_of_day);

// Builds a rule from a pricing_tables row: the four column prices (empty = NULL) and the
// pricing_structure JSON text. Throws std::invalid_argument naming the bad part.
PriceRule make_price_rule(int64_t price_id, const Rates& columns,
                          std::string_view pricing_structure_json);

}  // namespace costops
