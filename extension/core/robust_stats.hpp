// Exact robust statistics over Decimal values (no floating point anywhere): medians, median and
// mean absolute deviations, nearest-rank quantiles and the exact quotient of two decimals.
#pragma once

#include <cstdint>
#include <vector>

#include "decimal.hpp"

namespace costops {

// |value|.
Decimal absolute(Decimal value);

// The median: the middle value, or the mean of the two middle ones (exact: a half of a sum).
// Throws std::invalid_argument on an empty list.
Decimal median(std::vector<Decimal> values);

// The median of |v - center|.
Decimal median_absolute_deviation(const std::vector<Decimal>& values, Decimal center);

// The mean of |v - center| (rounded half-even at the 24th digit).
Decimal mean_absolute_deviation(const std::vector<Decimal>& values, Decimal center);

// The nearest-rank `percent` quantile: the ceil(percent/100 * n)-th smallest value (at least the
// first), an order statistic, so exact. Throws std::invalid_argument on an empty list.
Decimal quantile(std::vector<Decimal> values, int percent);

// numerator / denominator by long division, rounded half to even at the 24th digit; throws
// DecimalError on a zero denominator or a result out of range.
Decimal ratio(Decimal numerator, Decimal denominator);

// `value` rounded half to even to `digits` fractional digits (0..24), for display.
Decimal rounded(Decimal value, int digits);

// value * numerator / denominator, exact but for the final half-even rounding.
Decimal scaled(Decimal value, int64_t numerator, int64_t denominator);

}  // namespace costops
