// The exact fixed-point Decimal: parsing, text, arithmetic, rounding and the checked helpers.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "decimal.hpp"
#include "test_support.hpp"

using namespace costops;
using test_support::decimal_error_kind;

namespace {

constexpr int128 kMax = static_cast<int128>(~static_cast<unsigned __int128>(0) >> 1);
constexpr int128 kMin = -kMax - 1;
const std::string kMaxText = "170141183460469.231731687303715884105727";
const std::string kMinText = "-170141183460469.231731687303715884105728";

// The shortest text of a parsed literal.
std::string parsed(const std::string& text, int max_fraction_digits = Decimal::kScale) {
    return Decimal::parse(text, max_fraction_digits).to_string();
}

// The kind of DecimalError parsing `text` throws.
DecimalErrorKind parse_error_kind(const std::string& text, int max_fraction_digits = 24) {
    return decimal_error_kind([&] { Decimal::parse(text, max_fraction_digits); });
}

// The message of the DecimalError parsing `text` throws.
std::string parse_error_text(const std::string& text, int max_fraction_digits = 24) {
    return test_support::thrown_message<DecimalError>(
        [&] { Decimal::parse(text, max_fraction_digits); });
}

// A decimal from its literal text.
Decimal dec(const std::string& text) {
    return Decimal::parse(text);
}

// The text of a value built from its raw count of 10^-24 units.
std::string raw_text(int128 raw) {
    return Decimal::from_raw(raw).to_string();
}

}  // namespace

TEST_CASE("Decimal::parse reads signs, exponents, zeros and blanks exactly", "[core][decimal]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"0", "0"},
        {"-0", "0"},
        {"+0.000", "0"},
        {"1", "1"},
        {"+1.50", "1.5"},
        {"-1.5", "-1.5"},
        {"30", "30"},
        {"000123.4500", "123.45"},
        {".5", "0.5"},
        {"5.", "5"},
        {"-.25", "-0.25"},
        {"2.5e-06", "0.0000025"},
        {"2.5E-6", "0.0000025"},
        {"2.5e+3", "2500"},
        {"2.5E3", "2500"},
        {"1e0", "1"},
        {"-1e-24", "-0.000000000000000000000001"},
        {"12.5e-23", "0.000000000000000000000125"},
        {"0.000000000000000000000001", "0.000000000000000000000001"},
        {"1e14", "100000000000000"},
        {"0.005615", "0.005615"},
        {"100e-2", "1"},
        {"0.0010e3", "1"},
        {"1.000000000000000000000000000000", "1"},  // trailing zeros are not precision
        {"0.00000000000000000000000000000", "0"},
        {"0e-1000", "0"},
        {"0e99999", "0"},
        {"  7 ", "7"},
        {"\t-7.70\t", "-7.7"},
        {"0000000000000000000000000000000000000000000000000042", "42"},
        {kMaxText, kMaxText},
        {kMinText, kMinText},
        {"1701411834604692317316873037158841057.27e-22", kMaxText},
        {"99999999999999.999999999999999999999999", "99999999999999.999999999999999999999999"},
    };
    for (const auto& [text, expected] : cases) {
        INFO("literal: '" << text << "'");
        CHECK(parsed(text) == expected);
    }
    CHECK(dec(kMaxText).raw() == kMax);
    CHECK(dec(kMinText).raw() == kMin);
    CHECK(dec("0.000000000000000000000001").raw() == 1);
    CHECK(dec("-1").raw() == -pow10_128(24));
}

TEST_CASE("Decimal::parse rejects bad syntax", "[core][decimal]") {
    const std::vector<std::string> bad = {
        "",     " ",     "\t",   "-",     "+",    ".",     "-.",    "abc",  "1.2.3", "1,5",
        "1e",   "1e+",   "1e-",  "e5",    "--1",  "+-1",   "1 2",   "0x10", "1e5.5", "nan",
        "inf",  "1_000", "1e 5", "1.5x",  "$1",   "1e5e5", "- 1",   "1\n",  "\n1",   "１",
        "1e-x", ".e1",   "+.",   "12a34", "1..2", "e",     "1E++5", "٣"};
    for (const std::string& text : bad) {
        INFO("literal: '" << text << "'");
        CHECK(parse_error_kind(text) == DecimalErrorKind::InvalidSyntax);
    }
    CHECK(parse_error_text("abc") == "not a decimal number");
}

TEST_CASE("Decimal::parse limits fractional digits", "[core][decimal]") {
    const std::vector<std::string> too_precise = {
        "1e-25",
        "0.0000000000000000000000001",
        "123.45e-23",
        "-0.0000000000000000000000015",
        "1.0000000000000000000000001",
        "1e-100000",
        "1e-99999999999999999999",
        // More than 100 significant digits is still "too precise", not "out of range".
        "0." + std::string(120, '3'),
        "1." + std::string(99, '0') + "1",
    };
    for (const std::string& text : too_precise) {
        INFO("literal: " << text);
        CHECK(parse_error_kind(text) == DecimalErrorKind::TooPrecise);
    }
    CHECK(parse_error_text("1e-25") == "has 25 fractional digits; at most 24 are allowed here");

    SECTION("a smaller limit") {
        CHECK(parsed("1.23", 2) == "1.23");
        CHECK(parsed("1.230000", 2) == "1.23");
        CHECK(parsed("1e1", 0) == "10");
        CHECK(parsed("15e-1", 1) == "1.5");
        CHECK(parse_error_kind("1.234", 2) == DecimalErrorKind::TooPrecise);
        CHECK(parse_error_kind("1.5", 0) == DecimalErrorKind::TooPrecise);
        CHECK(parse_error_kind("15e-1", 0) == DecimalErrorKind::TooPrecise);
        CHECK(parse_error_text("0.125", 2) ==
              "has 3 fractional digits; at most 2 are allowed here");
    }
    SECTION("a limit above the scale is the scale") {
        CHECK(parsed("1e-24", 30) == "0.000000000000000000000001");
        CHECK(parse_error_text("1e-25", 30) ==
              "has 25 fractional digits; at most 24 are allowed here");
    }
}

TEST_CASE("Decimal::parse rejects values out of range", "[core][decimal]") {
    const std::vector<std::string> out_of_range = {
        "170141183460469.231731687303715884105728",
        "-170141183460469.231731687303715884105729",
        "170141183460470",
        "1e15",
        "-1e15",
        "1e400",
        "1e99999999999999999999",
        "1000000000000000000000000000000000000000",
        // 39 digits whose value passes 2^128: must not wrap around to a small number.
        "400000000000000.000000000000000000000001",
        "999999999999999.999999999999999999999999",
        "340282366920938.463463374607431768211457",
        "-400000000000000.000000000000000000000001",
        "1" + std::string(200, '0'),
    };
    for (const std::string& text : out_of_range) {
        INFO("literal: " << text);
        CHECK(parse_error_kind(text) == DecimalErrorKind::OutOfRange);
    }
    CHECK(parse_error_text("1e15") ==
          "value is out of range: the cost type holds at most 39 digits, 24 of them after the "
          "decimal point");
}

TEST_CASE("Decimal::try_parse reports instead of throwing", "[core][decimal]") {
    Decimal out = dec("9");
    std::string error;
    CHECK(Decimal::try_parse("2.5e-06", out, error));
    CHECK(out.to_string() == "0.0000025");
    CHECK(error.empty());
    CHECK_FALSE(Decimal::try_parse("x", out, error));
    CHECK(error == "not a decimal number");
    CHECK(out.to_string() == "0.0000025");  // unchanged on failure
    CHECK_FALSE(Decimal::try_parse("0.001", out, error, 2));
    CHECK(error == "has 3 fractional digits; at most 2 are allowed here");
    CHECK_FALSE(Decimal::try_parse("1e15", out, error));
    CHECK(error.rfind("value is out of range", 0) == 0);
}

TEST_CASE("Decimal text is the shortest exact form", "[core][decimal]") {
    CHECK(raw_text(0) == "0");
    CHECK(raw_text(1) == "0.000000000000000000000001");
    CHECK(raw_text(-1) == "-0.000000000000000000000001");
    CHECK(raw_text(pow10_128(24)) == "1");
    CHECK(raw_text(-15 * pow10_128(23)) == "-1.5");
    CHECK(raw_text(5615 * pow10_128(18)) == "0.005615");
    CHECK(raw_text(30 * pow10_128(24)) == "30");
    CHECK(raw_text(1000000 * pow10_128(24) + 1) == "1000000.000000000000000000000001");
    CHECK(raw_text(kMax) == kMaxText);
    CHECK(raw_text(kMin) == kMinText);
    CHECK(Decimal().to_string() == "0");

    SECTION("write() fills the buffer and returns the length") {
        char buf[Decimal::kMaxTextLength + 1];
        int len = Decimal::from_raw(kMin).write(buf);
        CHECK(len == static_cast<int>(kMinText.size()));
        CHECK(len <= Decimal::kMaxTextLength);
        CHECK(std::string(buf) == kMinText);
        CHECK(Decimal::from_raw(-5).write(buf) == 27);
        CHECK(std::string(buf) == "-0.000000000000000000000005");
        CHECK(Decimal().write(buf) == 1);
        CHECK(std::string(buf) == "0");
    }
    SECTION("text parses back to the same value") {
        const std::vector<int128> raws = {0,
                                          1,
                                          -1,
                                          kMax,
                                          kMin,
                                          kMax - 1,
                                          kMin + 1,
                                          1234,
                                          -987,
                                          pow10_128(38),
                                          -pow10_128(38) + 7};
        for (int128 raw : raws) {
            std::string text = raw_text(raw);
            INFO("text: " << text);
            CHECK(dec(text).raw() == raw);
        }
    }
}

TEST_CASE("Decimal::from_int scales whole numbers and checks the range", "[core][decimal]") {
    CHECK(Decimal::from_int(0).to_string() == "0");
    CHECK(Decimal::from_int(30).to_string() == "30");
    CHECK(Decimal::from_int(-7).to_string() == "-7");
    CHECK(Decimal::from_int(170141183460469).to_string() == "170141183460469");
    CHECK(Decimal::from_int(-170141183460469).to_string() == "-170141183460469");
    CHECK(decimal_error_kind([] { Decimal::from_int(170141183460470); }) ==
          DecimalErrorKind::OutOfRange);
    CHECK(decimal_error_kind([] { Decimal::from_int(INT64_MIN); }) == DecimalErrorKind::OutOfRange);
}

TEST_CASE("Decimal::fraction_digits counts significant fractional digits", "[core][decimal]") {
    const std::vector<std::pair<std::string, int>> cases = {
        {"0", 0},        {"30", 0},     {"-30", 0},    {"1.5", 1},         {"-1.25", 2},
        {"0.005615", 6}, {"100.10", 1}, {"1e-24", 24}, {"123456789.1", 1}, {kMaxText, 24},
        {kMinText, 24},  {"0.1000", 1}, {"1e14", 0}};
    for (const auto& [text, digits] : cases) {
        INFO("value: " << text);
        CHECK(dec(text).fraction_digits() == digits);
    }
}

TEST_CASE("Decimal arithmetic is exact and throws on overflow", "[core][decimal]") {
    const Decimal ulp = Decimal::from_raw(1);
    const Decimal max = Decimal::from_raw(kMax), min = Decimal::from_raw(kMin);
    CHECK((dec("0.1") + dec("0.2")).to_string() == "0.3");
    CHECK((dec("0.002615") + dec("0.003")).to_string() == "0.005615");
    CHECK((dec("1") - dec("3")).to_string() == "-2");
    CHECK((dec("-1.5") - dec("-1.5")).to_string() == "0");
    CHECK((-dec("2.5")).to_string() == "-2.5");
    CHECK((-max).to_string() == "-170141183460469.231731687303715884105727");
    CHECK((min + max).to_string() == "-0.000000000000000000000001");
    CHECK((max - ulp + ulp) == max);
    CHECK(dec("0.001").times(3).to_string() == "0.003");
    CHECK(dec("2.5").times(-4).to_string() == "-10");
    CHECK(max.times(0).to_string() == "0");
    CHECK(max.times(1) == max);
    CHECK(min.times(1) == min);
    CHECK(dec("0.000001").times(INT64_MAX).to_string() == "9223372036854.775807");

    const std::vector<std::pair<const char*, void (*)()>> overflows = {
        {"max + ulp", [] { Decimal::from_raw(kMax) + Decimal::from_raw(1); }},
        {"min - ulp", [] { Decimal::from_raw(kMin) - Decimal::from_raw(1); }},
        {"min + -ulp", [] { Decimal::from_raw(kMin) + Decimal::from_raw(-1); }},
        {"max - -ulp", [] { Decimal::from_raw(kMax) - Decimal::from_raw(-1); }},
        {"-min", [] { -Decimal::from_raw(kMin); }},
        {"max * 2", [] { Decimal::from_raw(kMax).times(2); }},
        {"min * -1", [] { Decimal::from_raw(kMin).times(-1); }},
        {"1 * INT64_MAX", [] { Decimal::from_int(1).times(INT64_MAX); }},
        {"min / -1", [] { Decimal::from_raw(kMin).divided_by(-1); }},
    };
    for (const auto& [name, action] : overflows) {
        INFO(name);
        CHECK(decimal_error_kind(action) == DecimalErrorKind::OutOfRange);
    }
}

TEST_CASE("Decimal comparisons order by value", "[core][decimal]") {
    CHECK(dec("1.50") == dec("1.5"));
    CHECK(dec("1.5") != dec("1.6"));
    CHECK(dec("-2") < dec("-1.999999999999999999999999"));
    CHECK(dec("0.1") <= dec("0.1"));
    CHECK(dec("1e-24") > Decimal());
    CHECK(dec("3") >= dec("2.999"));
    CHECK(Decimal::from_raw(kMin) < Decimal::from_raw(kMax));
}

TEST_CASE("Decimal::divided_by rounds half to even at the 24th digit", "[core][decimal]") {
    CHECK(dec("1").divided_by(3).to_string() == "0.333333333333333333333333");
    CHECK(dec("2").divided_by(3).to_string() == "0.666666666666666666666667");
    CHECK(dec("-2").divided_by(3).to_string() == "-0.666666666666666666666667");
    CHECK(dec("1").divided_by(1000000).to_string() == "0.000001");
    CHECK(dec("0.005615").divided_by(-5).to_string() == "-0.001123");
    // Raw units, so that the rounding happens exactly at the 24th digit.
    const std::vector<std::tuple<int128, int64_t, int128>> cases = {
        {5, 2, 2},   {7, 2, 4},       {-5, 2, -2},     {-7, 2, -4},         {5, -2, -2},
        {-5, -2, 2}, {15, 10, 2},     {25, 10, 2},     {-25, 10, -2},       {35, 10, 4},
        {26, 10, 3}, {24, 10, 2},     {1, 3, 0},       {2, 3, 1},           {-1, 3, 0},
        {-2, 3, -1}, {6, 4, 2},       {10, 4, 2},      {14, 4, 4},          {9, 3, 3},
        {0, 7, 0},   {kMax, 1, kMax}, {kMin, 1, kMin}, {kMin, 2, kMin / 2}, {kMax, -1, -kMax},
    };
    for (const auto& [raw, divisor, quotient] : cases) {
        INFO(raw_text(raw) << " / " << divisor);
        CHECK(Decimal::from_raw(raw).divided_by(divisor).raw() == quotient);
    }
    CHECK(decimal_error_kind([] { dec("1").divided_by(0); }) == DecimalErrorKind::DivisionByZero);
}

TEST_CASE("checked_add, checked_mul and divide_half_even on int128", "[core][decimal]") {
    CHECK(checked_add(kMax - 5, 5) == kMax);
    CHECK(checked_add(kMin, kMax) == -1);
    CHECK(checked_mul(kMin / 2, 2) == kMin);
    CHECK(checked_mul(kMax, -1) == -kMax);
    CHECK(checked_mul(0, kMin) == 0);
    CHECK(pow10_128(0) == 1);
    CHECK(raw_text(pow10_128(24)) == "1");
    CHECK(raw_text(pow10_128(38)) == "100000000000000");

    // 2^127 - 1 halves to ...863.5, an odd quotient rounded up to the even 2^126.
    CHECK(raw_text(divide_half_even(kMax, 2)) == "85070591730234.615865843651857942052864");
    CHECK(divide_half_even(kMin, 2) == -(pow10_128(0) << 126));
    CHECK(divide_half_even(kMin, kMax) == -1);
    CHECK(divide_half_even(kMax, kMin) == -1);
    CHECK(divide_half_even(kMax, kMax) == 1);
    CHECK(divide_half_even(kMin, kMin) == 1);
    CHECK(divide_half_even(1, kMax) == 0);
    CHECK(divide_half_even(-7, -2) == 4);
    CHECK(divide_half_even(3, -2) == -2);
    CHECK(divide_half_even(-3, -2) == 2);
    CHECK(divide_half_even(1, -2) == 0);

    const std::vector<std::pair<const char*, void (*)()>> failures = {
        {"add", [] { checked_add(kMax, 1); }},
        {"add negative", [] { checked_add(kMin, -1); }},
        {"mul", [] { checked_mul(kMax, 2); }},
        {"mul min by -1", [] { checked_mul(kMin, -1); }},
        {"mul -1 by min", [] { checked_mul(-1, kMin); }},
        {"divide min by -1", [] { divide_half_even(kMin, -1); }},
    };
    for (const auto& [name, action] : failures) {
        INFO(name);
        CHECK(decimal_error_kind(action) == DecimalErrorKind::OutOfRange);
    }
    CHECK(decimal_error_kind([] { divide_half_even(5, 0); }) == DecimalErrorKind::DivisionByZero);
}
