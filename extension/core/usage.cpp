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

}  // namespace costops
