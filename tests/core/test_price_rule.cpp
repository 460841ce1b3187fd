// Prices and the cost formula: parse_price, compute_cost (context, service and time-of-day
// tiers, cache and reasoning prices, their fallbacks, unpriced reasons) and make_price_rule.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "price_rule.hpp"
#include "test_support.hpp"
#include "usage_shapes.hpp"

using namespace costops;
using test_support::decimal_error_kind;

namespace {

// A price from its text; nullptr means "not set".
std::optional<Decimal> price(const char* text) {
    if (text == nullptr) return std::nullopt;
    return parse_price(text);
}

// Rates from texts (nullptr = not set): input, output, cached input, cache write.
Rates rates(const char* input, const char* output, const char* cached = nullptr,
            const char* write = nullptr) {
    return Rates{price(input), price(output), price(cached),
                 price(write), std::nullopt,  std::nullopt};
}

// A rule with the column rates `columns` and the pricing_structure JSON `structure`.
PriceRule rule(const Rates& columns, const std::string& structure = "{}") {
    return make_price_rule(1, columns, structure);
}

// Token counts: prompt, completion, cached, cache write, reasoning.
UsageCounts usage(int64_t prompt, int64_t completion, int64_t cached = 0, int64_t write = 0,
                  int64_t reasoning = 0) {
    return UsageCounts{prompt, completion, cached, write, reasoning};
}

// Microseconds after 00:00 UTC.
int64_t at(int64_t hour, int64_t minute, int64_t second = 0, int64_t usec = 0) {
    return ((hour * 60 + minute) * 60 + second) * 1000000 + usec;
}

// "input / output / total" of a record's cost at a time of day, or "unpriced".
std::string cost(const PriceRule& r, const UsageCounts& u, int64_t usec_of_day = at(12, 0)) {
    std::optional<RecordCost> c = compute_cost(r, u, usec_of_day);
    if (!c) return "unpriced";
    return c->input_cost.to_string() + " / " + c->output_cost.to_string() + " / " +
           c->total_cost.to_string();
}

// The kind of DecimalError computing a cost throws.
DecimalErrorKind cost_error(const PriceRule& r, const UsageCounts& u) {
    return decimal_error_kind([&] { compute_cost(r, u, at(12, 0)); });
}

// The message of the std::invalid_argument make_price_rule throws for `structure`.
std::string rule_error(const std::string& structure) {
    return test_support::thrown_message<std::invalid_argument>(
        [&] { make_price_rule(1, Rates{}, structure); });
}

// The kind of DecimalError parse_price throws for `text`.
DecimalErrorKind price_error(const std::string& text) {
    return decimal_error_kind([&] { parse_price(text); });
}

const Rates kGpt4o = rates("2.50", "10", "1.25");

}  // namespace

TEST_CASE("parse_price: non-negative, at most 18 fractional digits", "[core][price]") {
    const std::vector<std::pair<std::string, std::string>> good = {
        {"2.50", "2.5"},
        {"0", "0"},
        {"-0", "0"},
        {"10", "10"},
        {"2.5e-06", "0.0000025"},
        {"0.000000000000000001", "0.000000000000000001"},
        {"1e-18", "0.000000000000000001"},
        {"1.500000000000000000000000", "1.5"},
        {"0.08333333333333334", "0.08333333333333334"},
        {"170141183460469", "170141183460469"},
    };
    for (const auto& [text, expected] : good) {
        INFO("price: " << text);
        CHECK(parse_price(text).to_string() == expected);
    }
    CHECK(price_error("0.0000000000000000001") == DecimalErrorKind::TooPrecise);
    CHECK(price_error("1e-19") == DecimalErrorKind::TooPrecise);
    CHECK(price_error("-1") == DecimalErrorKind::OutOfRange);
    CHECK(price_error("-0.000000000000000001") == DecimalErrorKind::OutOfRange);
    CHECK(price_error("1e15") == DecimalErrorKind::OutOfRange);
    CHECK(price_error("abc") == DecimalErrorKind::InvalidSyntax);
    CHECK(price_error("") == DecimalErrorKind::InvalidSyntax);
    CHECK(test_support::thrown_message<DecimalError>([] { parse_price("-2.5"); }) ==
          "price is negative");
}

TEST_CASE("compute_cost: gpt-4o with cached input, computed by hand", "[core][price]") {
    // 86 uncached * 2.50 + 1920 cached * 1.25 = 215 + 2400 = 2615 USD-millionths;
    // 300 output * 10 = 3000 millionths.
    CHECK(cost(rule(kGpt4o), usage(2006, 300, 1920)) == "0.002615 / 0.003 / 0.005615");
    std::optional<RecordCost> c = compute_cost(rule(kGpt4o), usage(2006, 300, 1920), 0);
    REQUIRE(c);
    CHECK(c->total_cost == Decimal::parse("0.005615"));
    CHECK(c->total_cost.fraction_digits() == 6);
    // Reasoning tokens are part of completion_tokens and billed at the output price.
    CHECK(cost(rule(kGpt4o), usage(2006, 300, 1920, 0, 250)) == "0.002615 / 0.003 / 0.005615");
}

TEST_CASE("compute_cost: cache write price and the input-price fallbacks", "[core][price]") {
    // uncached 5000*3 = 0.015, cached 2000*0.3 = 0.0006, written 3000*3.75 = 0.01125;
    // output 500*15 = 0.0075.
    const UsageCounts u = usage(10000, 500, 2000, 3000, 200);
    CHECK(cost(rule(rates("3", "15", "0.3", "3.75")), u) == "0.02685 / 0.0075 / 0.03435");
    // No cached or cache-write price: those tokens cost the input price, 10000*3 = 0.03.
    CHECK(cost(rule(rates("3", "15")), u) == "0.03 / 0.0075 / 0.0375");
    // Only the write price missing: 5000*3 + 2000*0.3 + 3000*3 = 0.0246.
    CHECK(cost(rule(rates("3", "15", "0.3")), u) == "0.0246 / 0.0075 / 0.0321");
    // Only the cached price missing: 5000*3 + 2000*3 + 3000*3.75 = 0.03225.
    CHECK(cost(rule(rates("3", "15", nullptr, "3.75")), u) == "0.03225 / 0.0075 / 0.03975");
    // A price of 0 is a real price, not a missing one.
    CHECK(cost(rule(rates("3", "0", "0")), usage(100, 10, 100)) == "0 / 0 / 0");
}

TEST_CASE("compute_cost: a token kind without a price leaves the record unpriced",
          "[core][price]") {
    CHECK(cost(rule(rates(nullptr, "10")), usage(1, 0)) == "unpriced");
    CHECK(cost(rule(rates("2.5", nullptr)), usage(0, 1)) == "unpriced");
    CHECK(cost(rule(rates(nullptr, nullptr)), usage(1, 1)) == "unpriced");
    // Cached tokens fall back to the missing input price.
    CHECK(cost(rule(rates(nullptr, "10")), usage(100, 0, 100)) == "unpriced");
    CHECK(cost(rule(rates(nullptr, "10")), usage(100, 0, 0, 100)) == "unpriced");
    // No unpriced kind is used: every prompt token is a priced cache read.
    CHECK(cost(rule(rates(nullptr, nullptr, "1")), usage(100, 0, 100)) == "0.0001 / 0 / 0.0001");
    CHECK(cost(rule(rates(nullptr, nullptr, nullptr, "4")), usage(100, 0, 0, 100)) ==
          "0.0004 / 0 / 0.0004");
    // The request fee does not make an unpriced record priced.
    CHECK(cost(rule(rates(nullptr, "10"), R"({"request_fee": "0.01"})"), usage(1, 0)) ==
          "unpriced");
}

TEST_CASE("compute_cost: zero tokens and the request fee", "[core][price]") {
    CHECK(cost(rule(rates(nullptr, nullptr)), usage(0, 0)) == "0 / 0 / 0");
    CHECK(cost(rule(kGpt4o), usage(0, 0)) == "0 / 0 / 0");
    CHECK(cost(rule(rates(nullptr, nullptr), R"({"request_fee": "0.005"})"), usage(0, 0)) ==
          "0 / 0 / 0.005");
    CHECK(cost(rule(kGpt4o, R"({"request_fee": 0.01})"), usage(2006, 300, 1920)) ==
          "0.002615 / 0.003 / 0.015615");
    CHECK(cost(rule(kGpt4o, R"({"request_fee": null})"), usage(2006, 300, 1920)) ==
          "0.002615 / 0.003 / 0.005615");
}

TEST_CASE("compute_cost: prices with 18 fractional digits stay exact", "[core][price]") {
    // 1e-18 USD per 1M tokens: each token costs 1e-24, the smallest unit of the cost type.
    CHECK(cost(rule(rates("0.000000000000000001", "0.000000000000000003")), usage(INT64_MAX, 7)) ==
          "0.000009223372036854775807 / 0.000000000000000000000021 / "
          "0.000009223372036854775828");
    CHECK(cost(rule(rates("0.08333333333333334", "0")), usage(3, 0)) ==
          "0.00000025000000000000002 / 0 / 0.00000025000000000000002");
}

TEST_CASE("compute_cost: context tiers apply to the whole request", "[core][price]") {
    const PriceRule tiered =
        rule(rates("3", "15", "0.3", "3.75"),
             R"({"tiers": [{"above_prompt_tokens": 200000, "input": "6", "output": "22.5",
                       "cached_input": "0.6", "cache_write": "7.5"}]})");
    // 200,000 prompt tokens stay in the base tier; 200,001 move every token.
    CHECK(cost(tiered, usage(200000, 1000)) == "0.6 / 0.015 / 0.615");
    CHECK(cost(tiered, usage(200001, 1000)) == "1.200006 / 0.0225 / 1.222506");
    CHECK(cost(tiered, usage(200001, 0, 100000, 100000)) == "0.810006 / 0 / 0.810006");
    CHECK(cost(tiered, usage(199999, 0, 100000, 99999)) == "0.40499625 / 0 / 0.40499625");
    CHECK(cost(tiered, usage(200000, 0, 100000, 100000)) == "0.405 / 0 / 0.405");

    SECTION("several tiers, each overriding only the prices it names") {
        const PriceRule r = rule(rates("1", "2", "0.5"),
                                 R"({"tiers": [
                                       {"above_prompt_tokens": 1000, "input": "3",
                                        "cached_input": "1.5"},
                                       {"above_prompt_tokens": 2000, "output": "5",
                                        "cache_write": "7.5"}]})");
        CHECK(cost(r, usage(1000, 100)) == "0.001 / 0.0002 / 0.0012");
        CHECK(cost(r, usage(1001, 100)) == "0.003003 / 0.0002 / 0.003203");
        CHECK(cost(r, usage(2000, 100, 1000)) == "0.0045 / 0.0002 / 0.0047");
        CHECK(cost(r, usage(2001, 100)) == "0.006003 / 0.0005 / 0.006503");
        // 1000*3 + 1000*1.5 + 1000*7.5 = 0.012.
        CHECK(cost(r, usage(3000, 100, 1000, 1000)) == "0.012 / 0.0005 / 0.0125");
        // Below the second tier the write price falls back to the first tier's input price.
        CHECK(cost(r, usage(1500, 0, 0, 500)) == "0.0045 / 0 / 0.0045");
    }
    SECTION("a tier's input price is the fallback for its missing cache prices") {
        const PriceRule r =
            rule(rates("1", "2"), R"({"tiers": [{"above_prompt_tokens": 1000, "input": "3"}]})");
        CHECK(cost(r, usage(2000, 0, 1000)) == "0.006 / 0 / 0.006");
        CHECK(cost(r, usage(1000, 0, 500)) == "0.001 / 0 / 0.001");
    }
    SECTION("a tier above 0 applies to any prompt") {
        const PriceRule r =
            rule(rates("1", "2"), R"({"tiers": [{"above_prompt_tokens": 0, "input": 2.5e-06}]})");
        CHECK(cost(r, usage(0, 10)) == "0 / 0.00002 / 0.00002");
        CHECK(cost(r, usage(1000000, 0)) == "0.0000025 / 0 / 0.0000025");
    }
    SECTION("a tier can price a kind the base leaves unpriced") {
        const PriceRule r = rule(rates("1", nullptr),
                                 R"({"tiers": [{"above_prompt_tokens": 100, "output": "4"}]})");
        CHECK(cost(r, usage(100, 1)) == "unpriced");
        CHECK(cost(r, usage(101, 1)) == "0.000101 / 0.000004 / 0.000105");
    }
}

TEST_CASE("compute_cost: time-of-day windows, also past midnight", "[core][price]") {
    const PriceRule night =
        rule(rates("10", "20"),
             R"({"time_of_day": [{"from": "22:00", "to": "06:00", "input": "1", "output": "2",
                             "tiers": [{"above_prompt_tokens": 1000, "input": "4"}]}]})");
    REQUIRE(night.time_of_day.size() == 1);
    CHECK(night.time_of_day[0].from_usec == at(22, 0));
    CHECK(night.time_of_day[0].to_usec == at(6, 0));
    const std::string base = "0.01 / 0.02 / 0.03", window = "0.001 / 0.002 / 0.003";
    const std::vector<std::pair<int64_t, std::string>> times = {
        {at(12, 0), base},   {at(21, 59, 59, 999999), base},
        {at(22, 0), window}, {at(23, 59, 59, 999999), window},
        {at(0, 0), window},  {at(5, 59, 59, 999999), window},
        {at(6, 0), base},    {at(6, 0, 0, 1), base},
    };
    for (const auto& [usec, expected] : times) {
        INFO("usec of day: " << usec);
        CHECK(cost(night, usage(1000, 1000), usec) == expected);
    }
    // The window's own tiers apply inside it only: 1001*4 = 0.004004.
    CHECK(cost(night, usage(1001, 1000), at(23, 0)) == "0.004004 / 0.002 / 0.006004");
    CHECK(cost(night, usage(1001, 1000), at(12, 0)) == "0.01001 / 0.02 / 0.03001");

    SECTION("a window inside one day, and the first matching window wins") {
        const PriceRule r = rule(rates("10", "10"), R"({"time_of_day": [
            {"from": "00:30", "to": "12:00", "input": "1", "output": "1"},
            {"from": "06:00", "to": "16:30:00Z", "input": "2", "output": "2"},
            {"from": "20:00", "to": "24:00", "input": "3", "output": "3"}]})");
        const std::vector<std::pair<int64_t, std::string>> cases = {
            {at(0, 29, 59, 999999), "0.01"},
            {at(0, 30), "0.001"},
            {at(7, 0), "0.001"},
            {at(12, 0), "0.002"},
            {at(16, 29, 59), "0.002"},
            {at(16, 30), "0.01"},
            {at(19, 59, 59), "0.01"},
            {at(20, 0), "0.003"},
            {at(23, 59, 59, 999999), "0.003"},
        };
        for (const auto& [usec, input] : cases) {
            INFO("usec of day: " << usec);
            std::optional<RecordCost> c = compute_cost(r, usage(1000, 0), usec);
            REQUIRE(c);
            CHECK(c->input_cost.to_string() == input);
        }
        CHECK(r.time_of_day[2].to_usec == at(24, 0));
    }
    SECTION("the request fee applies inside windows too") {
        const PriceRule r = rule(rates("10", "20"), R"({"request_fee": "0.5", "time_of_day": [
            {"from": "00:00", "to": "01:00", "input": "1", "output": "2"}]})");
        CHECK(cost(r, usage(1000, 1000), at(0, 30)) == "0.001 / 0.002 / 0.503");
    }
}

TEST_CASE("compute_cost: overflow throws DecimalError", "[core][price]") {
    // 1e14 USD per 1M tokens times INT64_MAX tokens: the multiplication overflows.
    CHECK(cost_error(rule(rates("100000000000000", "1")), usage(INT64_MAX, 0)) ==
          DecimalErrorKind::OutOfRange);
    CHECK(cost_error(rule(rates("1", "100000000000000")), usage(0, INT64_MAX)) ==
          DecimalErrorKind::OutOfRange);
    // Each term is 1e14 USD, in range; their sum, 2e14, is not.
    CHECK(cost_error(rule(rates("100000000", "1", "100000000")),
                     usage(2000000000000, 0, 1000000000000)) == DecimalErrorKind::OutOfRange);
    CHECK(cost_error(rule(rates("100000000", "100000000")), usage(1000000000000, 1000000000000)) ==
          DecimalErrorKind::OutOfRange);
    // 1.5e14 of input plus a 1e14 request fee.
    CHECK(cost_error(rule(rates("100000000", "1"), R"({"request_fee": "100000000000000"})"),
                     usage(1500000000000, 0)) == DecimalErrorKind::OutOfRange);
    // Just in range: 1e12 tokens at 1e8 = 1e14 USD.
    CHECK(cost(rule(rates("100000000", "1")), usage(1000000000000, 0)) ==
          "100000000000000 / 0 / 100000000000000");
}

TEST_CASE("make_price_rule reads a valid pricing_structure", "[core][price]") {
    const PriceRule r = make_price_rule(7, rates("3", "15"),
                                        R"({"note": "ignored", "request_fee": "0.005",
            "tiers": [{"above_prompt_tokens": 128000, "input": 6, "cached_input": null},
                      {"above_prompt_tokens": 200000, "output": "30"}],
            "time_of_day": [{"from": "10:00:30Z", "to": "11:00", "input": "1"}]})");
    CHECK(r.price_id == 7);
    CHECK(r.base.rates.input->to_string() == "3");
    CHECK(r.base.rates.output->to_string() == "15");
    CHECK_FALSE(r.base.rates.cached_input);
    CHECK(r.request_fee.to_string() == "0.005");
    REQUIRE(r.base.tiers.size() == 2);
    CHECK(r.base.tiers[0].above_prompt_tokens == 128000);
    CHECK(r.base.tiers[0].rates.input->to_string() == "6");
    CHECK_FALSE(r.base.tiers[0].rates.cached_input);
    CHECK_FALSE(r.base.tiers[0].rates.output);
    CHECK(r.base.tiers[1].above_prompt_tokens == 200000);
    CHECK(r.base.tiers[1].rates.output->to_string() == "30");
    REQUIRE(r.time_of_day.size() == 1);
    CHECK(r.time_of_day[0].from_usec == at(10, 0, 30));
    CHECK(r.time_of_day[0].to_usec == at(11, 0));
    CHECK(r.time_of_day[0].variant.rates.input->to_string() == "1");
    CHECK(r.time_of_day[0].variant.tiers.empty());

    const PriceRule empty = make_price_rule(8, rates("1", "2"), "");
    CHECK(empty.base.tiers.empty());
    CHECK(empty.time_of_day.empty());
    CHECK(empty.request_fee.to_string() == "0");
    CHECK(make_price_rule(9, Rates{}, "  {}  ").price_id == 9);
}

TEST_CASE("make_price_rule names the JSON path of what is wrong", "[core][price]") {
    const std::string time_error = R"(must be a UTC time "HH:MM" or "HH:MM:SS")";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[]", "pricing_structure: must be a JSON object"},
        {"\"x\"", "pricing_structure: must be a JSON object"},
        {R"({"tiers": {}})", "pricing_structure.tiers: must be an array"},
        {R"({"tiers": [1]})", "pricing_structure.tiers[0]: must be an object"},
        {R"({"tiers": [{"input": "1"}]})",
         "pricing_structure.tiers[0].above_prompt_tokens: must be a non-negative integer"},
        {R"({"tiers": [{"above_prompt_tokens": -1}]})",
         "pricing_structure.tiers[0].above_prompt_tokens: must be a non-negative integer"},
        {R"({"tiers": [{"above_prompt_tokens": 1.5}]})",
         "pricing_structure.tiers[0].above_prompt_tokens: must be a non-negative integer"},
        {R"({"tiers": [{"above_prompt_tokens": "100"}]})",
         "pricing_structure.tiers[0].above_prompt_tokens: must be a non-negative integer"},
        {R"({"tiers": [{"above_prompt_tokens": 10}, {"above_prompt_tokens": 10}]})",
         "pricing_structure.tiers[1]: thresholds must be in ascending order"},
        {R"({"tiers": [{"above_prompt_tokens": 10}, {"above_prompt_tokens": 5}]})",
         "pricing_structure.tiers[1]: thresholds must be in ascending order"},
        {R"({"tiers": [{"above_prompt_tokens": 10, "input": "abc"}]})",
         R"(pricing_structure.tiers[0].input: "abc" not a decimal number)"},
        {R"({"tiers": [{"above_prompt_tokens": 10, "output": true}]})",
         "pricing_structure.tiers[0].output: must be a decimal string or number"},
        {R"({"tiers": [{"above_prompt_tokens": 10, "cached_input": ""}]})",
         "pricing_structure.tiers[0].cached_input: must be a decimal string or number"},
        {R"({"tiers": [{"above_prompt_tokens": 10, "cache_write": [1]}]})",
         "pricing_structure.tiers[0].cache_write: must be a decimal string or number"},
        {R"({"request_fee": "-1"})", R"(pricing_structure.request_fee: "-1" price is negative)"},
        {R"({"request_fee": 0.0000000000000000001})",
         R"(pricing_structure.request_fee: "0.0000000000000000001" has 19 fractional digits; )"
         "at most 18 are allowed here"},
        {R"({"request_fee": "1e15"})",
         R"(pricing_structure.request_fee: "1e15" value is out of range: the cost type holds )"
         "at most 39 digits, 24 of them after the decimal point"},
        {R"({"time_of_day": {}})", "pricing_structure.time_of_day: must be an array"},
        {R"({"time_of_day": [1]})", "pricing_structure.time_of_day[0]: must be an object"},
        {R"({"time_of_day": [{"to": "01:00"}]})",
         "pricing_structure.time_of_day[0].from: " + time_error},
        {R"({"time_of_day": [{"from": "25:00", "to": "01:00"}]})",
         "pricing_structure.time_of_day[0].from: " + time_error},
        {R"({"time_of_day": [{"from": "01:00"}]})",
         "pricing_structure.time_of_day[0].to: " + time_error},
        {R"({"time_of_day": [{"from": "10:00", "to": "10:00:00"}]})",
         R"(pricing_structure.time_of_day[0]: "from" and "to" are equal)"},
        {R"({"time_of_day": [{"from": "00:00", "to": "01:00"}, {"from": 1, "to": "02:00"}]})",
         "pricing_structure.time_of_day[1].from: " + time_error},
        {R"({"time_of_day": [{"from": "10:00", "to": "11:00", "input": "x"}]})",
         R"(pricing_structure.time_of_day[0].input: "x" not a decimal number)"},
        {R"({"time_of_day": [{"from": "10:00", "to": "11:00",
                              "tiers": [{"above_prompt_tokens": "x"}]}]})",
         "pricing_structure.time_of_day[0].tiers[0].above_prompt_tokens: must be a non-negative "
         "integer"},
        {R"({"time_of_day": [{"from": "10:00", "to": "11:00",
                              "tiers": [{"above_prompt_tokens": 1, "output": "-2"}]}]})",
         R"(pricing_structure.time_of_day[0].tiers[0].output: "-2" price is negative)"},
    };
    for (const auto& [json, message] : cases) {
        INFO("structure: " << json);
        CHECK(rule_error(json) == message);
    }
    CHECK(rule_error("{not json").rfind("pricing_structure: is not valid JSON: ", 0) == 0);
    CHECK(rule_error("{\"a\": 1} 2").rfind("pricing_structure: is not valid JSON: ", 0) == 0);
}

TEST_CASE("make_price_rule accepts only real UTC times of day", "[core][price]") {
    const std::vector<std::pair<std::string, int64_t>> good = {
        {"00:00", at(0, 0)},        {"23:59", at(23, 59)},   {"23:59:59", at(23, 59, 59)},
        {"24:00", at(24, 0)},       {"24:00:00", at(24, 0)}, {"07:05Z", at(7, 5)},
        {"07:05:09Z", at(7, 5, 9)},
    };
    for (const auto& [text, usec] : good) {
        INFO("time: " << text);
        PriceRule r = make_price_rule(
            1, Rates{}, R"({"time_of_day": [{"from": ")" + text + R"(", "to": "00:00:01"}]})");
        CHECK(r.time_of_day[0].from_usec == usec);
    }
    const std::vector<std::string> bad = {
        "",        "7:05",     "07:5",   "0705",     "07-05",  "24:01",       "24:00:01",
        "23:60",   "23:59:60", "-1:00",  "07:05:9",  "07:05:", "07:05:09:00", "7:05:09",
        "07:05ZZ", "07:05 ",   " 7:05",  "+7:05",    "12:3a",  "12:3 ",       "07:05:1x",
        "07:+5",   "ab:cd",    "T07:05", "07:05+01",
    };
    for (const std::string& text : bad) {
        INFO("time: '" << text << "'");
        CHECK(rule_error(R"({"time_of_day": [{"from": ")" + text + R"(", "to": "00:00:01"}]})") ==
              R"(pricing_structure.time_of_day[0].from: must be a UTC time "HH:MM" or "HH:MM:SS")");
    }
}

namespace {

// Counts by name, for the cases that need the 1-hour cache write.
struct Counts {
    int64_t prompt = 0, completion = 0, cached = 0, write = 0, write_1h = 0, reasoning = 0;
};

// UsageCounts from named counts.
UsageCounts counts(const Counts& c) {
    UsageCounts u;
    u.prompt_tokens = c.prompt;
    u.completion_tokens = c.completion;
    u.cached_tokens = c.cached;
    u.cache_write_tokens = c.write;
    u.cache_write_1h_tokens = c.write_1h;
    u.reasoning_tokens = c.reasoning;
    return u;
}

// All six column rates from texts (nullptr = not set).
Rates all_rates(const char* input, const char* output, const char* cached, const char* write,
                const char* write_1h, const char* reasoning) {
    return Rates{price(input), price(output),   price(cached),
                 price(write), price(write_1h), price(reasoning)};
}

// cost() on a service tier.
std::string tier_cost(const PriceRule& r, const UsageCounts& u, ServiceTier tier) {
    std::optional<RecordCost> c = compute_cost(r, u, at(12, 0), tier);
    if (!c) return "unpriced";
    return c->input_cost.to_string() + " / " + c->output_cost.to_string() + " / " +
           c->total_cost.to_string();
}

// Why compute_cost leaves a record unpriced, or "priced".
std::string unpriced_reason(const PriceRule& r, const UsageCounts& u,
                            ServiceTier tier = ServiceTier::Standard) {
    const char* reason = nullptr;
    std::optional<RecordCost> c = compute_cost(r, u, at(12, 0), tier, &reason);
    if (c) return reason == nullptr ? "priced" : std::string("priced, yet a reason: ") + reason;
    return reason == nullptr ? "unpriced without a reason" : reason;
}

}  // namespace

TEST_CASE("compute_cost: the issue's hand cases", "[core][price]") {
    SECTION("Anthropic: 3 input + 12304 cache write + 550 output at 3 / 3.75 / 15") {
        // 3*3 + 12304*3.75 = 9 + 46140 = 46149 millionths; 550*15 = 8250 millionths.
        const PriceRule sonnet = rule(rates("3", "15", "0.30", "3.75"));
        CHECK(cost(sonnet, usage(12307, 550, 0, 12304)) == "0.046149 / 0.00825 / 0.054399");
        // The same counts from the Anthropic usage object, whose input_tokens exclude writes.
        UsageCounts from_api =
            normalize_usage(UsageFormat::Anthropic, parse_json_exact(R"({"input_tokens": 3,
                "cache_creation_input_tokens": 12304, "cache_read_input_tokens": 0,
                "output_tokens": 550})"));
        CHECK(from_api.prompt_tokens == 12307);
        CHECK(from_api.cache_write_tokens == 12304);
        CHECK(cost(sonnet, from_api) == "0.046149 / 0.00825 / 0.054399");
        // Reading input_tokens as the whole prompt would undercount: 3 tokens, not 12307.
        CHECK(cost(sonnet, usage(3, 550)) != "0.046149 / 0.00825 / 0.054399");
    }
    SECTION("reasoning: 14746 prompt, 1944 completion (1360 reasoning) at 30 / 180") {
        // 14746*30 = 442380 millionths; all 1944 output tokens at 180 = 349920 millionths.
        const UsageCounts u = usage(14746, 1944, 0, 0, 1360);
        CHECK(cost(rule(rates("30", "180")), u) == "0.44238 / 0.34992 / 0.7923");
        // A reasoning price of its own bills the 1360 apart: 584*180 + 1360*60 = 186720.
        CHECK(cost(rule(all_rates("30", "180", nullptr, nullptr, nullptr, "60")), u) ==
              "0.44238 / 0.18672 / 0.6291");
    }
    SECTION("context tier: base 2, above 200k 4") {
        const PriceRule r =
            rule(rates("2", "8"), R"({"tiers": [{"above_prompt_tokens": 200000, "input": "4"}]})");
        CHECK(cost(r, usage(250000, 0)) == "1 / 0 / 1");
        CHECK(cost(r, usage(200000, 0)) == "0.4 / 0 / 0.4");
        CHECK(cost(r, usage(200001, 0)) == "0.800004 / 0 / 0.800004");
    }
    SECTION("500 prompt at 0.50 + 910 completion at 1.50, a million times") {
        const PriceRule r = rule(rates("0.50", "1.50"));
        std::optional<RecordCost> one = compute_cost(r, usage(500, 910), at(12, 0));
        REQUIRE(one);
        CHECK(one->total_cost.to_string() == "0.001615");
        Decimal sum;
        for (int i = 0; i < 1000000; ++i) sum = sum + one->total_cost;
        CHECK(sum.to_string() == "1615");
        CHECK(sum == Decimal::from_int(1615));
    }
}

TEST_CASE("compute_cost: the 1-hour cache write price and its fallback", "[core][price]") {
    // 1000 uncached*3 + 2000 read*0.3 + 3000 5m-write*3.75 + 4000 1h-write*6 = 0.03885;
    // output 100*15 = 0.0015.
    const UsageCounts u = counts({10000, 100, 2000, 3000, 4000, 0});
    CHECK(cost(rule(all_rates("3", "15", "0.3", "3.75", "6", nullptr)), u) ==
          "0.03885 / 0.0015 / 0.04035");
    // A missing 1-hour price falls back to the input price, not to the 5-minute write price:
    // 1000*3 + 2000*0.3 + 3000*3.75 + 4000*3 = 0.02685.
    CHECK(cost(rule(all_rates("3", "15", "0.3", "3.75", nullptr, nullptr)), u) ==
          "0.02685 / 0.0015 / 0.02835");
    // Nothing but the input price: every prompt token at 3.
    CHECK(cost(rule(rates("3", "15")), u) == "0.03 / 0.0015 / 0.0315");
    // The 1-hour price alone prices a prompt made only of 1-hour writes.
    CHECK(cost(rule(all_rates(nullptr, nullptr, nullptr, nullptr, "6", nullptr)),
               counts({1000, 0, 0, 0, 1000, 0})) == "0.006 / 0 / 0.006");
    CHECK(cost(rule(all_rates(nullptr, "15", nullptr, "3.75", nullptr, nullptr)),
               counts({1000, 0, 0, 0, 1000, 0})) == "unpriced");
    SECTION("a context tier may set the 1-hour price") {
        const PriceRule r = rule(all_rates("3", "15", "0.3", "3.75", "6", nullptr),
                                 R"({"tiers": [{"above_prompt_tokens": 200000, "input": "6",
                                     "cache_write_1h": "12"}]})");
        // 100000 uncached*6 + 150000 1h-writes*12 = 0.6 + 1.8.
        CHECK(cost(r, counts({250000, 0, 0, 0, 150000, 0})) == "2.4 / 0 / 2.4");
        CHECK(cost(r, counts({200000, 0, 0, 0, 150000, 0})) == "1.05 / 0 / 1.05");
    }
}

TEST_CASE("compute_cost: the reasoning price and its fallback", "[core][price]") {
    const UsageCounts u = usage(1000, 1000, 0, 0, 400);
    // 600 output*10 + 400 reasoning*40 = 0.022.
    CHECK(cost(rule(all_rates("1", "10", nullptr, nullptr, nullptr, "40")), u) ==
          "0.001 / 0.022 / 0.023");
    // No reasoning price: reasoning tokens cost the output price, 1000*10.
    CHECK(cost(rule(rates("1", "10")), u) == "0.001 / 0.01 / 0.011");
    // A reasoning price of 0 is a price, not a missing one.
    CHECK(cost(rule(all_rates("1", "10", nullptr, nullptr, nullptr, "0")), u) ==
          "0.001 / 0.006 / 0.007");
    // Only reasoning tokens and only a reasoning price: priced; with visible output: not.
    const PriceRule reasoning_only = rule(all_rates("1", nullptr, nullptr, nullptr, nullptr, "40"));
    CHECK(cost(reasoning_only, usage(0, 400, 0, 0, 400)) == "0 / 0.016 / 0.016");
    CHECK(cost(reasoning_only, usage(0, 401, 0, 0, 400)) == "unpriced");
    SECTION("structure members set it in context and service tiers") {
        const PriceRule r = rule(all_rates("1", "10", nullptr, nullptr, nullptr, "40"),
                                 R"({"tiers": [{"above_prompt_tokens": 500, "reasoning": "80"}],
                                     "service_tiers": {"batch": {"reasoning": "20",
                                         "tiers": [{"above_prompt_tokens": 500,
                                                    "reasoning": "30"}]}}})");
        CHECK(r.base.tiers[0].rates.reasoning->to_string() == "80");
        CHECK(cost(r, usage(500, 1000, 0, 0, 400)) == "0.0005 / 0.022 / 0.0225");
        CHECK(cost(r, u) == "0.001 / 0.038 / 0.039");
        // Batch: 600*10 + 400*20 up to 500 prompt tokens, 600*10 + 400*30 above.
        CHECK(tier_cost(r, usage(500, 1000, 0, 0, 400), ServiceTier::Batch) ==
              "0.0005 / 0.014 / 0.0145");
        CHECK(tier_cost(r, u, ServiceTier::Batch) == "0.001 / 0.018 / 0.019");
    }
}

TEST_CASE("compute_cost: service tiers overlay the standard rates", "[core][price]") {
    const PriceRule r = rule(rates("2.50", "10", "1.25"), R"({"service_tiers": {
        "batch": {"input": "1.25", "output": "5"},
        "priority": {"input": "4.25", "output": "17", "cached_input": "2.125"},
        "flex": {"output": "5",
                 "tiers": [{"above_prompt_tokens": 100000, "input": "2"}]}}})");
    const UsageCounts u = usage(2006, 300, 1920);
    CHECK(cost(r, u) == "0.002615 / 0.003 / 0.005615");
    CHECK(tier_cost(r, u, ServiceTier::Standard) == "0.002615 / 0.003 / 0.005615");
    // Batch names input and output only: the 1920 cached tokens keep the standard cached rate.
    // 86*1.25 + 1920*1.25 = 0.0025075; 300*5 = 0.0015.
    CHECK(tier_cost(r, u, ServiceTier::Batch) == "0.0025075 / 0.0015 / 0.0040075");
    // Priority names all three: 86*4.25 + 1920*2.125 = 0.0044455; 300*17 = 0.0051.
    CHECK(tier_cost(r, u, ServiceTier::Priority) == "0.0044455 / 0.0051 / 0.0095455");
    // Flex keeps the standard input below its own tier and takes 2 above it.
    CHECK(tier_cost(r, u, ServiceTier::Flex) == "0.002615 / 0.0015 / 0.004115");
    CHECK(tier_cost(r, usage(100001, 0), ServiceTier::Flex) == "0.200002 / 0 / 0.200002");

    SECTION("a tier without rates of its own leaves the record unpriced") {
        const PriceRule batch_only =
            rule(rates("2.50", "10"), R"({"service_tiers": {"batch": {"input": "1.25"}}})");
        CHECK(tier_cost(batch_only, u, ServiceTier::Priority) == "unpriced");
        CHECK(tier_cost(batch_only, u, ServiceTier::Flex) == "unpriced");
        CHECK(unpriced_reason(batch_only, u, ServiceTier::Priority) ==
              "no price for this service tier");
        CHECK(tier_cost(rule(rates("2.50", "10")), u, ServiceTier::Batch) == "unpriced");
        // An empty tier object is a tier priced at the standard rates.
        CHECK(tier_cost(rule(rates("2.50", "10"), R"({"service_tiers": {"flex": {}}})"), u,
                        ServiceTier::Flex) == "0.005015 / 0.003 / 0.008015");
    }
    SECTION("the standard context tiers apply first; a tier's rates replace them") {
        const PriceRule tiered =
            rule(rates("1.25", "10"), R"({"tiers": [{"above_prompt_tokens": 200000,
                                          "input": "2.5", "output": "15"}],
                 "service_tiers": {"batch": {"output": "5"},
                                   "priority": {"input": "0.625",
                                                "tiers": [{"above_prompt_tokens": 200000,
                                                           "input": "1.25"}]}}})");
        // Batch has no long-context rates: up to 200k it overlays the standard base (input
        // 1.25, its output 5); above 200k it has no price of its own, so the record is unpriced
        // rather than charged at a short-context or an undiscounted rate.
        CHECK(tier_cost(tiered, usage(200000, 1000), ServiceTier::Batch) == "0.25 / 0.005 / 0.255");
        CHECK(tier_cost(tiered, usage(250000, 1000), ServiceTier::Batch) == "unpriced");
        CHECK(unpriced_reason(tiered, usage(250000, 1000), ServiceTier::Batch) ==
              "no price for this service tier at this context size");
        // Priority's own tiers: 0.625 up to 200k, 1.25 above; output is the standard one.
        CHECK(tier_cost(tiered, usage(200000, 1000), ServiceTier::Priority) ==
              "0.125 / 0.01 / 0.135");
        CHECK(tier_cost(tiered, usage(250000, 1000), ServiceTier::Priority) ==
              "0.3125 / 0.015 / 0.3275");
    }
    SECTION("the request fee applies on every tier") {
        const PriceRule fee = rule(rates("1", "1"), R"({"request_fee": "0.01",
                                       "service_tiers": {"batch": {"input": "0.5"}}})");
        CHECK(tier_cost(fee, usage(1000, 0), ServiceTier::Batch) == "0.0005 / 0 / 0.0105");
    }
}

TEST_CASE("parse_service_tier: the tiers and OpenAI's names of the standard tier",
          "[core][price]") {
    const std::vector<std::pair<std::string, ServiceTier>> names = {
        {"standard", ServiceTier::Standard}, {"default", ServiceTier::Standard},
        {"auto", ServiceTier::Standard},     {"scale", ServiceTier::Standard},
        {"batch", ServiceTier::Batch},       {"priority", ServiceTier::Priority},
        {"flex", ServiceTier::Flex},
    };
    for (const auto& [name, tier] : names) {
        INFO("tier: " << name);
        REQUIRE(parse_service_tier(name));
        CHECK(*parse_service_tier(name) == tier);
    }
    for (const char* bad : {"", " batch", "on_demand", "premium", "standard ", "batches"}) {
        INFO("tier: '" << bad << "'");
        CHECK_FALSE(parse_service_tier(bad));
    }
    CHECK(std::string(service_tier_name(ServiceTier::Standard)) == "standard");
    CHECK(std::string(service_tier_name(ServiceTier::Batch)) == "batch");
    CHECK(std::string(service_tier_name(ServiceTier::Priority)) == "priority");
    CHECK(std::string(service_tier_name(ServiceTier::Flex)) == "flex");
}

TEST_CASE("compute_cost says why a record stays unpriced", "[core][price]") {
    CHECK(unpriced_reason(rule(kGpt4o), usage(2006, 300, 1920)) == "priced");
    CHECK(unpriced_reason(rule(rates(nullptr, "10")), usage(1, 0)) == "no input price");
    CHECK(unpriced_reason(rule(rates(nullptr, "10")), usage(100, 0, 100)) == "no input price");
    CHECK(unpriced_reason(rule(rates(nullptr, "10")), counts({100, 0, 0, 0, 100, 0})) ==
          "no input price");
    CHECK(unpriced_reason(rule(rates("1", nullptr)), usage(0, 1)) == "no output price");
    CHECK(unpriced_reason(rule(rates("1", nullptr)), usage(0, 1, 0, 0, 1)) == "no output price");
    // Both missing: the input is reported first.
    CHECK(unpriced_reason(rule(rates(nullptr, nullptr)), usage(1, 1)) == "no input price");
    CHECK(unpriced_reason(rule(rates("1", "1")), usage(1, 1), ServiceTier::Batch) ==
          "no price for this service tier");
    // A priced record leaves *unpriced_reason untouched.
    const char* reason = "untouched";
    CHECK(compute_cost(rule(kGpt4o), usage(1, 1), 0, ServiceTier::Standard, &reason));
    CHECK(std::string(reason) == "untouched");
}

TEST_CASE("make_price_rule reads and checks service tiers", "[core][price]") {
    const PriceRule r =
        make_price_rule(3, all_rates("3", "15", nullptr, nullptr, "6", "20"), R"({"service_tiers": {
            "batch": {"input": "1.5", "output": 7.5, "cache_write_1h": "3"},
            "flex": {"tiers": [{"above_prompt_tokens": 10, "output": "1"}]}}})");
    CHECK(r.base.rates.cache_write_1h->to_string() == "6");
    CHECK(r.base.rates.reasoning->to_string() == "20");
    CHECK_FALSE(r.service_tiers[static_cast<size_t>(ServiceTier::Standard)]);
    CHECK_FALSE(r.service_tiers[static_cast<size_t>(ServiceTier::Priority)]);
    const auto& batch = r.service_tiers[static_cast<size_t>(ServiceTier::Batch)];
    REQUIRE(batch);
    CHECK(batch->rates.input->to_string() == "1.5");
    CHECK(batch->rates.output->to_string() == "7.5");
    CHECK(batch->rates.cache_write_1h->to_string() == "3");
    CHECK_FALSE(batch->rates.cached_input);
    const auto& flex = r.service_tiers[static_cast<size_t>(ServiceTier::Flex)];
    REQUIRE(flex);
    CHECK_FALSE(flex->rates.input);
    REQUIRE(flex->tiers.size() == 1);
    CHECK(flex->tiers[0].rates.output->to_string() == "1");

    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"service_tiers": []})", "pricing_structure.service_tiers: must be an object"},
        {R"({"service_tiers": {"batch": 1}})",
         "pricing_structure.service_tiers.batch: must be an object"},
        {R"({"service_tiers": {"standard": {}}})",
         "pricing_structure.service_tiers.standard: is not a service tier: use batch, priority "
         "or flex"},
        {R"({"service_tiers": {"default": {}}})",
         "pricing_structure.service_tiers.default: is not a service tier: use batch, priority "
         "or flex"},
        {R"({"service_tiers": {"Batch": {}}})",
         "pricing_structure.service_tiers.Batch: is not a service tier: use batch, priority or "
         "flex"},
        {R"({"service_tiers": {"batch": {"input": "-1"}}})",
         R"(pricing_structure.service_tiers.batch.input: "-1" price is negative)"},
        // A misspelt rate would leave the standard rate in place without a word.
        {R"({"service_tiers": {"batch": {"inptu": "0.5"}}})",
         "pricing_structure.service_tiers.batch.inptu: is not a rate: use input, output, "
         "cached_input, cache_write, cache_write_1h or reasoning"},
        {R"({"tiers": [{"above_prompt_tokens": 1000, "inptu": "1"}]})",
         "pricing_structure.tiers[0].inptu: is not a rate: use input, output, cached_input, "
         "cache_write, cache_write_1h or reasoning"},
        {R"({"time_of_day": [{"from": "00:00", "to": "01:00", "outptu": "1"}]})",
         "pricing_structure.time_of_day[0].outptu: is not a rate: use input, output, "
         "cached_input, cache_write, cache_write_1h or reasoning"},
        {R"({"service_tiers": {"priority": {"tiers": [{"above_prompt_tokens": 5},
                                                      {"above_prompt_tokens": 5}]}}})",
         "pricing_structure.service_tiers.priority.tiers[1]: thresholds must be in ascending "
         "order"},
        {R"({"tiers": [{"above_prompt_tokens": 1, "cache_write_1h": "x"}]})",
         R"(pricing_structure.tiers[0].cache_write_1h: "x" not a decimal number)"},
        {R"({"tiers": [{"above_prompt_tokens": 1, "reasoning": false}]})",
         "pricing_structure.tiers[0].reasoning: must be a decimal string or number"},
    };
    for (const auto& [json, message] : cases) {
        INFO("structure: " << json);
        CHECK(rule_error(json) == message);
    }
}
