#include "forecast.hpp"

#include <algorithm>
#include <stdexcept>

#include "calendar.hpp"
#include "robust_stats.hpp"

namespace costops {

namespace {

// The median of the slopes (y_j - y_i) / (j - i) over the pairs of days a whole number of weeks
// apart: such pairs share a weekday, so the weekly pattern does not bend the trend.
Decimal seasonal_theil_sen_slope(const std::vector<Decimal>& y) {
    std::vector<Decimal> slopes;
    for (size_t i = 0; i < y.size(); ++i) {
        for (size_t j = i + 7; j < y.size(); j += 7)
            slopes.push_back((y[j] - y[i]).divided_by(static_cast<int64_t>(j - i)));
    }
    return median(slopes);
}

// The trend's value at day `day`: level + slope * (day - origin).
Decimal trend_at(const ForecastModel& model, int64_t day) {
    return model.level + model.slope.times(day - model.origin);
}

// The larger of a value and 0.
Decimal at_least_zero(Decimal value) {
    return std::max(value, Decimal());
}

// The mean absolute error per day of `forecasts` against `actual`, and its sum.
std::pair<Decimal, Decimal> absolute_errors(const std::vector<Decimal>& actual,
                                            const std::vector<Decimal>& forecasts) {
    Decimal sum;
    for (size_t i = 0; i < actual.size(); ++i) sum = sum + absolute(actual[i] - forecasts[i]);
    return {sum.divided_by(static_cast<int64_t>(actual.size())), sum};
}

}  // namespace

ForecastModel fit_forecast(const DailySeries& series) {
    const std::vector<Decimal>& y = series.values;
    if (static_cast<int64_t>(y.size()) < kMinForecastDays) {
        throw std::invalid_argument("a forecast needs at least " +
                                    std::to_string(kMinForecastDays) + " days of history, not " +
                                    std::to_string(y.size()));
    }
    ForecastModel model;
    model.origin = series.last();
    model.slope = seasonal_theil_sen_slope(y);
    std::vector<Decimal> detrended;
    for (size_t t = 0; t < y.size(); ++t)
        detrended.push_back(
            y[t] - model.slope.times(series.first + static_cast<int64_t>(t) - model.origin));
    model.level = median(detrended);
    std::array<std::vector<Decimal>, 7> by_weekday;
    for (size_t t = 0; t < y.size(); ++t)
        by_weekday[weekday_of(series.first + static_cast<int64_t>(t))].push_back(detrended[t] -
                                                                                 model.level);
    for (int w = 0; w < 7; ++w) model.weekday_effect[w] = median(by_weekday[w]);
    std::vector<Decimal> residuals;
    for (size_t t = 0; t < y.size(); ++t) {
        int64_t day = series.first + static_cast<int64_t>(t);
        residuals.push_back(y[t] - trend_at(model, day) - model.weekday_effect[weekday_of(day)]);
    }
    model.residual_low = quantile(residuals, kIntervalLowPercent);
    model.residual_high = quantile(residuals, kIntervalHighPercent);
    return model;
}

DayForecast forecast_day(const ForecastModel& model, int64_t day) {
    Decimal point = trend_at(model, day) + model.weekday_effect[weekday_of(day)];
    return {day, at_least_zero(point), at_least_zero(point + model.residual_low),
            at_least_zero(point + model.residual_high)};
}

DayForecast forecast_total(const ForecastModel& model, int64_t first, int64_t last) {
    DayForecast total{last, {}, {}, {}};
    for (int64_t day = first; day <= last; ++day) {
        DayForecast f = forecast_day(model, day);
        total.point = total.point + f.point;
        total.low = total.low + f.low;
        total.high = total.high + f.high;
    }
    return total;
}

std::optional<BacktestError> backtest(const DailySeries& series) {
    int64_t n = static_cast<int64_t>(series.values.size());
    if (n < kMinForecastDays + kBacktestDays) return std::nullopt;
    DailySeries fitted{series.first, std::vector<Decimal>(series.values.begin(),
                                                          series.values.end() - kBacktestDays)};
    ForecastModel model = fit_forecast(fitted);
    int64_t fitted_size = n - kBacktestDays;
    std::vector<Decimal> actual, method, naive;
    for (int64_t k = 0; k < kBacktestDays; ++k) {
        actual.push_back(series.values[static_cast<size_t>(fitted_size + k)]);
        method.push_back(forecast_day(model, fitted.last() + 1 + k).point);
        naive.push_back(series.values[static_cast<size_t>(fitted_size - 7 + k % 7)]);
    }
    BacktestError error;
    error.days = kBacktestDays;
    auto [method_mae, method_sum] = absolute_errors(actual, method);
    auto [naive_mae, naive_sum] = absolute_errors(actual, naive);
    error.method_mae = method_mae;
    error.naive_mae = naive_mae;
    Decimal actual_sum;
    for (Decimal a : actual) actual_sum = actual_sum + a;
    if (actual_sum > Decimal()) {
        error.method_wape_percent = ratio(method_sum.times(100), actual_sum);
        error.naive_wape_percent = ratio(naive_sum.times(100), actual_sum);
    }
    return error;
}

}  // namespace costops
