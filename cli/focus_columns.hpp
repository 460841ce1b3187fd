// The FinOps FOCUS (1.1) columns that apply to LLM usage, one row per usage record, for
// `cost-ops export --format focus`: what FOCUS-reading tools (cloud cost platforms, FinOps
// dashboards) load next to cloud bills.
#pragma once

#include <string>
#include <vector>

#include "output/row_sink.hpp"

namespace costops::cli {

// The columns, FOCUS names first, then x_ extensions with the token detail.
const std::vector<Column>& focus_columns();

// "SELECT <the columns' expressions> FROM cost_ops.usage_records AS u".
std::string focus_select();

}  // namespace costops::cli
