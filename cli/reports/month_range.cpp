#include "month_range.hpp"

#include <regex>

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// Year and month of a checked "YYYY-MM".
std::pair<int, int> year_month(const std::string& month) {
    check_month(month);
    return {std::stoi(month.substr(0, 4)), std::stoi(month.substr(5, 2))};
}

// "YYYY-MM" of a year and month.
std::string month_text(int year, int month) {
    std::string y = std::to_string(year);
    return std::string(y.size() < 4 ? 4 - y.size() : 0, '0') + y + (month < 10 ? "-0" : "-") +
           std::to_string(month);
}

}  // namespace

void check_month(const std::string& month) {
    static const std::regex shape(R"(\d{4}-(0[1-9]|1[0-2]))");
    if (!std::regex_match(month, shape)) {
        throw CliError("--month '" + month + "': use YYYY-MM, e.g. 2025-01");
    }
}

std::string month_range(const std::string& month) {
    auto [year, m] = year_month(month);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int last = days[m - 1] + (m == 2 && leap ? 1 : 0);
    return month + "-01.." + month + "-" + (last < 10 ? "0" : "") + std::to_string(last);
}

std::string previous_month(const std::string& month) {
    auto [year, m] = year_month(month);
    return m == 1 ? month_text(year - 1, 12) : month_text(year, m - 1);
}

}  // namespace costops::cli
