#include "anomaly.hpp"

#include <algorithm>

#include "robust_stats.hpp"

namespace costops {

bool AnomalyScore::departs(Decimal threshold) const {
    if (!z) return actual != expected;
    return absolute(*z) >= threshold;
}

Decimal robust_scale(const std::vector<Decimal>& history, Decimal center) {
    Decimal mad = median_absolute_deviation(history, center);
    if (mad != Decimal()) return scaled(mad, 14826, 10000);
    return scaled(mean_absolute_deviation(history, center), 12533, 10000);
}

std::optional<AnomalyScore> score_at(const DailySeries& series, int64_t period, int64_t bucket,
                                     size_t max_history) {
    if (bucket < series.first || bucket > series.last()) return std::nullopt;
    std::vector<Decimal> history;
    for (int64_t past = bucket - period; past >= series.first && history.size() < max_history;
         past -= period)
        history.push_back(series.values[static_cast<size_t>(past - series.first)]);
    return score_against(bucket, series.values[static_cast<size_t>(bucket - series.first)],
                         history);
}

std::optional<AnomalyScore> score_against(int64_t bucket, Decimal actual,
                                          const std::vector<Decimal>& history) {
    if (history.size() < kMinAnomalyHistory) return std::nullopt;
    AnomalyScore score;
    score.bucket = bucket;
    score.actual = actual;
    score.expected = median(history);
    score.scale = robust_scale(history, score.expected);
    if (score.scale != Decimal()) score.z = ratio(score.actual - score.expected, score.scale);
    score.history = history.size();
    return score;
}

std::vector<AnomalyScore> seasonal_scores(const DailySeries& series, int64_t period, int64_t from,
                                          size_t max_history) {
    std::vector<AnomalyScore> scores;
    for (int64_t bucket = std::max(from, series.first); bucket <= series.last(); ++bucket) {
        if (auto score = score_at(series, period, bucket, max_history)) scores.push_back(*score);
    }
    return scores;
}

std::vector<AnomalyScore> share_scores(const TokenCounts& counts, int64_t period, int64_t from,
                                       int64_t first, size_t max_history) {
    std::map<int64_t, Decimal> share;
    for (const auto& [bucket, c] : counts) {
        if (c.second > 0)
            share[bucket] = ratio(Decimal::from_int(c.first), Decimal::from_int(c.second));
    }
    std::vector<AnomalyScore> scores;
    for (auto it = share.lower_bound(from); it != share.end(); ++it) {
        std::vector<Decimal> history;
        for (int64_t past = it->first - period; past >= first && history.size() < max_history;
             past -= period) {
            auto found = share.find(past);
            if (found != share.end()) history.push_back(found->second);
        }
        auto score = score_against(it->first, it->second, history);
        if (score) scores.push_back(*score);
    }
    return scores;
}

std::vector<std::string> driver_texts(const std::vector<Driver>& drivers, Decimal departure,
                                      size_t count) {
    bool upward = departure > Decimal();
    std::vector<std::string> texts;
    for (const auto& d : ranked_drivers(drivers, upward)) {
        if (texts.size() == count || (d.excess() > Decimal()) != upward || d.excess() == Decimal())
            break;
        std::string share =
            departure == Decimal()
                ? ""
                : " (" + rounded(ratio(d.excess().times(100), departure), 0).to_string() + "%)";
        texts.push_back(d.key + " " + (upward ? "+" : "") + d.excess().to_string() + share);
    }
    return texts;
}

std::vector<Driver> ranked_drivers(std::vector<Driver> drivers, bool upward) {
    std::sort(drivers.begin(), drivers.end(), [upward](const Driver& a, const Driver& b) {
        if (a.excess() != b.excess())
            return upward ? a.excess() > b.excess() : a.excess() < b.excess();
        return a.key < b.key;
    });
    return drivers;
}

}  // namespace costops
