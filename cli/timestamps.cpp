#include "timestamps.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>

namespace costops::cli {

namespace {

// Reads exactly n digits at text[pos]; false when they are not all digits.
bool read_digits(std::string_view text, size_t& pos, size_t n, int& value) {
    if (pos + n > text.size()) return false;
    value = 0;
    for (size_t i = 0; i < n; ++i) {
        char c = text[pos + i];
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        value = value * 10 + (c - '0');
    }
    pos += n;
    return true;
}

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// Parses the zone suffix starting at pos into out.zone; false when malformed.
bool read_zone(std::string_view text, size_t pos, ParsedTimestamp& out) {
    if (pos == text.size()) return true;
    if (text.substr(pos) == "Z" || text.substr(pos) == "z") {
        out.zone = "Z";
        return true;
    }
    if (text[pos] != '+' && text[pos] != '-') return false;
    char sign = text[pos++];
    int hh, mm = 0;
    if (!read_digits(text, pos, 2, hh)) return false;
    bool colon = pos < text.size() && text[pos] == ':';
    if (colon) ++pos;
    // After a colon the minutes are required: "+05:" is not a zone.
    if ((colon || pos < text.size()) && !read_digits(text, pos, 2, mm)) return false;
    if (pos != text.size() || hh > 15 || mm > 59) return false;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, hh, mm);
    out.zone = buf;
    return true;
}

// `t` with its fraction rounded to 6 digits the way PostgreSQL's timestamp input does
// (rint of the fraction, read as a double, times 1e6: this is a time, not money); a carry
// moves into the seconds and minutes (to_utc's arithmetic takes minute 60 and hour 24).
ParsedTimestamp round_to_microseconds(const ParsedTimestamp& t) {
    ParsedTimestamp r = t;
    if (r.fraction.size() <= 6) return r;
    long micros = std::lrint(std::strtod(("0." + r.fraction).c_str(), nullptr) * 1e6);
    if (micros >= 1000000) {
        micros -= 1000000;
        if (++r.second == 60) r.second = 0, ++r.minute;
    }
    char digits[24];
    std::snprintf(digits, sizeof digits, "%06ld", micros);
    r.fraction = digits;
    return r;
}

}  // namespace

bool parse_timestamp(std::string_view text, ParsedTimestamp& out, std::string& error) {
    out = ParsedTimestamp{};
    error = "expected a timestamp like 2025-01-15T10:00:00Z or a date like 2025-01-15";
    size_t pos = 0;
    if (!read_digits(text, pos, 4, out.year) || pos >= text.size() || text[pos++] != '-' ||
        !read_digits(text, pos, 2, out.month) || pos >= text.size() || text[pos++] != '-' ||
        !read_digits(text, pos, 2, out.day)) {
        return false;
    }
    if (out.month < 1 || out.month > 12 || out.day < 1 ||
        out.day > days_in_month(out.year, out.month)) {
        error = "no such date";
        return false;
    }
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
        ++pos;
        out.has_time = true;
        if (!read_digits(text, pos, 2, out.hour) || pos >= text.size() || text[pos++] != ':' ||
            !read_digits(text, pos, 2, out.minute)) {
            return false;
        }
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            if (!read_digits(text, pos, 2, out.second)) return false;
            if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
                ++pos;
                while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
                    out.fraction += text[pos++];
                }
                if (out.fraction.empty()) return false;
            }
        }
        if (out.hour > 23 || out.minute > 59 || out.second > 59) {
            error = "no such time of day";
            return false;
        }
    }
    if (!read_zone(text, pos, out)) return false;
    return true;
}

namespace {

// Appends `value` as exactly `width` decimal digits (ingest formats one per record: no printf).
void append_digits(std::string& out, int value, int width) {
    char digits[24];
    for (int i = width - 1; i >= 0; --i, value /= 10)
        digits[i] = static_cast<char>('0' + value % 10);
    out.append(digits, static_cast<size_t>(width));
}

}  // namespace

std::string timestamptz_text(const ParsedTimestamp& t) {
    std::string out;
    out.reserve(40);
    append_digits(out, t.year, 4);
    out += '-';
    append_digits(out, t.month, 2);
    out += '-';
    append_digits(out, t.day, 2);
    out += 'T';
    append_digits(out, t.hour, 2);
    out += ':';
    append_digits(out, t.minute, 2);
    out += ':';
    append_digits(out, t.second, 2);
    if (!t.fraction.empty()) out += "." + t.fraction;
    out += t.zone.empty() || t.zone == "Z" ? "+00:00" : t.zone;
    return out;
}

ParsedTimestamp to_utc(const ParsedTimestamp& t) {
    ParsedTimestamp u = round_to_microseconds(t);
    while (!u.fraction.empty() && u.fraction.back() == '0') u.fraction.pop_back();
    u.zone = "Z";
    int offset = 0;  // minutes east of UTC
    if (t.zone.size() == 6) {
        offset = ((t.zone[1] - '0') * 10 + (t.zone[2] - '0')) * 60 + (t.zone[4] - '0') * 10 +
                 (t.zone[5] - '0');
        if (t.zone[0] == '-') offset = -offset;
    }
    int minutes = u.hour * 60 + u.minute - offset;
    int day_shift = minutes < 0 ? -1 : minutes >= 24 * 60 ? 1 : 0;
    minutes -= day_shift * 24 * 60;
    u.hour = minutes / 60;
    u.minute = minutes % 60;
    if (day_shift > 0 && ++u.day > days_in_month(u.year, u.month)) {
        u.day = 1;
        if (++u.month > 12) u.month = 1, ++u.year;
    } else if (day_shift < 0 && --u.day < 1) {
        if (--u.month < 1) u.month = 12, --u.year;
        u.day = days_in_month(u.year, u.month);
    }
    return u;
}

std::string next_day_text(const ParsedTimestamp& t) {
    ParsedTimestamp next = t;
    next.has_time = false;
    next.hour = next.minute = next.second = 0;
    next.fraction.clear();
    next.zone.clear();
    if (++next.day > days_in_month(next.year, next.month)) {
        next.day = 1;
        if (++next.month > 12) {
            next.month = 1;
            ++next.year;
        }
    }
    return timestamptz_text(next);
}

}  // namespace costops::cli
