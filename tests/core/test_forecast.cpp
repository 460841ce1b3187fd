// The forecast on small series worked out by hand: seasonal Theil-Sen trend, median level,
// weekday effects, residual interval, totals, and the backtest against "same as last week".
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "calendar.hpp"
#include "forecast.hpp"

using namespace costops;

namespace {

const int64_t kMonday = 19723;  // 2024-01-01

// y_t = 10 + t, plus 5 on Saturdays and Sundays, for `days` days from a Monday.
DailySeries weekly_line(int days) {
    DailySeries s{kMonday, {}};
    for (int t = 0; t < days; ++t)
        s.values.push_back(Decimal::from_int(10 + t + (t % 7 >= 5 ? 5 : 0)));
    return s;
}

// The text of a figure.
std::string text(Decimal d) {
    return d.to_string();
}

}  // namespace

TEST_CASE("a clean weekly line is fitted exactly") {
    ForecastModel m = fit_forecast(weekly_line(14));
    // Pairs 7 days apart: (y_{i+7} - y_i) / 7 = 1 for each; slope 1. Detrended at origin t=13:
    // y_t - (t - 13) = 23 (+5 at weekends): ten 23s and four 28s, median 23.
    CHECK(text(m.slope) == "1");
    CHECK(text(m.level) == "23");
    CHECK(m.origin == kMonday + 13);
    CHECK(text(m.weekday_effect[0]) == "0");
    CHECK(text(m.weekday_effect[5]) == "5");
    CHECK(text(m.residual_low) == "0");
    CHECK(text(m.residual_high) == "0");
    // t=14, a Monday: 23 + 1 = 24; t=19, a Saturday: 23 + 6 + 5 = 34 (= 10 + 19 + 5).
    CHECK(text(forecast_day(m, kMonday + 14).point) == "24");
    CHECK(text(forecast_day(m, kMonday + 19).point) == "34");
    // t=14..20: 24+25+26+27+28+29+30 = 189, plus 5 + 5 at the weekend = 199.
    CHECK(text(forecast_total(m, kMonday + 14, kMonday + 20).point) == "199");
}

TEST_CASE("noise moves the medians and opens the interval") {
    DailySeries s = weekly_line(14);
    s.values[1] = Decimal::from_int(8);   // Tuesday t=1: 11 - 3
    s.values[3] = Decimal::from_int(15);  // Thursday t=3: 13 + 2
    ForecastModel m = fit_forecast(s);
    // Slopes: (18-8)/7 = 10/7, (20-15)/7 = 5/7, five 1s: median 1. Detrended (origin t=13):
    // d_1 = 8 + 12 = 20, d_3 = 15 + 10 = 25, eight 23s, four 28s: median (23 + 23) / 2 = 23.
    CHECK(text(m.slope) == "1");
    CHECK(text(m.level) == "23");
    // Tuesday: median of {20-23, 0} = -1.5; Thursday: median of {25-23, 0} = 1.
    CHECK(text(m.weekday_effect[1]) == "-1.5");
    CHECK(text(m.weekday_effect[3]) == "1");
    // Residuals: t=1 -3+1.5 = -1.5, t=8 +1.5, t=3 2-1 = 1, t=10 -1, ten 0s. 10th percentile:
    // rank ceil(1.4) = 2 -> -1; 90th: rank ceil(12.6) = 13 -> 1.
    CHECK(text(m.residual_low) == "-1");
    CHECK(text(m.residual_high) == "1");
    DayForecast tuesday = forecast_day(m, kMonday + 15);  // 23 + 2 - 1.5
    CHECK(text(tuesday.point) == "23.5");
    CHECK(text(tuesday.low) == "22.5");
    CHECK(text(tuesday.high) == "24.5");
    DayForecast two = forecast_total(m, kMonday + 14, kMonday + 15);  // (24 + 23.5), bounds summed
    CHECK(text(two.point) == "47.5");
    CHECK(text(two.low) == "45.5");
    CHECK(text(two.high) == "49.5");
}

TEST_CASE("forecasts never go below zero") {
    DailySeries s{kMonday, {}};
    for (int t = 0; t < 14; ++t) s.values.push_back(Decimal::from_int(13 - t));  // slope -1
    ForecastModel m = fit_forecast(s);
    CHECK(text(m.slope) == "-1");
    CHECK(text(forecast_day(m, kMonday + 13 + 5).point) == "0");  // 0 - 5, clamped
}

TEST_CASE("too short a history is refused") {
    CHECK_THROWS_AS(fit_forecast(weekly_line(13)), std::invalid_argument);
    CHECK_FALSE(backtest(weekly_line(27)).has_value());
}

TEST_CASE("backtest: the method against the last week repeated") {
    auto error = backtest(weekly_line(28));
    REQUIRE(error.has_value());
    CHECK(error->days == 14);
    // Fitted on t=0..13 the line is exact: every held-out day is forecast right.
    CHECK(text(error->method_mae) == "0");
    CHECK(text(*error->method_wape_percent) == "0");
    // Naive: day 14+k gets y_{7 + k%7}; actual - naive = 7 + k - k%7: 7 for k<7, 14 after:
    // MAE (7*7 + 7*14) / 14 = 10.5; sum actual = 14*24 + (0+...+13) + 4*5 = 447;
    // WAPE = 147 * 100 / 447 (Python's decimal: 32.885906040268456375838926).
    CHECK(text(error->naive_mae) == "10.5");
    CHECK(text(*error->naive_wape_percent) == "32.885906040268456375838926");
}
