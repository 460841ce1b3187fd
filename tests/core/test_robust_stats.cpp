// Exact robust statistics: medians, deviations, nearest-rank quantiles, long division, rounding.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "robust_stats.hpp"

using namespace costops;

namespace {

// Decimals from their texts.
std::vector<Decimal> decimals(const std::vector<std::string>& texts) {
    std::vector<Decimal> out;
    for (const auto& t : texts) out.push_back(Decimal::parse(t));
    return out;
}

// The text of a statistic.
std::string text(Decimal d) {
    return d.to_string();
}

}  // namespace

TEST_CASE("median: the middle value, or half the sum of the two middle ones") {
    CHECK(text(median(decimals({"3", "1", "2"}))) == "2");
    CHECK(text(median(decimals({"4", "1", "3", "2"}))) == "2.5");  // (2 + 3) / 2
    CHECK(text(median(decimals({"0.1", "0.2"}))) == "0.15");       // exact, no 0.1500001
    CHECK(text(median(decimals({"0.000000000000000000000001", "0"}))) == "0");  // half-even
    CHECK_THROWS_AS(median({}), std::invalid_argument);
}

TEST_CASE("median and mean absolute deviations") {
    // |{1,2,3,4,100} - 3| = {2,1,0,1,97}: sorted 0,1,1,2,97, median 1.
    CHECK(text(median_absolute_deviation(decimals({"1", "2", "3", "4", "100"}),
                                         Decimal::from_int(3))) == "1");
    // |{1,1,1,5} - 1| = {0,0,0,4}: mean 4 / 4 = 1.
    CHECK(text(mean_absolute_deviation(decimals({"1", "1", "1", "5"}), Decimal::from_int(1))) ==
          "1");
}

TEST_CASE("quantile: the nearest-rank order statistic") {
    auto ten = decimals({"10", "9", "8", "7", "6", "5", "4", "3", "2", "1"});
    CHECK(text(quantile(ten, 10)) == "1");  // rank ceil(0.1 * 10) = 1
    CHECK(text(quantile(ten, 90)) == "9");  // rank 9
    auto three = decimals({"5", "1", "3"});
    CHECK(text(quantile(three, 10)) == "1");  // rank ceil(0.3) = 1
    CHECK(text(quantile(three, 90)) == "5");  // rank ceil(2.7) = 3
    CHECK(text(quantile(three, 0)) == "1");   // at least the first
}

TEST_CASE("ratio: long division rounded half to even at the 24th digit") {
    CHECK(text(ratio(Decimal::from_int(1), Decimal::from_int(3))) == "0.333333333333333333333333");
    CHECK(text(ratio(Decimal::from_int(2), Decimal::from_int(3))) == "0.666666666666666666666667");
    CHECK(text(ratio(Decimal::from_int(-1), Decimal::from_int(8))) == "-0.125");
    CHECK(text(ratio(Decimal::from_int(10), Decimal::parse("-0.5"))) == "-20");
    // 147 * 100 / 447 (the naive WAPE of the forecast test), checked with Python's decimal.
    CHECK(text(ratio(Decimal::from_int(14700), Decimal::from_int(447))) ==
          "32.885906040268456375838926");
    CHECK_THROWS_AS(ratio(Decimal::from_int(1), Decimal()), DecimalError);
}

TEST_CASE("rounded and scaled") {
    CHECK(text(rounded(Decimal::parse("2.345"), 2)) == "2.34");  // half to even
    CHECK(text(rounded(Decimal::parse("2.355"), 2)) == "2.36");
    CHECK(text(rounded(Decimal::parse("-2.5"), 0)) == "-2");
    CHECK(text(scaled(Decimal::from_int(2), 14826, 10000)) == "2.9652");  // 2 * 1.4826
}
