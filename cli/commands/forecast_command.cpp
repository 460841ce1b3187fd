// cost-ops forecast: month-end and horizon spend projections with an 80% interval and the
// backtest error of the method against the naive "same as last week" forecast.
#include <iostream>

#include "../cli_error.hpp"
#include "../count_options.hpp"
#include "../db/spend_series.hpp"
#include "../output/row_sink.hpp"
#include "../record_filter.hpp"
#include "../text_count.hpp"
#include "calendar.hpp"
#include "commands.hpp"
#include "forecast.hpp"
#include "robust_stats.hpp"

namespace costops::cli {

namespace {

constexpr int kForecastDigits = 6;  // forecasts print to the millionth of a dollar
constexpr int kPercentDigits = 2;

// The columns of a forecast row after the entity's.
const std::vector<Column>& forecast_columns() {
    static const std::vector<Column> columns = {{"as_of", ColumnKind::Text},
                                                {"history_days", ColumnKind::Integer},
                                                {"month", ColumnKind::Text},
                                                {"month_to_date", ColumnKind::Cost},
                                                {"month_end_forecast", ColumnKind::Cost},
                                                {"month_end_low", ColumnKind::Cost},
                                                {"month_end_high", ColumnKind::Cost},
                                                {"horizon_days", ColumnKind::Integer},
                                                {"horizon_forecast", ColumnKind::Cost},
                                                {"horizon_low", ColumnKind::Cost},
                                                {"horizon_high", ColumnKind::Cost},
                                                {"backtest_mae", ColumnKind::Cost},
                                                {"naive_mae", ColumnKind::Cost},
                                                {"backtest_wape_pct", ColumnKind::Cost},
                                                {"naive_wape_pct", ColumnKind::Cost}};
    return columns;
}

// A forecast figure as printed: rounded to kForecastDigits.
Cell shown(Decimal value, int digits = kForecastDigits) {
    return rounded(value, digits).to_string();
}

// An optional percentage as printed (empty when there was nothing to compare with).
Cell shown_percent(const std::optional<Decimal>& value) {
    return value ? shown(*value, kPercentDigits) : Cell();
}

// The forecast row of one entity's series (from its first record to `as_of`), fitted on its
// last `history_days` days.
Row forecast_row(const std::string& entity, const DailySeries& full, int64_t history_days,
                 int64_t horizon_days, std::optional<BacktestError>& error) {
    DailySeries series = series_tail(full, history_days);
    ForecastModel model = fit_forecast(series);
    int64_t as_of = series.last(), month_end = last_day_of_month(as_of);
    int64_t month_start = as_of - civil_from_days(as_of).day + 1;
    Decimal month_to_date = series_sum(full, month_start, as_of);
    DayForecast rest = forecast_total(model, as_of + 1, month_end);
    DayForecast horizon = forecast_total(model, as_of + 1, as_of + horizon_days);
    error = backtest(series);
    return {entity,
            day_label(as_of),
            std::to_string(series.values.size()),
            month_label(as_of),
            month_to_date.to_string(),
            shown(month_to_date + rest.point),
            shown(month_to_date + rest.low),
            shown(month_to_date + rest.high),
            std::to_string(horizon_days),
            shown(horizon.point),
            shown(horizon.low),
            shown(horizon.high),
            error ? shown(error->method_mae) : Cell(),
            error ? shown(error->naive_mae) : Cell(),
            error ? shown_percent(error->method_wape_percent) : Cell(),
            error ? shown_percent(error->naive_wape_percent) : Cell()};
}

// The line printed under a table for one entity's backtest.
std::string backtest_line(const std::string& entity, const Row& row,
                          const std::optional<BacktestError>& error) {
    if (!error) {
        return "backtest " + entity + ": not enough history (needs " +
               std::to_string(kMinForecastDays + kBacktestDays) + " days)";
    }
    auto pct = [](const Cell& c) { return c ? " (WAPE " + *c + "%)" : std::string(); };
    size_t at = 12;  // backtest_mae's position in the row
    std::string verdict = error->method_mae < error->naive_mae    ? "better than naive"
                          : error->method_mae == error->naive_mae ? "same as naive"
                                                                  : "worse than naive";
    return "backtest " + entity + " (last " + std::to_string(error->days) +
           " days held out): method MAE " + *row[at] + "/day" + pct(row[at + 2]) +
           " vs naive same-as-last-week MAE " + *row[at + 1] + "/day" + pct(row[at + 3]) + ": " +
           verdict;
}

}  // namespace

void register_forecast_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "forecast",
        "Project spend to the end of the month and over a horizon, with an 80% interval and a\n"
        "backtest. Method (exact decimals, no floating point): the daily spend (local days of\n"
        "--timezone, default UTC) of the last --history days (days without records count 0;\n"
        "the series ends on the latest record's day); trend = median slope over pairs of days a "
        "whole number of weeks apart (seasonal\n"
        "Theil-Sen); level = median of the detrended days; weekday effect = median residual per\n"
        "weekday; forecast = level + slope * days ahead + weekday effect, never below 0. The\n"
        "interval adds the 10th and 90th percentile in-sample residuals (nearest rank) to each\n"
        "day; horizon and month-end intervals sum the daily bounds. month_end_* = the actual\n"
        "month to date + the forecast of the month's remaining days. Backtest: the last 14 days\n"
        "held out, the method fitted on the days before, its mean absolute error per day (MAE)\n"
        "and WAPE (100 * sum |error| / sum actual) next to those of the naive forecast that\n"
        "repeats the last fitted week. Needs 14 days of history (28 for the backtest). Forecasts\n"
        "print rounded to 6 decimals; unpriced records are not in the spend.\n"
        "Off when the config file sets [features] forecasting = false.\n"
        "Examples:\n"
        "  cost-ops forecast --horizon 30d\n"
        "  cost-ops forecast --horizon 14d --group-by model --history 60d --output json\n"
        "  cost-ops forecast --group-by project --organization acme --output csv\n"
        "  cost-ops forecast --timezone Europe/Paris --horizon 7d");
    struct Options {
        RecordFilter filter;
        std::string horizon = "30d", history = "90d", group_by, output = "table";
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--horizon", o->horizon,
                    "days to project after the latest day, e.g. 30d (default 30d)");
    cmd->add_option("--history", o->history,
                    "days of history the model is fitted on, e.g. 90d (default 90d)");
    cmd->add_option("--group-by", o->group_by,
                    "one forecast per provider, model, organization or project (default: one "
                    "for all the records selected)")
        ->check(CLI::IsMember({"provider", "model", "organization", "project"}));
    add_key_filter_options(*cmd, o->filter);
    add_timezone_option(*cmd, o->filter);
    cmd->add_option("--output,-o", o->output, "table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd->callback([&ctx, o] {
        require_feature(ctx.config(), ctx.config().features.forecasting, "forecasting",
                        "cost-ops forecast");
        int64_t horizon = parse_day_count(o->horizon, "--horizon");
        int64_t history = parse_day_count(o->history, "--history");
        OutputFormat format = parse_output_format(o->output);
        std::string column = o->group_by.empty() ? "" : dimension_column(o->group_by, "--group-by");
        pqxx::connection& conn = ctx.connection();
        std::string where = where_clause(o->filter, conn);
        LocalTimeSql local(o->filter, conn);
        pqxx::work tx(conn);
        SpendRows spend = read_spend(tx, column, Bucket::Day, where, local);
        tx.commit();
        if (!spend.last) throw CliError("no usage records to forecast from");
        std::vector<Column> columns = {{o->group_by.empty() ? std::string("scope") : o->group_by}};
        for (const auto& c : forecast_columns()) columns.push_back(c);
        std::vector<Row> rows;
        std::vector<std::string> notes;
        size_t short_history = 0;
        for (const auto& [entity, points] : spend.by_entity) {
            if (points.empty()) continue;  // only unpriced records
            DailySeries full = dense_series(points, points.front().first, *spend.last);
            if (std::min<int64_t>(full.values.size(), history) < kMinForecastDays) {
                ++short_history;
                continue;
            }
            std::optional<BacktestError> error;
            rows.push_back(forecast_row(entity, full, history, horizon, error));
            notes.push_back(backtest_line(entity, rows.back(), error));
        }
        if (rows.empty()) {
            throw CliError("not enough history: a forecast needs at least " +
                           std::to_string(kMinForecastDays) +
                           " days of priced usage up to the latest record's day " +
                           day_label(*spend.last));
        }
        auto sink = make_row_sink(format, std::cout);
        sink->begin(columns);
        for (const auto& row : rows) sink->row(row);
        sink->end();
        if (format == OutputFormat::Table) {
            for (const auto& note : notes) std::cout << note << "\n";
        }
        if (short_history > 0) {
            std::cerr << "cost-ops: " << counted(short_history, o->group_by + " group")
                      << " with under " << kMinForecastDays << " days of history left out\n";
        }
    });
}

}  // namespace costops::cli
