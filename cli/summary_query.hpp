// The query behind `cost-ops summary`, shared with the reports so that their totals are
// summary's to the digit: exact sums of requests, tokens and costs grouped by keys.
#pragma once

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "output/row_sink.hpp"
#include "record_filter.hpp"

namespace costops::cli {

// A --group-by key: its output column, SQL expression, and the SQL shown for it if not that.
struct GroupKey {
    std::string column, sql;
    std::string label = "";  // computed from `sql`, which stays the grouping and sort key
};

struct SummaryResult {
    std::vector<GroupKey> keys;
    std::vector<Column> columns;  // the keys' columns, then the measures
    std::vector<Row> groups;      // sorted by time keys, then cost (largest first)
    Row total;                    // the grand total (key cells NULL)

    // The total's cell of the measure `name` ("requests", "total_cost"...).
    const Cell& total_measure(const std::string& name) const;
};

// Runs the summary of the records `filter` selects, grouped by the comma-separated `group_by`
// (provider, model, organization, project, user, day, month, hour; "" for the total only).
SummaryResult run_summary(pqxx::connection& conn, const RecordFilter& filter,
                          const std::string& group_by);

}  // namespace costops::cli
