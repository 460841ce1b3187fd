// Calendar months as the ranges the record filter reads ("2025-01-01..2025-01-31").
#pragma once

#include <string>

namespace costops::cli {

// "YYYY-MM" checked; throws CliError naming --month otherwise.
void check_month(const std::string& month);

// The range of a month, both days included: "2024-02" -> "2024-02-01..2024-02-29".
std::string month_range(const std::string& month);

// The month before: "2025-01" -> "2024-12".
std::string previous_month(const std::string& month);

}  // namespace costops::cli
