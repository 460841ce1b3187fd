// Exact fixed-point decimal used for every cost and price in LLM Cost Ops.
// Pure C++ (no PostgreSQL headers): shared by the extension, the CLI and the unit tests.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace costops {

using int128 = __int128;

// Why a decimal operation failed; the PostgreSQL layer maps each kind to an SQLSTATE.
enum class DecimalErrorKind { InvalidSyntax, TooPrecise, OutOfRange, DivisionByZero };

// Thrown by every Decimal operation that cannot give an exact, in-range result.
class DecimalError : public std::runtime_error {
  public:
    DecimalError(DecimalErrorKind kind, const std::string& what)
        : std::runtime_error(what), kind_(kind) {}
    DecimalErrorKind kind() const { return kind_; }

  private:
    DecimalErrorKind kind_;
};

// A signed decimal with exactly kScale fractional digits, stored as a 128-bit count of
// 10^-kScale units. Arithmetic is exact or throws; only division rounds (half to even).
class Decimal {
  public:
    static constexpr int kScale = 24;
    static constexpr int kMaxDigits = 39;  // digits of the largest int128

    constexpr Decimal() = default;

    // Builds a value from its raw count of 10^-24 units.
    static constexpr Decimal from_raw(int128 raw) {
        Decimal d;
        d.raw_ = raw;
        return d;
    }

    // Parses "-12.345", "1e-6", "2.5E+3": exact, or DecimalError. max_fraction_digits
    // limits the significant fractional digits the value may have (default: the full scale).
    static Decimal parse(std::string_view text, int max_fraction_digits = kScale);

    // Parses like parse() but returns false instead of throwing; `error` gets the reason.
    static bool try_parse(std::string_view text, Decimal& out, std::string& error,
                          int max_fraction_digits = kScale);

    static Decimal from_int(int64_t value);

    constexpr int128 raw() const { return raw_; }

    // Shortest exact text: no exponent, no trailing fractional zeros ("0.005615", "30", "-1.5").
    std::string to_string() const;

    // Writes to_string() into buf (at least kMaxTextLength + 1 bytes); returns the length.
    static constexpr int kMaxTextLength = 42;  // sign, 39 digits, point, leading zero
    int write(char* buf) const;

    // Number of significant fractional digits (0 for integers).
    int fraction_digits() const;

    Decimal operator+(Decimal other) const;
    Decimal operator-(Decimal other) const;
    Decimal operator-() const;
    Decimal times(int64_t factor) const;
    // Divides and rounds half to even at the 24th fractional digit.
    Decimal divided_by(int64_t divisor) const;

    constexpr bool operator==(Decimal o) const { return raw_ == o.raw_; }
    constexpr bool operator!=(Decimal o) const { return raw_ != o.raw_; }
    constexpr bool operator<(Decimal o) const { return raw_ < o.raw_; }
    constexpr bool operator<=(Decimal o) const { return raw_ <= o.raw_; }
    constexpr bool operator>(Decimal o) const { return raw_ > o.raw_; }
    constexpr bool operator>=(Decimal o) const { return raw_ >= o.raw_; }

  private:
    int128 raw_ = 0;
};

// Checked 128-bit helpers shared by the aggregates and the cost formula.
int128 checked_add(int128 a, int128 b);
int128 checked_mul(int128 a, int128 b);
// Divides rounding half to even; throws on a zero divisor.
int128 divide_half_even(int128 numerator, int128 denominator);

// 10^n for 0 <= n <= 38.
int128 pow10_128(int n);

}  // namespace costops
