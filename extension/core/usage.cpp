#include "usage.hpp"

namespace costops {

std::optional<UsageViolation> check_usage(const UsageCounts& c,
                                          std::optional<int64_t> total_tokens) {
    const std::pair<const char*, int64_t> counts[] = {
        {"prompt_tokens", c.prompt_tokens},
        {"completion_tokens", c.completion_tokens},
        {"cached_tokens", c.cached_tokens},
        {"cache_write_tokens", c.cache_write_tokens},
        {"reasoning_tokens", c.reasoning_tokens},
        {"cache_write_1h_tokens", c.cache_write_1h_tokens},
    };
    for (const auto& [field, value] : counts) {
        if (value < 0) {
            return UsageViolation{
                field, std::string(field) + " is negative (" + std::to_string(value) + ")"};
        }
    }
    // Compared as differences: the sum of the parts could overflow.
    if (c.cached_tokens > c.prompt_tokens ||
        c.cache_write_tokens > c.prompt_tokens - c.cached_tokens ||
        c.cache_write_1h_tokens > c.prompt_tokens - c.cached_tokens - c.cache_write_tokens) {
        std::string parts = "cached_tokens (" + std::to_string(c.cached_tokens) +
                            ") plus cache_write_tokens (" + std::to_string(c.cache_write_tokens) +
                            ")";
        if (c.cache_write_1h_tokens != 0) {
            parts +=
                " plus cache_write_1h_tokens (" + std::to_string(c.cache_write_1h_tokens) + ")";
        }
        return UsageViolation{"cached_tokens", parts + " exceed prompt_tokens (" +
                                                   std::to_string(c.prompt_tokens) +
                                                   "), which must include them"};
    }
    if (c.reasoning_tokens > c.completion_tokens) {
        return UsageViolation{"reasoning_tokens", "reasoning_tokens (" +
                                                      std::to_string(c.reasoning_tokens) +
                                                      ") exceed completion_tokens (" +
                                                      std::to_string(c.completion_tokens) +
                                                      "), which must include them"};
    }
    int64_t sum;
    if (__builtin_add_overflow(c.prompt_tokens, c.completion_tokens, &sum)) {
        return UsageViolation{"total_tokens",
                              "prompt_tokens + completion_tokens is out of range for bigint"};
    }
    if (total_tokens) {
        if (sum != *total_tokens) {
            return UsageViolation{"total_tokens",
                                  "total_tokens (" + std::to_string(*total_tokens) +
                                      ") differs from prompt_tokens + completion_tokens (" +
                                      std::to_string(c.prompt_tokens) + " + " +
                                      std::to_string(c.completion_tokens) + ")"};
        }
    }
    return std::nullopt;
}

std::optional<UsageViolation> check_requests(const RequestShape& r, int64_t prompt_tokens) {
    if (r.count && *r.count < 1) {
        return UsageViolation{"request_count",
                              "request_count (" + std::to_string(*r.count) + ") is not at least 1"};
    }
    const std::pair<const char*, std::optional<int64_t>> bounds[] = {
        {"request_prompt_tokens_min", r.prompt_tokens_min},
        {"request_prompt_tokens_max", r.prompt_tokens_max}};
    for (const auto& [field, value] : bounds) {
        if (value && *value < 0) {
            return UsageViolation{
                field, std::string(field) + " is negative (" + std::to_string(*value) + ")"};
        }
    }
    if (r.prompt_tokens_min && r.prompt_tokens_max && *r.prompt_tokens_min > *r.prompt_tokens_max) {
        return UsageViolation{"request_prompt_tokens_min",
                              "request_prompt_tokens_min (" + std::to_string(*r.prompt_tokens_min) +
                                  ") exceeds request_prompt_tokens_max (" +
                                  std::to_string(*r.prompt_tokens_max) + ")"};
    }
    // Each request holds at least min and at most max prompt tokens, so the record's lie
    // between count * min and count * max (at least one request when the count is unknown;
    // computed in 128 bits: the products can exceed bigint).
    __int128 count = r.count.value_or(1);
    // Built only for a message: the trigger checks every row.
    auto requests = [&] {
        return r.count ? std::to_string(*r.count) + " request(s)" : std::string("its requests");
    };
    if (r.prompt_tokens_min && count * *r.prompt_tokens_min > prompt_tokens) {
        return UsageViolation{"request_prompt_tokens_min",
                              "prompt_tokens (" + std::to_string(prompt_tokens) + ") cannot hold " +
                                  requests() + " of at least request_prompt_tokens_min (" +
                                  std::to_string(*r.prompt_tokens_min) + ")"};
    }
    if (r.prompt_tokens_max && r.count && count * *r.prompt_tokens_max < prompt_tokens) {
        return UsageViolation{"request_prompt_tokens_max",
                              "prompt_tokens (" + std::to_string(prompt_tokens) + ") exceed " +
                                  requests() + " of at most request_prompt_tokens_max (" +
                                  std::to_string(*r.prompt_tokens_max) + ")"};
    }
    return std::nullopt;
}

}  // namespace costops
