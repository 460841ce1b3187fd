// Month-over-month change as a percentage, from exact amounts without a float.
#pragma once

#include <optional>
#include <string>

#include "decimal.hpp"

namespace costops::cli {

// (after - before) / before as a percentage with two decimals, rounded half to even
// ("12.50"); none when `before` is zero (no base to compare with).
std::optional<std::string> percent_change(costops::Decimal before, costops::Decimal after);

}  // namespace costops::cli
