// Civil dates as day numbers (days since 1970-01-01, UTC): weekdays, months and labels for the
// daily series that forecasts and anomaly detection read.
#pragma once

#include <cstdint>
#include <string>

namespace costops {

struct CivilDate {
    int64_t year = 1970;
    int month = 1, day = 1;
};

// Days since 1970-01-01 as a civil date (H. Hinnant's algorithm, proleptic Gregorian).
CivilDate civil_from_days(int64_t days);

// The day number of a civil date (the inverse of civil_from_days).
int64_t days_from_civil(const CivilDate& date);

// Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday, 3).
int weekday_of(int64_t days);

// The day number of the last day of the month holding `days`.
int64_t last_day_of_month(int64_t days);

// "YYYY-MM-DD".
std::string day_label(int64_t days);

// "YYYY-MM".
std::string month_label(int64_t days);

// "YYYY-MM-DDTHH:00Z" of an hour number (hours since 1970-01-01T00:00Z).
std::string hour_label(int64_t hours);

}  // namespace costops
