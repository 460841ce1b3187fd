#include "percent_change.hpp"

namespace costops::cli {

std::optional<std::string> percent_change(costops::Decimal before, costops::Decimal after) {
    if (before == costops::Decimal()) return std::nullopt;
    // Hundredths of a percent: change * 10,000 / before, both in the same units.
    costops::int128 hundredths = costops::divide_half_even(
        costops::checked_mul((after - before).raw(), 10000), before.raw());
    costops::int128 whole = hundredths / 100, part = hundredths % 100;
    bool negative = hundredths < 0;
    if (negative) {
        whole = -whole;
        part = -part;
    }
    std::string digits = std::to_string(static_cast<long long>(whole));
    std::string cents = std::to_string(static_cast<long long>(part));
    return (negative ? "-" : "") + digits + "." + (part < 10 ? "0" : "") + cents;
}

}  // namespace costops::cli
