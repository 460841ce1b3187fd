// check_usage: the invariants of a normalized usage record's token counts.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "usage.hpp"

using namespace costops;

namespace {

// Counts in the struct's field order: prompt, completion, cached, cache write, reasoning.
UsageCounts counts(int64_t prompt, int64_t completion, int64_t cached = 0, int64_t write = 0,
                   int64_t reasoning = 0) {
    return UsageCounts{prompt, completion, cached, write, reasoning};
}

// "field: reason" of the violation, or "ok".
std::string verdict(const UsageCounts& c, std::optional<int64_t> total = std::nullopt) {
    auto violation = check_usage(c, total);
    return violation ? violation->field + ": " + violation->reason : "ok";
}

}  // namespace

TEST_CASE("check_usage accepts sound counts", "[core][usage]") {
    CHECK(verdict(counts(0, 0)) == "ok");
    CHECK(verdict(counts(0, 0), 0) == "ok");
    CHECK(verdict(counts(2006, 300, 1920)) == "ok");
    CHECK(verdict(counts(2006, 300, 1920), 2306) == "ok");
    CHECK(verdict(counts(100, 50, 100)) == "ok");       // everything read from the cache
    CHECK(verdict(counts(100, 50, 0, 100)) == "ok");    // everything written to the cache
    CHECK(verdict(counts(100, 50, 60, 40)) == "ok");    // reads + writes == prompt
    CHECK(verdict(counts(100, 50, 0, 0, 50)) == "ok");  // all output is reasoning
    CHECK(verdict(counts(INT64_MAX, 0), INT64_MAX) == "ok");
    CHECK(verdict(counts(INT64_MAX - 1, 1), INT64_MAX) == "ok");
    CHECK(verdict(counts(INT64_MAX, 0, INT64_MAX)) == "ok");
}

TEST_CASE("check_usage rejects negative counts, naming the first one", "[core][usage]") {
    const std::vector<std::pair<UsageCounts, std::string>> cases = {
        {counts(-1, 0), "prompt_tokens: prompt_tokens is negative (-1)"},
        {counts(0, -5), "completion_tokens: completion_tokens is negative (-5)"},
        {counts(10, 0, -1), "cached_tokens: cached_tokens is negative (-1)"},
        {counts(10, 0, 0, -2), "cache_write_tokens: cache_write_tokens is negative (-2)"},
        {counts(10, 10, 0, 0, -3), "reasoning_tokens: reasoning_tokens is negative (-3)"},
        {counts(INT64_MIN, 0), "prompt_tokens: prompt_tokens is negative (-9223372036854775808)"},
        {counts(-1, -1, -1, -1, -1), "prompt_tokens: prompt_tokens is negative (-1)"},
        {counts(5, -1, 0, 0, -1), "completion_tokens: completion_tokens is negative (-1)"},
    };
    for (const auto& [c, expected] : cases) CHECK(verdict(c) == expected);
}

TEST_CASE("check_usage keeps cache reads and writes within prompt_tokens", "[core][usage]") {
    CHECK(verdict(counts(100, 0, 101)) ==
          "cached_tokens: cached_tokens (101) plus cache_write_tokens (0) exceed prompt_tokens "
          "(100), which must include them");
    CHECK(verdict(counts(100, 0, 0, 101)) ==
          "cached_tokens: cached_tokens (0) plus cache_write_tokens (101) exceed prompt_tokens "
          "(100), which must include them");
    CHECK(verdict(counts(100, 0, 60, 41)) ==
          "cached_tokens: cached_tokens (60) plus cache_write_tokens (41) exceed prompt_tokens "
          "(100), which must include them");
    CHECK(verdict(counts(0, 10, 1)).rfind("cached_tokens: ", 0) == 0);

    SECTION("a sum past INT64_MAX does not wrap around to a small number") {
        CHECK(verdict(counts(INT64_MAX, 0, INT64_MAX, INT64_MAX)).rfind("cached_tokens: ", 0) == 0);
        CHECK(verdict(counts(INT64_MAX, 0, INT64_MAX, 1)).rfind("cached_tokens: ", 0) == 0);
        CHECK(verdict(counts(INT64_MAX, 0, 1, INT64_MAX)).rfind("cached_tokens: ", 0) == 0);
        CHECK(verdict(counts(INT64_MAX, 0, INT64_MAX - 1, 1)) == "ok");
    }
}

TEST_CASE("check_usage keeps reasoning within completion_tokens", "[core][usage]") {
    CHECK(verdict(counts(10, 300, 0, 0, 301)) ==
          "reasoning_tokens: reasoning_tokens (301) exceed completion_tokens (300), which must "
          "include them");
    CHECK(verdict(counts(10, 0, 0, 0, 1)).rfind("reasoning_tokens: ", 0) == 0);
    // The cache check comes first when both fail.
    CHECK(verdict(counts(10, 0, 11, 0, 1)).rfind("cached_tokens: ", 0) == 0);
}

TEST_CASE("check_usage compares total_tokens with prompt + completion", "[core][usage]") {
    CHECK(verdict(counts(2006, 300), 2305) ==
          "total_tokens: total_tokens (2305) differs from prompt_tokens + completion_tokens "
          "(2006 + 300)");
    CHECK(verdict(counts(0, 0), -1) ==
          "total_tokens: total_tokens (-1) differs from prompt_tokens + completion_tokens (0 + 0)");
    CHECK(verdict(counts(1, 1), 3).rfind("total_tokens: ", 0) == 0);
}

TEST_CASE("check_usage rejects prompt + completion beyond bigint", "[core][usage]") {
    const std::string overflow =
        "total_tokens: prompt_tokens + completion_tokens is out of range for bigint";
    CHECK(verdict(counts(INT64_MAX, 1)) == overflow);
    CHECK(verdict(counts(1, INT64_MAX)) == overflow);
    CHECK(verdict(counts(INT64_MAX, INT64_MAX)) == overflow);
    CHECK(verdict(counts(INT64_MAX, 1), -9223372036854775807 - 1) == overflow);
}
