// The one way every fuzz target reports a broken invariant: libFuzzer records an abort as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace costops::fuzz {

// Aborts with `what` (and the offending text, if any) when `ok` is false.
inline void require(bool ok, const char* what, const std::string& detail = {}) {
    if (ok) return;
    std::fprintf(stderr, "fuzz invariant broken: %s %s\n", what, detail.c_str());
    std::abort();
}

}  // namespace costops::fuzz
