// The timestamp forms cost-ops accepts in files and on the command line, checked before they
// reach the database so a bad one is reported with its file, line and field.
#pragma once

#include <string>
#include <string_view>

namespace costops::cli {

struct ParsedTimestamp {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::string fraction;  // digits after the decimal point of the seconds, may be empty
    bool has_time = false;
    std::string zone;  // "Z", "+05:30"...; empty when none was given (UTC is assumed)
};

// Parses "YYYY-MM-DD", then optionally "[T ]HH:MM[:SS[.fraction]]" and a zone "Z", "±HH",
// "±HH:MM" or "±HHMM". Returns false and sets `error` when the text is not one of these or
// names an impossible date or time.
bool parse_timestamp(std::string_view text, ParsedTimestamp& out, std::string& error);

// ISO 8601 text PostgreSQL reads the same way under any DateStyle; no zone means UTC.
std::string timestamptz_text(const ParsedTimestamp& t);

// The instant as PostgreSQL stores it: in UTC (zone "Z"), rounded to microseconds as its
// input routine rounds, fraction without trailing zeros. One text per stored instant, so a
// record's content digest does not depend on how its source wrote the time.
ParsedTimestamp to_utc(const ParsedTimestamp& t);

// The UTC midnight that starts the day after t's date (for inclusive end dates).
std::string next_day_text(const ParsedTimestamp& t);

}  // namespace costops::cli
