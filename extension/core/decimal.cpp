#include "decimal.hpp"

#include <algorithm>
#include <limits>

namespace costops {

namespace {

constexpr int128 kInt128Max = static_cast<int128>(~static_cast<unsigned __int128>(0) >> 1);
constexpr int128 kInt128Min = -kInt128Max - 1;

// Throws the error every out-of-range result reports.
[[noreturn]] void throw_out_of_range() {
    throw DecimalError(DecimalErrorKind::OutOfRange,
                       "value is out of range: the cost type holds at most 39 digits, "
                       "24 of them after the decimal point");
}

// Parsed pieces of a decimal literal: value = sign * digits * 10^exponent.
struct Literal {
    bool negative = false;
    std::string digits;  // significant digits, no leading zeros, may be empty (zero)
    long exponent = 0;
};

// Splits text into sign, significant digits and a power-of-ten exponent; throws on bad syntax.
Literal split_literal(std::string_view text) {
    auto bad = [&]() -> DecimalError {
        return DecimalError(DecimalErrorKind::InvalidSyntax, "not a decimal number");
    };
    size_t i = 0, n = text.size();
    while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
    while (n > i && (text[n - 1] == ' ' || text[n - 1] == '\t')) --n;
    Literal lit;
    if (i < n && (text[i] == '+' || text[i] == '-')) lit.negative = text[i++] == '-';
    bool any_digit = false, seen_point = false;
    long pending_zeros = 0;  // zeros after the last non-zero digit, kept out of `digits`
    for (; i < n; ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            any_digit = true;
            if (seen_point) --lit.exponent;
            if (c == '0') {
                if (!lit.digits.empty()) ++pending_zeros;
                continue;
            }
            lit.digits.append(static_cast<size_t>(pending_zeros), '0');
            pending_zeros = 0;
            lit.digits.push_back(c);
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (!any_digit) throw bad();
    if (i < n) {
        if (text[i] != 'e' && text[i] != 'E') throw bad();
        ++i;
        bool exp_negative = false;
        if (i < n && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
        if (i >= n) throw bad();
        long exp = 0;
        for (; i < n; ++i) {
            if (text[i] < '0' || text[i] > '9') throw bad();
            exp = std::min(exp * 10 + (text[i] - '0'), 100000L);
        }
        lit.exponent += exp_negative ? -exp : exp;
    }
    // Trailing zeros carry no precision: they stay in the exponent, not in the digits.
    lit.exponent += pending_zeros;
    if (lit.digits.empty()) lit.exponent = 0;
    return lit;
}

}  // namespace

int128 pow10_128(int n) {
    int128 result = 1;
    for (int k = 0; k < n; ++k) result *= 10;
    return result;
}

int128 checked_add(int128 a, int128 b) {
    int128 out;
    if (__builtin_add_overflow(a, b, &out)) throw_out_of_range();
    return out;
}

int128 checked_mul(int128 a, int128 b) {
    int128 out;
    if (__builtin_mul_overflow(a, b, &out)) throw_out_of_range();
    return out;
}

int128 divide_half_even(int128 numerator, int128 denominator) {
    if (denominator == 0) throw DecimalError(DecimalErrorKind::DivisionByZero, "division by zero");
    if (numerator == kInt128Min && denominator == -1) throw_out_of_range();
    int128 quotient = numerator / denominator;
    int128 remainder = numerator % denominator;
    if (remainder == 0) return quotient;
    // Compare 2*|remainder| with |denominator| without overflowing.
    unsigned __int128 abs_rem = remainder < 0 ? -static_cast<unsigned __int128>(remainder)
                                              : static_cast<unsigned __int128>(remainder);
    unsigned __int128 abs_den = denominator < 0 ? -static_cast<unsigned __int128>(denominator)
                                                : static_cast<unsigned __int128>(denominator);
    unsigned __int128 rest = abs_den - abs_rem;
    bool away = abs_rem > rest || (abs_rem == rest && (quotient % 2 != 0));
    if (away) quotient += ((numerator < 0) != (denominator < 0)) ? -1 : 1;
    return quotient;
}

Decimal Decimal::parse(std::string_view text, int max_fraction_digits) {
    max_fraction_digits = std::min(max_fraction_digits, kScale);
    Literal lit = split_literal(text);
    long fraction = lit.exponent < 0 ? -lit.exponent : 0;
    if (fraction > max_fraction_digits) {
        throw DecimalError(DecimalErrorKind::TooPrecise,
                           "has " + std::to_string(fraction) + " fractional digits; at most " +
                               std::to_string(max_fraction_digits) + " are allowed here");
    }
    long shift = lit.exponent + kScale;  // power of ten applied to the digits
    if (static_cast<long>(lit.digits.size()) + shift > kMaxDigits) throw_out_of_range();
    unsigned __int128 magnitude = 0;
    for (char c : lit.digits) {
        // 39 digits can pass 2^128: check instead of wrapping around.
        if (__builtin_mul_overflow(magnitude, 10, &magnitude) ||
            __builtin_add_overflow(magnitude, static_cast<unsigned>(c - '0'), &magnitude)) {
            throw_out_of_range();
        }
    }
    for (long k = 0; k < shift; ++k) {
        if (magnitude > (~static_cast<unsigned __int128>(0)) / 10) throw_out_of_range();
        magnitude *= 10;
    }
    unsigned __int128 limit = static_cast<unsigned __int128>(kInt128Max) + (lit.negative ? 1 : 0);
    if (magnitude > limit) throw_out_of_range();
    return from_raw(lit.negative ? static_cast<int128>(-magnitude)
                                 : static_cast<int128>(magnitude));
}

bool Decimal::try_parse(std::string_view text, Decimal& out, std::string& error,
                        int max_fraction_digits) {
    try {
        out = parse(text, max_fraction_digits);
        return true;
    } catch (const DecimalError& e) {
        error = e.what();
        return false;
    }
}

Decimal Decimal::from_int(int64_t value) {
    return from_raw(checked_mul(static_cast<int128>(value), pow10_128(kScale)));
}

int Decimal::write(char* buf) const {
    // Digits of |raw| in reverse, then insert the point kScale digits from the right.
    char rev[kMaxDigits + 1];
    int len = 0;
    unsigned __int128 magnitude =
        raw_ < 0 ? -static_cast<unsigned __int128>(raw_) : static_cast<unsigned __int128>(raw_);
    do {
        rev[len++] = static_cast<char>('0' + static_cast<int>(magnitude % 10));
        magnitude /= 10;
    } while (magnitude != 0);
    while (len <= kScale) rev[len++] = '0';  // at least one integer digit
    int first_kept = 0;                      // skip trailing fractional zeros
    while (first_kept < kScale && rev[first_kept] == '0') ++first_kept;
    int pos = 0;
    if (raw_ < 0) buf[pos++] = '-';
    for (int k = len - 1; k >= kScale; --k) buf[pos++] = rev[k];
    if (first_kept < kScale) {
        buf[pos++] = '.';
        for (int k = kScale - 1; k >= first_kept; --k) buf[pos++] = rev[k];
    }
    buf[pos] = '\0';
    return pos;
}

std::string Decimal::to_string() const {
    char buf[kMaxTextLength + 1];
    int len = write(buf);
    return std::string(buf, static_cast<size_t>(len));
}

int Decimal::fraction_digits() const {
    int128 unit = 1;
    int zeros = 0;
    while (zeros < kScale && raw_ % (unit * 10) == 0) {
        unit *= 10;
        ++zeros;
    }
    return kScale - zeros;
}

Decimal Decimal::operator+(Decimal other) const {
    return from_raw(checked_add(raw_, other.raw_));
}

Decimal Decimal::operator-(Decimal other) const {
    int128 out;
    if (__builtin_sub_overflow(raw_, other.raw_, &out)) throw_out_of_range();
    return from_raw(out);
}

Decimal Decimal::operator-() const {
    if (raw_ == kInt128Min) throw_out_of_range();
    return from_raw(-raw_);
}

Decimal Decimal::times(int64_t factor) const {
    return from_raw(checked_mul(raw_, factor));
}

Decimal Decimal::divided_by(int64_t divisor) const {
    return from_raw(divide_half_even(raw_, divisor));
}

}  // namespace costops
