// Exact robust anomaly scores: each point of a series against its own seasonal history (the
// same weekday for days, the same hour of the week for hours) by median and MAD, and the
// contributors that drove a departure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "daily_series.hpp"

namespace costops {

constexpr size_t kMinAnomalyHistory = 4;  // same-season points needed to judge a point

struct AnomalyScore {
    int64_t bucket = 0;        // day or hour number
    Decimal actual, expected;  // expected: the median of the history
    Decimal scale;             // 1.4826 * MAD, else 1.2533 * mean absolute deviation, else 0
    std::optional<Decimal> z;  // (actual - expected) / scale; none when the history is constant
    size_t history = 0;        // points in the history

    // Whether |z| reaches `threshold` (with a constant history: whether actual differs at all).
    bool departs(Decimal threshold) const;
};

// The score of `bucket` against the values `period`, 2 * `period`, ... buckets before it (at
// most `max_history` of them); nullopt with fewer than kMinAnomalyHistory or outside the series.
std::optional<AnomalyScore> score_at(const DailySeries& series, int64_t period, int64_t bucket,
                                     size_t max_history);

// The score of `actual` (at `bucket`) against `history`; nullopt with fewer than
// kMinAnomalyHistory values.
std::optional<AnomalyScore> score_against(int64_t bucket, Decimal actual,
                                          const std::vector<Decimal>& history);

// The score of every bucket from `from` on: its history is the values `period`, 2 * `period`,
// ... buckets before it, at most `max_history` of them, and at least kMinAnomalyHistory (buckets
// with fewer are left out).
std::vector<AnomalyScore> seasonal_scores(const DailySeries& series, int64_t period, int64_t from,
                                          size_t max_history);

// Token counts per bucket: (part, whole), e.g. (completion, prompt + completion) tokens.
using TokenCounts = std::map<int64_t, std::pair<int64_t, int64_t>>;

// The token-mix scores of cost-ops anomalies (metric output_share): part / whole in each bucket
// from `from` on that has tokens (whole > 0), against the shares of the buckets `period`,
// 2 * `period`, ... before it that had tokens, from `first` on and at most `max_history` of
// them (at least kMinAnomalyHistory; buckets with fewer are left out).
std::vector<AnomalyScore> share_scores(const TokenCounts& counts, int64_t period, int64_t from,
                                       int64_t first, size_t max_history);

// The robust scale of a history around its median: 1.4826 * MAD (the normal-consistent
// factor); when MAD is 0 (over half the points equal), 1.2533 * the mean absolute deviation
// (sqrt(pi/2), its normal-consistent factor); 0 when every point is the same.
Decimal robust_scale(const std::vector<Decimal>& history, Decimal center);

struct Driver {
    std::string key;           // e.g. "model gpt-4o"
    Decimal actual, expected;  // expected: the median of its own same-season history
    // How much of the departure this contributor explains (negative for a drop).
    Decimal excess() const { return actual - expected; }
};

// The drivers in the order of how much of a departure they explain: the largest excess first
// for a rise (`upward`), the largest shortfall first for a drop; ties by key.
std::vector<Driver> ranked_drivers(std::vector<Driver> drivers, bool upward);

// The `count` drivers of one dimension that explain most of a departure of `departure` (actual
// minus expected), as printed: "model gpt-4o +1.5 (60%)", the share rounded to a whole percent
// (half to even); only drivers that moved the same way as the departure.
std::vector<std::string> driver_texts(const std::vector<Driver>& drivers, Decimal departure,
                                      size_t count);

}  // namespace costops
