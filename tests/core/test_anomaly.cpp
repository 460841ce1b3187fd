// Robust anomaly scores against the same weekday, worked out by hand: median, MAD, the
// mean-deviation fallback, constant histories and the ranking of drivers.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "anomaly.hpp"

using namespace costops;

namespace {

// A 29-day series of 1s whose days 0, 7, 14, 21 and 28 are `weekly` (the last one scored).
DailySeries with_weekday(const std::vector<std::string>& weekly) {
    DailySeries s{100, std::vector<Decimal>(29, Decimal::from_int(1))};
    for (size_t k = 0; k < weekly.size(); ++k) s.values[k * 7] = Decimal::parse(weekly[k]);
    return s;
}

// The text of a figure.
std::string text(Decimal d) {
    return d.to_string();
}

}  // namespace

TEST_CASE("a spike against its weekday's median and MAD") {
    auto score = score_at(with_weekday({"10", "12", "11", "13", "30"}), 7, 128, 12);
    REQUIRE(score.has_value());
    // History 13, 11, 12, 10: median 11.5; |dev| 1.5, 0.5, 0.5, 1.5: MAD 1; scale 1.4826.
    CHECK(score->history == 4);
    CHECK(text(score->expected) == "11.5");
    CHECK(text(score->scale) == "1.4826");
    // z = 18.5 / 1.4826 (Python's decimal: 12.478079050317010656954000).
    CHECK(text(*score->z) == "12.478079050317010656954");
    CHECK(score->departs(Decimal::parse("3.5")));
    CHECK_FALSE(score->departs(Decimal::from_int(13)));
}

TEST_CASE("MAD of 0: the mean absolute deviation stands in") {
    auto score = score_at(with_weekday({"10", "10", "10", "14", "12"}), 7, 128, 12);
    REQUIRE(score.has_value());
    // History 14, 10, 10, 10: median 10, |dev| 4, 0, 0, 0: MAD 0; mean 1; scale 1.2533.
    CHECK(text(score->scale) == "1.2533");
    CHECK(text(*score->z) == "1.595787121997925476741403");  // 2 / 1.2533, Python's decimal
    CHECK_FALSE(score->departs(Decimal::parse("3.5")));
}

TEST_CASE("a constant history flags any change, with no z") {
    auto same = score_at(with_weekday({"5", "5", "5", "5", "5"}), 7, 128, 12);
    auto moved = score_at(with_weekday({"5", "5", "5", "5", "5.01"}), 7, 128, 12);
    REQUIRE(same.has_value());
    REQUIRE(moved.has_value());
    CHECK_FALSE(same->z.has_value());
    CHECK_FALSE(same->departs(Decimal::parse("3.5")));
    CHECK(moved->departs(Decimal::parse("3.5")));
}

TEST_CASE("fewer than four same-weekday points: not scored") {
    DailySeries s = with_weekday({"10", "12", "11", "13", "30"});
    CHECK_FALSE(score_at(s, 7, 121, 12).has_value());  // day 21: history 14, 7, 0
    CHECK_FALSE(score_at(s, 7, 128, 3).has_value());   // at most 3 looked at
    // From day 100 on, a bucket needs day b - 28 >= 100: only day 128 has four weeks behind it.
    auto scores = seasonal_scores(s, 7, 100, 12);
    REQUIRE(scores.size() == 1);
    CHECK(scores.front().bucket == 128);
}

TEST_CASE("a token share against the history it has") {
    std::vector<Decimal> history = {Decimal::parse("0.2"), Decimal::parse("0.25"),
                                    Decimal::parse("0.2"), Decimal::parse("0.3")};
    auto score = score_against(5, Decimal::parse("0.5"), history);
    REQUIRE(score.has_value());
    // Sorted 0.2, 0.2, 0.25, 0.3: median 0.225; |dev| 0.025, 0.025, 0.025, 0.075: MAD 0.025;
    // scale 1.4826 * 0.025 = 0.037065; z = 0.275 / 0.037065 (Python's decimal).
    CHECK(text(score->expected) == "0.225");
    CHECK(text(score->scale) == "0.037065");
    CHECK(text(*score->z) == "7.419398354242546877107784");
    history.pop_back();
    CHECK_FALSE(score_against(5, Decimal::parse("0.5"), history).has_value());  // 3 points
}

TEST_CASE("drivers: the largest excess first for a rise, the largest drop first for a fall") {
    std::vector<Driver> drivers = {{"model a", Decimal::from_int(5), Decimal::from_int(4)},
                                   {"model b", Decimal::from_int(9), Decimal::from_int(1)},
                                   {"model c", Decimal::from_int(0), Decimal::from_int(3)}};
    auto up = ranked_drivers(drivers, true);
    CHECK(up[0].key == "model b");  // +8
    CHECK(up[1].key == "model a");  // +1
    auto down = ranked_drivers(drivers, false);
    CHECK(down[0].key == "model c");  // -3
}

TEST_CASE("token shares: buckets without tokens are skipped, in the score and in the history") {
    // Buckets 0, 7, 14, 21 and 35 have completion/whole 20/100, 25/100, 20/100, 30/100 (28 has
    // no tokens): bucket 35's history is 21, 14, 7, 0 (28 skipped), the case above: 0.5 (50/100)
    // against median 0.225, z 7.419398354242546877107784.
    TokenCounts counts = {{0, {20, 100}},  {7, {25, 100}}, {14, {20, 100}},
                          {21, {30, 100}}, {28, {0, 0}},   {35, {50, 100}}};
    auto scores = share_scores(counts, 7, 35, 0, 12);
    REQUIRE(scores.size() == 1);
    CHECK(scores[0].bucket == 35);
    CHECK(text(scores[0].actual) == "0.5");
    CHECK(text(scores[0].expected) == "0.225");
    CHECK(text(*scores[0].z) == "7.419398354242546877107784");
    CHECK(share_scores(counts, 7, 35, 7, 12).empty());  // from 7 on: 3 points
}

TEST_CASE("driver texts: the two that moved most the departure's way, with their share") {
    std::vector<Driver> drivers = {{"model a", Decimal::from_int(5), Decimal::from_int(4)},
                                   {"model b", Decimal::from_int(9), Decimal::from_int(1)},
                                   {"model c", Decimal::from_int(0), Decimal::from_int(3)},
                                   {"model d", Decimal::parse("1.5"), Decimal::from_int(1)}};
    // A rise of 6: b +8 (8 * 100 / 6 = 133.33 -> 133%), a +1 (16.67 -> 17%); d +0.5 is third.
    CHECK(driver_texts(drivers, Decimal::from_int(6), 2) ==
          std::vector<std::string>{"model b +8 (133%)", "model a +1 (17%)"});
    // A drop of 2: only c fell (-3, 150%).
    CHECK(driver_texts(drivers, Decimal::from_int(-2), 2) ==
          std::vector<std::string>{"model c -3 (150%)"});
}
