// UTF-8 checks for text bound for the database, which stores UTF-8 and refuses anything else.
#pragma once

#include <string>
#include <string_view>

namespace costops::cli {

// The length of the well-formed UTF-8 sequence at s[i], or 0 when there is none.
inline size_t utf8_sequence_length(std::string_view s, size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size() || (n == 2 && c < 0xc2)) return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
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
