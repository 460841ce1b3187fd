#include "calendar.hpp"

namespace costops {

namespace {

// `value` as `width` decimal digits, zero-padded.
std::string padded(int64_t value, size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// Floor division, so negative day numbers fall in the right week and day.
int64_t floor_div(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

CivilDate civil_from_days(int64_t days) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    CivilDate date;
    date.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    date.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    date.year = yoe + era * 400 + (date.month <= 2 ? 1 : 0);
    return date;
}

int64_t days_from_civil(const CivilDate& date) {
    int64_t y = date.year - (date.month <= 2 ? 1 : 0);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = date.month > 2 ? date.month - 3 : date.month + 9;
    int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int weekday_of(int64_t days) {
    return static_cast<int>(days + 3 - floor_div(days + 3, 7) * 7);
}

int64_t last_day_of_month(int64_t days) {
    CivilDate date = civil_from_days(days);
    CivilDate next{date.month == 12 ? date.year + 1 : date.year,
                   date.month == 12 ? 1 : date.month + 1, 1};
    return days_from_civil(next) - 1;
}

std::string day_label(int64_t days) {
    CivilDate date = civil_from_days(days);
    return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2);
}

std::string month_label(int64_t days) {
    return day_label(days).substr(0, 7);
}

std::string hour_label(int64_t hours) {
    int64_t day = floor_div(hours, 24);
    return day_label(day) + "T" + padded(hours - day * 24, 2) + ":00Z";
}

}  // namespace costops
