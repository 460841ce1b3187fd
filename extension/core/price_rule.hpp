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
// cache_write is the 5-minute cache write, cache_write_1h the 1-hour one.
struct Rates {
    std::optional<Decimal> input, output, cached_input, cache_write, cache_write_1h, reasoning;
};

// The service tier a request ran on; each but Standard may have rates of its own.
enum class ServiceTier { Standard, Batch, Priority, Flex };
constexpr size_t kServiceTierCount = 4;

// "standard", "batch", "priority", "flex" in any ASCII case (also "default", "auto" and
// "scale" as OpenAI reports them: all mean the standard tier); nullopt otherwise.
std::optional<ServiceTier> parse_service_tier(std::string_view name);
const char* service_tier_name(ServiceTier tier);

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
    // Rates of the batch, priority and flex tiers (index by ServiceTier); each replaces the
    // standard rates of the token kinds it names, the others keep the standard rate.
    std::optional<PriceVariant> service_tiers[kServiceTierCount];
    Decimal request_fee;
};

// The exact cost of one record.
struct RecordCost {
    Decimal input_cost, output_cost, total_cost;
};

// Prices `usage` with `rule` at a time of day (microseconds after 00:00 UTC) on a service
// tier, for the requests the record sums. Returns nullopt when the price does not cover the
// record (a token kind without a rate, a service tier without rates, a bucket of requests
// whose context tier, time-of-day window or request count is not known): the record stays
// unpriced, and *unpriced_reason, when given, says why. Throws DecimalError on overflow.
std::optional<RecordCost> compute_cost(const PriceRule& rule, const UsageCounts& usage,
                                       int64_t usec_of_day,
                                       ServiceTier tier = ServiceTier::Standard,
                                       const char** unpriced_reason = nullptr,
                                       const RequestShape& requests = {});

// Builds a rule from a pricing_tables row: the column prices (empty = NULL) and the
// pricing_structure JSON text. Throws std::invalid_argument naming the bad part.
PriceRule make_price_rule(int64_t price_id, const Rates& columns,
                          std::string_view pricing_structure_json);

}  // namespace costops
