// Prices and the cost formula: parse_price, compute_cost and make_price_rule's validation.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "price_rule.hpp"
#include "test_support.hpp"

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
    return Rates{price(input), price(output), price(cached), price(write)};
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
