// Records that sum many requests (usage-API buckets): compute_cost picks the context tier only
// when the bucket's request shape pins it down, charges one request fee per request, and
// leaves the bucket unpriced otherwise; check_requests refuses shapes that cannot be.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "price_rule.hpp"
#include "usage.hpp"

using namespace costops;

namespace {

// 3 input / 15 output, above 200,000 prompt tokens 6 / 22.5, and the given extra structure.
PriceRule tiered(const std::string& extra = "") {
    Rates columns{parse_price("3"), parse_price("15"), std::nullopt,
                  std::nullopt,     std::nullopt,      std::nullopt};
    return make_price_rule(
        1, columns,
        R"({"tiers": [{"above_prompt_tokens": 200000, "input": "6", "output": "22.5"}])" + extra +
            "}");
}

// The total cost of `prompt` / `completion` tokens summed over `requests`, or the reason the
// record stays unpriced.
std::string total(const PriceRule& rule, int64_t prompt, int64_t completion,
                  const RequestShape& requests) {
    const char* reason = nullptr;
    std::optional<RecordCost> cost = compute_cost(rule, UsageCounts{prompt, completion}, 0,
                                                  ServiceTier::Standard, &reason, requests);
    return cost ? cost->total_cost.to_string() : std::string("unpriced: ") + reason;
}

// The field a shape is refused for, or "" when it is sound.
std::string refused(const RequestShape& requests, int64_t prompt) {
    std::optional<UsageViolation> v = check_requests(requests, prompt);
    return v ? v->field : "";
}

}  // namespace

TEST_CASE("compute_cost: a bucket's context tier from its request shape", "[core][buckets]") {
    PriceRule rule = tiered();
    // One request of 250,000: 250000 * 6 + 1000 * 22.5 = 1522500 -> 1.5225.
    CHECK(total(rule, 250000, 1000, {}) == "1.5225");
    // Anthropic's "0-200k": each request at most 200,000: 900000 * 3 + 10000 * 15 -> 2.85.
    CHECK(total(rule, 900000, 10000, {std::nullopt, std::nullopt, 200000}) == "2.85");
    // "200k-1M": each above 200,000: 600000 * 6 + 10000 * 22.5 -> 3.825.
    CHECK(total(rule, 600000, 10000, {std::nullopt, 200001, 1000000}) == "3.825");
    // 40 requests of 150,000 in all: none above 200,000: 150000 * 3 + 5000 * 15 -> 0.525.
    CHECK(total(rule, 150000, 5000, {40, std::nullopt, std::nullopt}) == "0.525");
    // Exactly 200,000 in all is still the base tier (the tier is "above").
    CHECK(total(rule, 200000, 0, {7, std::nullopt, std::nullopt}) == "0.6");
    // 250 requests of 1,000,000 in all: sizes unknown, the tier unknown.
    CHECK(total(rule, 1000000, 20000, {250, std::nullopt, std::nullopt}) ==
          "unpriced: a bucket of requests that may span context tiers");
    CHECK(total(rule, 1000000, 20000, {std::nullopt, std::nullopt, std::nullopt}) ==
          "unpriced: a bucket of requests that may span context tiers");
    // A lower bound at the threshold does not say "above" it.
    CHECK(total(rule, 600000, 0, {std::nullopt, 200000, 1000000}) ==
          "unpriced: a bucket of requests that may span context tiers");
    // Bounds beyond the bucket's own prompt tokens: no request is larger than the bucket.
    CHECK(total(rule, 150000, 0, {std::nullopt, std::nullopt, 1000000}) == "0.45");
}

TEST_CASE("compute_cost: a bucket pays one request fee per request", "[core][buckets]") {
    Rates columns{parse_price("1"), parse_price("2"), std::nullopt,
                  std::nullopt,     std::nullopt,     std::nullopt};
    PriceRule rule = make_price_rule(1, columns, R"({"request_fee": "0.001"})");
    // 10000 * 1 + 1000 * 2 = 12000 -> 0.012; 30 * 0.001 = 0.03; 0.042.
    CHECK(total(rule, 10000, 1000, {30, std::nullopt, std::nullopt}) == "0.042");
    CHECK(total(rule, 10000, 1000, {}) == "0.013");
    CHECK(total(rule, 10000, 1000, {std::nullopt, std::nullopt, std::nullopt}) ==
          "unpriced: a request fee for an unknown number of requests");
    // Without a fee the count does not matter.
    PriceRule no_fee = make_price_rule(1, columns, "{}");
    CHECK(total(no_fee, 10000, 1000, {std::nullopt, std::nullopt, std::nullopt}) == "0.012");
}

TEST_CASE("compute_cost: a bucket under time-of-day prices is unpriced", "[core][buckets]") {
    Rates columns{parse_price("0.27"), parse_price("1.10"), std::nullopt,
                  std::nullopt,        std::nullopt,        std::nullopt};
    PriceRule rule = make_price_rule(
        1, columns, R"({"time_of_day": [{"from": "16:30", "to": "00:30", "input": "0.135"}]})");
    CHECK(total(rule, 100000, 10000, {12, std::nullopt, std::nullopt}) ==
          "unpriced: a bucket of requests under time-of-day prices");
    // One request at 00:00 is off-peak: 100000 * 0.135 = 13500 -> 0.0135.
    CHECK(total(rule, 100000, 0, {}) == "0.0135");
}

TEST_CASE("compute_cost: a bucket on a service tier needs one tier of its rates too",
          "[core][buckets]") {
    PriceRule rule = tiered(R"(, "service_tiers": {"batch": {"input": "1.5", "output": "7.5",
        "tiers": [{"above_prompt_tokens": 200000, "input": "3", "output": "11.25"}]}})");
    const char* reason = nullptr;
    // "200k-1M" on batch: 600000 * 3 + 10000 * 11.25 = 1800000 + 112500 -> 1.9125.
    auto cost = compute_cost(rule, UsageCounts{600000, 10000}, 0, ServiceTier::Batch, &reason,
                             {std::nullopt, 200001, 1000000});
    REQUIRE(cost);
    CHECK(cost->total_cost.to_string() == "1.9125");
    CHECK_FALSE(compute_cost(rule, UsageCounts{600000, 10000}, 0, ServiceTier::Batch, &reason,
                             {std::nullopt, std::nullopt, std::nullopt}));
    CHECK(std::string(reason) == "a bucket of requests that may span context tiers");
}

TEST_CASE("check_requests refuses shapes that cannot be", "[core][buckets]") {
    CHECK(refused({}, 250000) == "");
    CHECK(refused({std::nullopt, std::nullopt, 200000}, 900000) == "");
    CHECK(refused({0, std::nullopt, std::nullopt}, 10) == "request_count");
    CHECK(refused({-3, std::nullopt, std::nullopt}, 10) == "request_count");
    CHECK(refused({std::nullopt, -1, std::nullopt}, 10) == "request_prompt_tokens_min");
    CHECK(refused({std::nullopt, std::nullopt, -1}, 10) == "request_prompt_tokens_max");
    CHECK(refused({std::nullopt, 300, 200}, 250) == "request_prompt_tokens_min");
    // Two requests of at least 100,000 cannot add up to 150,000; one of at least 200,001 cannot
    // be in a bucket of 100.
    CHECK(refused({2, 100000, std::nullopt}, 150000) == "request_prompt_tokens_min");
    CHECK(refused({std::nullopt, 200001, 1000000}, 100) == "request_prompt_tokens_min");
    // One request of at most 100 cannot have 250,000; ten of at most 100 can have 1,000.
    CHECK(refused({1, std::nullopt, 100}, 250000) == "request_prompt_tokens_max");
    CHECK(refused({10, std::nullopt, 100}, 1000) == "");
    CHECK(refused({10, std::nullopt, 100}, 1001) == "request_prompt_tokens_max");
    // The products are computed beyond bigint.
    CHECK(refused({INT64_MAX, INT64_MAX, std::nullopt}, INT64_MAX) == "request_prompt_tokens_min");
    CHECK(refused({INT64_MAX, std::nullopt, INT64_MAX}, INT64_MAX) == "");
    CHECK(check_requests({2, 100000, std::nullopt}, 150000)->reason ==
          "prompt_tokens (150000) cannot hold 2 request(s) of at least "
          "request_prompt_tokens_min (100000)");
}
