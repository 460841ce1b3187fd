// The columns query and export print for usage records, in one order for every format.
// Column 5 is total_tokens, so the migration guide's `awk -F',' '{sum+=$5}'` check on an export
// compares token totals with column 7 of the guide's CSV format.
#pragma once

#include <string>
#include <vector>

#include "output/row_sink.hpp"

namespace costops::cli {

// Every column, for json, ndjson and csv.
const std::vector<Column>& usage_record_columns();

// The columns a terminal table shows.
const std::vector<Column>& usage_table_columns();

// "SELECT <columns> FROM cost_ops.usage_records" for the given column set.
std::string usage_select(const std::vector<Column>& columns);

}  // namespace costops::cli
