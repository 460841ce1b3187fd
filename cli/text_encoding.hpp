// UTF-8 checks for text bound for the database, which stores UTF-8 and refuses anything else.
#pragma once

#include <string>
#include <string_view>

namespace costops::cli {

// The length of the well-formed UTF-8 sequence at s[i], or 0 when there is none: RFC 3629's
// table, so overlong forms, surrogates (U+D800-DFFF) and code points past U+10FFFF are not
// (PostgreSQL refuses them, and one such value would fail a whole COPY batch).
inline size_t utf8_sequence_length(std::string_view s, size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        unsigned char b = static_cast<unsigned char>(s[i + k]);
        // Continuation bytes are 80-BF; the second's range is narrower after E0, ED, F0, F4.
        unsigned char low = k > 1 ? 0x80 : c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
        unsigned char high = k > 1 ? 0xbf : c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
        if (b < low || b > high) return 0;
    }
    return n;
}

// Whether `s` is well-formed UTF-8.
inline bool is_valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

// `s` with each byte that is not part of well-formed UTF-8 (and each NUL) written as \xNN, so
// a bad record can be stored and shown as it was.
inline std::string escape_invalid_utf8(std::string_view s) {
    static const char* kHex = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        size_t n = s[i] == '\0' ? 0 : utf8_sequence_length(s, i);
        if (n == 0) {
            unsigned char c = static_cast<unsigned char>(s[i++]);
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

}  // namespace costops::cli
