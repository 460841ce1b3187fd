// Exact daily spend forecasts: a robust trend (seasonal Theil-Sen: the median slope of the pairs
// of days a whole number of weeks apart), a level (median), weekday effects (median residual per
// weekday), an 80% interval from the residuals' quantiles, and a backtest against the naive
// "same as last week" forecast. Every figure is an exact Decimal.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "daily_series.hpp"

namespace costops {

constexpr int64_t kMinForecastDays = 14;  // two of each weekday to fit weekday effects
constexpr int64_t kBacktestDays = 14;     // the held-out last two weeks
constexpr int kIntervalLowPercent = 10, kIntervalHighPercent = 90;  // an 80% interval

struct ForecastModel {
    int64_t origin = 0;                     // the day the level is at (the series' last day)
    Decimal level, slope;                   // spend at origin (weekday effects aside), per day
    std::array<Decimal, 7> weekday_effect;  // Monday = 0; added to level + slope * days
    Decimal residual_low, residual_high;    // the 10th and 90th percentile in-sample residuals
};

// Fits a model to a daily series of at least kMinForecastDays days; throws
// std::invalid_argument when shorter.
ForecastModel fit_forecast(const DailySeries& series);

struct DayForecast {
    int64_t day = 0;
    Decimal point, low, high;  // never below 0: spend is not negative
};

// The model's forecast for one day: level + slope * (day - origin) + weekday effect, with the
// interval point + residual quantiles; each clamped at 0.
DayForecast forecast_day(const ForecastModel& model, int64_t day);

// The sums of the daily forecasts of days first..last (the interval sums the daily bounds, a
// conservative band: it assumes the days' errors go the same way).
DayForecast forecast_total(const ForecastModel& model, int64_t first, int64_t last);

struct BacktestError {
    int64_t days = 0;                                                // held out
    Decimal method_mae, naive_mae;                                   // mean absolute error per day
    std::optional<Decimal> method_wape_percent, naive_wape_percent;  // 100 * sum|e| / sum actual
};

// Holds out the last kBacktestDays days, fits on the rest and compares the forecasts of the
// held-out days with the naive forecast repeating the last fitted week (day d gets the value of
// the fitted day 7k days before it). Nullopt when the series is shorter than
// kMinForecastDays + kBacktestDays.
std::optional<BacktestError> backtest(const DailySeries& series);

}  // namespace costops
