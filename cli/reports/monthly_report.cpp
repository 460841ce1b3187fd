#include "monthly_report.hpp"

#include "../summary_query.hpp"
#include "../text_count.hpp"
#include "cache_savings.hpp"
#include "chart_data.hpp"
#include "month_range.hpp"
#include "percent_change.hpp"

namespace costops::cli {

namespace {

using costops::Decimal;

// A measure of a summary's total as text ("0" for a NULL sum: no priced record).
std::string total_text(const SummaryResult& s, const std::string& measure) {
    const Cell& cell = s.total_measure(measure);
    return cell ? *cell : "0";
}

// The totals section: every measure of the summary's total.
ReportSection totals_section(const SummaryResult& total) {
    ReportSection s{"Totals", {}, {}, {}, {}};
    for (size_t i = total.keys.size(); i < total.columns.size(); ++i) {
        s.facts.push_back({total.columns[i].name, total_text(total, total.columns[i].name)});
    }
    if (total_text(total, "unpriced") != "0") {
        s.notes.push_back(total_text(total, "unpriced") +
                          " unpriced records are not in the costs (no price covers them: "
                          "'cost-ops query --unpriced'); their cost is unknown, not zero.");
    }
    return s;
}

// The change from the month before, in records and cost.
ReportSection month_over_month(const SummaryResult& now, const SummaryResult& before,
                               const std::string& previous) {
    Decimal a = Decimal::parse(total_text(before, "total_cost")),
            b = Decimal::parse(total_text(now, "total_cost"));
    std::optional<std::string> percent = percent_change(a, b);
    ReportSection s{"Month over month", {}, {}, {}, {}};
    s.facts = {{"previous_month", previous},
               {"previous_requests", total_text(before, "requests")},
               {"previous_total_cost", a.to_string()},
               {"total_cost", b.to_string()},
               {"change", (b - a).to_string()},
               {"change_percent", percent ? *percent + " %" : "n/a (no cost the month before)"}};
    return s;
}

// A breakdown table: the summary grouped by one key, its groups as summary prints them.
ReportTable breakdown(const std::string& title, const SummaryResult& s, size_t limit = 0) {
    ReportTable t{title, s.columns, s.groups};
    if (limit && t.rows.size() > limit) t.rows.resize(limit);
    return t;
}

// The daily cost chart, stacked by model, from the day x model summary; models with no priced
// record have no cost to draw (unpriced is not zero) and are left out.
StackedBarChart daily_chart(const SummaryResult& by_day_model) {
    std::vector<ChartPoint> points;
    for (const auto& row : by_day_model.groups) {
        const Cell& cost = row[by_day_model.columns.size() - 1];  // total_cost, the last column
        if (cost) points.push_back({*row[0], *row[1], Decimal::parse(*cost)});
    }
    return stacked_chart("Cost per day (USD), stacked by model", points);
}

}  // namespace

ReportDocument monthly_report(pqxx::connection& conn, const MonthlyRequest& req) {
    const RecordFilter& f = req.filter;
    ReportDocument doc;
    doc.type = req.month.empty() ? "summary" : "monthly";
    doc.title = (req.month.empty() ? "Cost report " + (f.range.empty() ? "(all time)" : f.range)
                                   : "Monthly cost report " + req.month) +
                (f.timezone == "UTC" ? "" : " (" + f.timezone + ")");
    SummaryResult total = run_summary(conn, f, "");
    doc.sections.push_back(totals_section(total));
    if (!req.month.empty()) {
        RecordFilter before = f;
        before.range = month_range(previous_month(req.month));
        doc.sections.push_back(
            month_over_month(total, run_summary(conn, before, ""), previous_month(req.month)));
    }
    SummaryResult by_day_model = run_summary(conn, f, "day,model");
    ReportSection daily{"Daily cost", {}, {}, {daily_chart(by_day_model)}, {}};
    daily.tables.push_back(breakdown("Cost per day", run_summary(conn, f, "day")));
    doc.sections.push_back(std::move(daily));
    ReportSection by{"Breakdown", {}, {}, {}, {}};
    by.tables.push_back(breakdown("By provider", run_summary(conn, f, "provider")));
    by.tables.push_back(breakdown("By model", run_summary(conn, f, "provider,model")));
    by.tables.push_back(breakdown("By organization", run_summary(conn, f, "organization")));
    by.tables.push_back(breakdown("By project", run_summary(conn, f, "organization,project")));
    by.tables.push_back(
        breakdown("Top " + counted(static_cast<int64_t>(req.top_users), "user") + " by cost",
                  run_summary(conn, f, "user"), req.top_users));
    doc.sections.push_back(std::move(by));
    doc.sections.push_back(cache_savings_section(conn, f));
    return doc;
}

}  // namespace costops::cli
