#include "robust_stats.hpp"

#include <algorithm>

namespace costops {

namespace {

using uint128 = unsigned __int128;

// Throws for a statistic of no values.
void require_values(const std::vector<Decimal>& values, const char* what) {
    if (values.empty()) throw std::invalid_argument(std::string(what) + " of no values");
}

// |raw| as unsigned, safe for the most negative value.
uint128 magnitude(int128 raw) {
    return raw < 0 ? -static_cast<uint128>(raw) : raw;
}

// The absolute deviations |v - center|.
std::vector<Decimal> deviations(const std::vector<Decimal>& values, Decimal center) {
    std::vector<Decimal> out;
    out.reserve(values.size());
    for (Decimal v : values) out.push_back(absolute(v - center));
    return out;
}

}  // namespace

Decimal absolute(Decimal value) {
    return value < Decimal() ? -value : value;
}

Decimal median(std::vector<Decimal> values) {
    require_values(values, "median");
    size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<long>(mid), values.end());
    Decimal upper = values[mid];
    if (values.size() % 2 == 1) return upper;
    Decimal lower = *std::max_element(values.begin(), values.begin() + static_cast<long>(mid));
    return (lower + upper).divided_by(2);
}

Decimal median_absolute_deviation(const std::vector<Decimal>& values, Decimal center) {
    return median(deviations(values, center));
}

Decimal mean_absolute_deviation(const std::vector<Decimal>& values, Decimal center) {
    require_values(values, "mean absolute deviation");
    Decimal sum;
    for (Decimal d : deviations(values, center)) sum = sum + d;
    return sum.divided_by(static_cast<int64_t>(values.size()));
}

Decimal quantile(std::vector<Decimal> values, int percent) {
    require_values(values, "quantile");
    size_t n = values.size();
    size_t rank = (static_cast<size_t>(percent) * n + 99) / 100;  // ceil(percent * n / 100)
    size_t index = std::min(n, std::max<size_t>(rank, 1)) - 1;
    std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
    return values[index];
}

Decimal ratio(Decimal numerator, Decimal denominator) {
    if (denominator.raw() == 0)
        throw DecimalError(DecimalErrorKind::DivisionByZero, "division by zero");
    uint128 a = magnitude(numerator.raw()), b = magnitude(denominator.raw());
    // Each step multiplies a remainder below b by 10: b must stay below 2^128 / 10.
    constexpr uint128 kMaxDivisor = ~static_cast<uint128>(0) / 10;
    if (b > kMaxDivisor) throw DecimalError(DecimalErrorKind::OutOfRange, "divisor out of range");
    uint128 whole = a / b, rest = a % b, fraction = 0;
    if (whole > static_cast<uint128>(~static_cast<uint128>(0) >> 1)) {
        throw DecimalError(DecimalErrorKind::OutOfRange, "quotient out of range");
    }
    for (int i = 0; i < Decimal::kScale; ++i) {
        rest *= 10;
        fraction = fraction * 10 + rest / b;
        rest %= b;
    }
    // Half to even on the last digit: rest / b compared with 1/2.
    if (rest * 2 > b || (rest * 2 == b && fraction % 2 == 1)) ++fraction;
    int128 units = checked_add(checked_mul(static_cast<int128>(whole), pow10_128(Decimal::kScale)),
                               static_cast<int128>(fraction));
    bool negative = (numerator.raw() < 0) != (denominator.raw() < 0);
    return Decimal::from_raw(negative ? -units : units);
}

Decimal rounded(Decimal value, int digits) {
    int128 unit = pow10_128(Decimal::kScale - digits);
    return Decimal::from_raw(checked_mul(divide_half_even(value.raw(), unit), unit));
}

Decimal scaled(Decimal value, int64_t numerator, int64_t denominator) {
    return value.times(numerator).divided_by(denominator);
}

}  // namespace costops
