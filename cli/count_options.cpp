#include "count_options.hpp"

#include <charconv>

#include "calendar.hpp"
#include "cli_error.hpp"

namespace costops::cli {

namespace {

// The positive integer `text` holds entirely, or -1.
int64_t positive_integer(std::string_view text) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value <= 0)
        return -1;
    return value;
}

// The count of "N<unit>" (or "N" when `bare_ok`), or -1.
int64_t count_with_unit(const std::string& text, char unit, bool bare_ok) {
    if (!text.empty() && text.back() == unit)
        return positive_integer(std::string_view(text).substr(0, text.size() - 1));
    return bare_ok ? positive_integer(text) : -1;
}

}  // namespace

int64_t parse_day_count(const std::string& text, const std::string& option) {
    int64_t days = count_with_unit(text, 'd', true);
    if (days < 0 || days > 36600)
        throw CliError(option + " '" + text + "': give a number of days such as 30d");
    return days;
}

int64_t parse_hour_count(const std::string& text, const std::string& option) {
    int64_t days = count_with_unit(text, 'd', false), hours = count_with_unit(text, 'h', false);
    if (days > 0 && days <= 36600) return days * 24;
    if (hours > 0 && hours <= 36600 * 24) return hours;
    throw CliError(option + " '" + text + "': give a date (2025-01-31), days (7d) or hours (48h)");
}

int64_t parse_day_number(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return -1;
    int64_t year = positive_integer(std::string_view(text).substr(0, 4));
    int64_t month = positive_integer(std::string_view(text).substr(5, 2));
    int64_t day = positive_integer(std::string_view(text).substr(8, 2));
    if (year < 0 || month < 1 || month > 12 || day < 1) return -1;
    CivilDate date{year, static_cast<int>(month), static_cast<int>(day)};
    int64_t number = days_from_civil(date);
    if (civil_from_days(number).day != date.day) return -1;  // 2025-02-30 and the like
    return number;
}

}  // namespace costops::cli
