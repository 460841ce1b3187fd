// The token counts of one normalized usage record and the invariants they must satisfy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace costops {

// Token counts as the domain page defines them: prompt_tokens includes every cache read and
// write (5-minute and 1-hour); completion_tokens includes reasoning.
struct UsageCounts {
    int64_t prompt_tokens = 0;
    int64_t completion_tokens = 0;
    int64_t cached_tokens = 0;
    int64_t cache_write_tokens = 0;  // 5-minute cache writes
    int64_t reasoning_tokens = 0;
    int64_t cache_write_1h_tokens = 0;
};

// What a record says of the API requests it sums: one request, unless it is a usage-API bucket
// summing `count` requests (nullopt: a number the source does not give) whose prompt sizes each
// lie within [prompt_tokens_min, prompt_tokens_max] when the source says so (Anthropic's
// context_window). Context tiers and request fees are per request, so pricing needs this.
struct RequestShape {
    std::optional<int64_t> count = 1;
    std::optional<int64_t> prompt_tokens_min, prompt_tokens_max;
};

// A broken invariant: which field, and a whole sentence (naming the field) saying why.
struct UsageViolation {
    std::string field;
    std::string reason;
};

// Checks the invariants of the domain page (non-negative counts, parts within their wholes,
// total_tokens equal to prompt + completion when given); nullopt when the counts are sound.
std::optional<UsageViolation> check_usage(const UsageCounts& counts,
                                          std::optional<int64_t> total_tokens);

// Checks a record's request shape against its prompt_tokens (a count of at least 1, bounds
// that are ordered and can hold the record's prompt tokens); nullopt when it is sound.
std::optional<UsageViolation> check_requests(const RequestShape& requests, int64_t prompt_tokens);

}  // namespace costops
