// Every message that counts things ("1 record", "2 records") says it the same way.
#pragma once

#include <cstdint>
#include <string>

namespace costops::cli {

// `n` and the noun, plural unless n is 1 or -1: counted(1, "budget") is "1 budget", counted(2,
// "entry", "entries") is "2 entries".
inline std::string counted(int64_t n, const std::string& singular, const std::string& plural = "") {
    bool one = n == 1 || n == -1;
    return std::to_string(n) + " " + (one ? singular : plural.empty() ? singular + "s" : plural);
}

}  // namespace costops::cli
