#include "price_rule.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace costops {

namespace {

// 10^6: prices are per million tokens.
constexpr int64_t kTokensPerPriceUnit = 1000000;

// count * price_per_million / 1e6, exact because prices have at most 18 fractional digits.
Decimal tokens_times_price(int64_t count, Decimal price_per_million) {
    return Decimal::from_raw(checked_mul(price_per_million.raw() / kTokensPerPriceUnit, count));
}

// `rates` with every kind `over` sets replaced by it.
void overlay(Rates& rates, const Rates& over) {
    for (std::optional<Decimal> Rates::*kind :
         {&Rates::input, &Rates::output, &Rates::cached_input, &Rates::cache_write,
          &Rates::cache_write_1h, &Rates::reasoning}) {
        if (over.*kind) rates.*kind = over.*kind;
    }
}

// The rates that apply to a request with `prompt_tokens`: base, overridden per token kind by
// the highest tier whose threshold the request exceeds.
Rates rates_for(const PriceVariant& variant, int64_t prompt_tokens) {
    Rates rates = variant.rates;
    for (const ContextTier& tier : variant.tiers) {
        if (prompt_tokens <= tier.above_prompt_tokens) break;
        overlay(rates, tier.rates);
    }
    return rates;
}

// The highest context-tier threshold a request with `prompt_tokens` exceeds, if any.
std::optional<int64_t> exceeded_threshold(const PriceVariant& variant, int64_t prompt_tokens) {
    std::optional<int64_t> exceeded;
    for (const ContextTier& tier : variant.tiers) {
        if (prompt_tokens <= tier.above_prompt_tokens) break;
        exceeded = tier.above_prompt_tokens;
    }
    return exceeded;
}

// How many context-tier thresholds a request with `prompt_tokens` exceeds.
size_t tiers_exceeded(const PriceVariant& variant, int64_t prompt_tokens) {
    size_t n = 0;
    while (n < variant.tiers.size() && prompt_tokens > variant.tiers[n].above_prompt_tokens) ++n;
    return n;
}

// Whether a microsecond-of-day falls in [from, to), where to < from wraps past midnight.
bool in_window(const TimeOfDayPrice& w, int64_t usec_of_day) {
    if (w.from_usec <= w.to_usec) return usec_of_day >= w.from_usec && usec_of_day < w.to_usec;
    return usec_of_day >= w.from_usec || usec_of_day < w.to_usec;
}

// Adds count * rate to `sum`; false when tokens are used but no rate is known.
bool add_term(Decimal& sum, int64_t count, const std::optional<Decimal>& rate) {
    if (count == 0) return true;
    if (!rate) return false;
    sum = sum + tokens_times_price(count, *rate);
    return true;
}

}  // namespace

Decimal parse_price(std::string_view text) {
    Decimal price = Decimal::parse(text, kPriceFractionDigits);
    if (price < Decimal()) throw DecimalError(DecimalErrorKind::OutOfRange, "price is negative");
    return price;
}

std::optional<ServiceTier> parse_service_tier(std::string_view name) {
    // Every row names its tier: compared in place, without allocating.
    static const std::pair<std::string_view, ServiceTier> names[] = {
        {"standard", ServiceTier::Standard}, {"default", ServiceTier::Standard},
        {"auto", ServiceTier::Standard},     {"scale", ServiceTier::Standard},
        {"batch", ServiceTier::Batch},       {"priority", ServiceTier::Priority},
        {"flex", ServiceTier::Flex}};
    // ASCII case folding inline: the C library's tolower() is a call per character.
    auto same = [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; };
    for (const auto& [known, tier] : names) {
        if (name.size() == known.size() &&
            std::equal(name.begin(), name.end(), known.begin(), same)) {
            return tier;
        }
    }
    return std::nullopt;
}

const char* service_tier_name(ServiceTier tier) {
    static const char* const names[] = {"standard", "batch", "priority", "flex"};
    return names[static_cast<size_t>(tier)];
}

std::optional<RecordCost> compute_cost(const PriceRule& rule, const UsageCounts& usage,
                                       int64_t usec_of_day, ServiceTier tier,
                                       const char** unpriced_reason, const RequestShape& requests) {
    auto unpriced = [&](const char* why) -> std::optional<RecordCost> {
        if (unpriced_reason != nullptr) *unpriced_reason = why;
        return std::nullopt;
    };
    bool single = requests.count == 1;
    // A bucket's timestamp is its start: its requests may fall in other windows.
    if (!single && !rule.time_of_day.empty()) {
        return unpriced("a bucket of requests under time-of-day prices");
    }
    const PriceVariant* variant = &rule.base;
    for (const TimeOfDayPrice& window : rule.time_of_day) {
        if (in_window(window, usec_of_day)) {
            variant = &window.variant;
            break;
        }
    }
    const std::optional<PriceVariant>* tier_rates = nullptr;
    if (tier != ServiceTier::Standard) {
        tier_rates = &rule.service_tiers[static_cast<size_t>(tier)];
        if (!*tier_rates) return unpriced("no price for this service tier");
    }
    // The prompt size that selects the context tier: the record's own, or for a bucket the
    // largest a request in it can have, provided the smallest falls in the same tier (no
    // request is larger than the whole bucket).
    int64_t context = usage.prompt_tokens;
    if (!single) {
        context = std::min(requests.prompt_tokens_max.value_or(context), context);
        int64_t smallest = std::min(requests.prompt_tokens_min.value_or(0), context);
        if (tiers_exceeded(*variant, smallest) != tiers_exceeded(*variant, context) ||
            (tier_rates &&
             tiers_exceeded(**tier_rates, smallest) != tiers_exceeded(**tier_rates, context))) {
            return unpriced("a bucket of requests that may span context tiers");
        }
    }
    Rates rates = rates_for(*variant, context);
    if (tier_rates) {
        // A long-context request needs the tier's own rates for that context size: neither
        // the tier's short-context rates nor the standard long-context ones are its price.
        std::optional<int64_t> standard_tier = exceeded_threshold(*variant, context);
        std::optional<int64_t> own_tier = exceeded_threshold(**tier_rates, context);
        if (standard_tier && (!own_tier || *own_tier < *standard_tier)) {
            return unpriced("no price for this service tier at this context size");
        }
        // Kinds the tier does not price keep their standard rate (cached tokens in a batch
        // request keep the cached rate unless the price says otherwise).
        overlay(rates, rates_for(**tier_rates, context));
    }
    Decimal request_fees = rule.request_fee;
    if (!single && request_fees != Decimal()) {
        if (!requests.count) return unpriced("a request fee for an unknown number of requests");
        request_fees = request_fees.times(*requests.count);
    }
    // A missing cache price falls back to the input price, a missing reasoning price to the
    // output price (domain page, "Prices").
    const std::optional<Decimal>& cached = rates.cached_input ? rates.cached_input : rates.input;
    const std::optional<Decimal>& write = rates.cache_write ? rates.cache_write : rates.input;
    const std::optional<Decimal>& write_1h =
        rates.cache_write_1h ? rates.cache_write_1h : rates.input;
    const std::optional<Decimal>& reasoning = rates.reasoning ? rates.reasoning : rates.output;

    int64_t uncached = usage.prompt_tokens - usage.cached_tokens - usage.cache_write_tokens -
                       usage.cache_write_1h_tokens;
    RecordCost cost;
    if (!add_term(cost.input_cost, uncached, rates.input) ||
        !add_term(cost.input_cost, usage.cached_tokens, cached) ||
        !add_term(cost.input_cost, usage.cache_write_tokens, write) ||
        !add_term(cost.input_cost, usage.cache_write_1h_tokens, write_1h)) {
        return unpriced("no input price");
    }
    if (!add_term(cost.output_cost, usage.completion_tokens - usage.reasoning_tokens,
                  rates.output) ||
        !add_term(cost.output_cost, usage.reasoning_tokens, reasoning)) {
        return unpriced("no output price");
    }
    cost.total_cost = cost.input_cost + cost.output_cost + request_fees;
    return cost;
}

}  // namespace costops
