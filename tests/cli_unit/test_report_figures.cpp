// The reports' arithmetic: reconciliation verdicts and differences, month ranges, the
// month-over-month percentage and chart series, all exact and worked out by hand.
#include <catch2/catch.hpp>

#include "cli_error.hpp"
#include "reports/chart_data.hpp"
#include "reports/month_range.hpp"
#include "reports/percent_change.hpp"
#include "reports/reconciliation.hpp"

using namespace costops::cli;
using costops::Decimal;

namespace {

// A side with `records` records of 100 prompt and 10 completion tokens costing `cost` in all.
SideFigures side(int64_t records, const char* cost) {
    SideFigures s;
    s.records = s.costed = records;
    s.prompt_tokens = 100 * records;
    s.completion_tokens = 10 * records;
    s.total_tokens = 110 * records;
    s.cost = Decimal::parse(cost);
    return s;
}

}  // namespace

TEST_CASE("reconciliation: equal sides pass; each differing group is listed once",
          "[cli][report]") {
    std::vector<GroupComparison> groups = {
        {"2025-01-30", "openai", "gpt-4o", side(2, "0.01225"), side(2, "0.01225")},
        {"2025-01-30", "openai", "o3", side(1, "0.5"), side(1, "0.5")},
        {"2025-01-31", "anthropic", "haiku", side(1, "0.00192"), side(1, "0.002")}};
    ReconciliationOutcome exact = reconcile(groups, Decimal(), {});
    REQUIRE_FALSE(exact.pass);
    REQUIRE(exact.differences.size() == 1);
    CHECK(exact.differences[0].group == 2);
    CHECK(exact.differences[0].measures == std::vector<std::string>{"cost"});
    CHECK(exact.differences[0].cost.to_string() == "-0.00008");  // 0.00192 - 0.002
    // 0.01225 + 0.5 + 0.00192 and 0.01225 + 0.5 + 0.002
    CHECK(exact.database.cost.to_string() == "0.51417");
    CHECK(exact.reference.cost.to_string() == "0.51425");
    CHECK(exact.database.records == 4);
    // |-0.00008| <= 0.0001 passes; the tolerance is inclusive.
    CHECK(reconcile(groups, Decimal::parse("0.0001"), {}).pass);
    CHECK(reconcile(groups, Decimal::parse("0.00008"), {}).pass);
    CHECK_FALSE(reconcile(groups, Decimal::parse("0.00007"), {}).pass);
}

TEST_CASE("reconciliation: a missing record differs in counts, tokens and cost", "[cli][report]") {
    std::vector<GroupComparison> groups = {
        {"2025-01-30", "openai", "gpt-4o", side(2, "0.01225"), side(1, "0.00475")},
        {"2025-01-31", "openai", "gpt-4o", side(1, "0.00035"), SideFigures{}}};
    ReconciliationOutcome out = reconcile(groups, Decimal::parse("1"), {});
    REQUIRE(out.differences.size() == 2);
    CHECK(out.differences[0].measures ==
          std::vector<std::string>{"records", "prompt_tokens", "completion_tokens", "total_tokens",
                                   "costed_records"});
    CHECK(out.differences[0].records == 1);
    CHECK(out.differences[0].total_tokens == 110);
    CHECK(out.differences[0].cost.to_string() == "0.0075");
    // An invoice compares costs only: the counts may differ, the costs within 1 pass.
    ComparedMeasures invoice{false, false, false, true};
    CHECK(reconcile(groups, Decimal::parse("1"), invoice).pass);
    CHECK_FALSE(reconcile(groups, Decimal(), invoice).pass);
}

TEST_CASE("month ranges include the last day; leap years; the month before", "[cli][report]") {
    CHECK(month_range("2025-01") == "2025-01-01..2025-01-31");
    CHECK(month_range("2024-02") == "2024-02-01..2024-02-29");
    CHECK(month_range("2100-02") == "2100-02-01..2100-02-28");
    CHECK(month_range("2000-02") == "2000-02-01..2000-02-29");
    CHECK(month_range("2025-04") == "2025-04-01..2025-04-30");
    CHECK(previous_month("2025-01") == "2024-12");
    CHECK(previous_month("2025-10") == "2025-09");
    CHECK_THROWS_AS(month_range("2025-13"), CliError);
    CHECK_THROWS_AS(month_range("25-01"), CliError);
}

TEST_CASE("month over month: a percentage with two decimals, half to even", "[cli][report]") {
    // (0.02652 - 0.02) / 0.02 = 0.326
    CHECK(*percent_change(Decimal::parse("0.02"), Decimal::parse("0.02652")) == "32.60");
    CHECK(*percent_change(Decimal::parse("3"), Decimal::parse("1")) == "-66.67");
    // 1/8 = 12.5 %; 0.000125 of change on 1: 0.0125 % -> 0.01 (half to even: 1.25 -> 1.2)
    CHECK(*percent_change(Decimal::parse("8"), Decimal::parse("9")) == "12.50");
    CHECK(*percent_change(Decimal::parse("1"), Decimal::parse("1.000125")) == "0.01");
    CHECK(*percent_change(Decimal::parse("1"), Decimal::parse("0.999")) == "-0.10");
    CHECK_FALSE(percent_change(Decimal(), Decimal::parse("5")).has_value());
}

TEST_CASE("chart series: largest first, the rest as other, values exact", "[cli][report]") {
    std::vector<ChartPoint> points = {{"d1", "a", Decimal::parse("1")},
                                      {"d1", "b", Decimal::parse("5")},
                                      {"d2", "c", Decimal::parse("0.5")},
                                      {"d2", "a", Decimal::parse("0.25")}};
    StackedBarChart chart = stacked_chart("t", points, 2);
    CHECK(chart.categories == std::vector<std::string>{"d1", "d2"});
    CHECK(chart.series == std::vector<std::string>{"b", "a", "other"});
    CHECK(chart.values[1][0].to_string() == "1");
    CHECK(chart.values[1][1].to_string() == "0.25");
    CHECK(chart.values[2][1].to_string() == "0.5");
    CHECK(chart.values[0][1].to_string() == "0");
}
