// The day and hour counts that forecast and anomalies take: "30d", "48h", "30" (days), and
// dates, checked with one clear error naming the option.
#pragma once

#include <cstdint>
#include <string>

namespace costops::cli {

// A positive count of days written "Nd" or "N"; throws CliError naming `option`.
int64_t parse_day_count(const std::string& text, const std::string& option);

// A positive count written "Nd" (days) or "Nh" (hours), as hours; throws CliError naming
// `option`.
int64_t parse_hour_count(const std::string& text, const std::string& option);

// The day number (days since 1970-01-01) of "YYYY-MM-DD", or -1 when `text` is not a date.
int64_t parse_day_number(const std::string& text);

}  // namespace costops::cli
