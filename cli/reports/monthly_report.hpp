// `report generate --type monthly` (and `--type summary --period`): totals, breakdowns, top users,
// the daily cost chart stacked by model, cache savings and the change from the month before.
#pragma once

#include <string>

#include <pqxx/pqxx>

#include "../record_filter.hpp"
#include "report_document.hpp"

namespace costops::cli {

struct MonthlyRequest {
    RecordFilter filter;  // its range is the month's (or --period's), with the key filters
    std::string month;    // "YYYY-MM" for a monthly report (month over month); "" for a period
    size_t top_users = 10;
};

// Builds the report from summary's own query, so its totals are summary's to the digit.
ReportDocument monthly_report(pqxx::connection& conn, const MonthlyRequest& req);

}  // namespace costops::cli
