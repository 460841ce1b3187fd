#include "daily_series.hpp"

#include <algorithm>

namespace costops {

DailySeries dense_series(const std::vector<std::pair<int64_t, Decimal>>& rows, int64_t first,
                         int64_t last) {
    DailySeries series;
    series.first = first;
    series.values.assign(static_cast<size_t>(std::max<int64_t>(last - first + 1, 0)), Decimal());
    for (const auto& [bucket, amount] : rows) {
        if (bucket < first || bucket > last) continue;
        Decimal& slot = series.values[static_cast<size_t>(bucket - first)];
        slot = slot + amount;
    }
    return series;
}

Decimal series_sum(const DailySeries& series, int64_t first, int64_t last) {
    Decimal sum;
    for (int64_t b = std::max(first, series.first); b <= std::min(last, series.last()); ++b)
        sum = sum + series.values[static_cast<size_t>(b - series.first)];
    return sum;
}

DailySeries series_tail(const DailySeries& series, int64_t count) {
    int64_t size = static_cast<int64_t>(series.values.size());
    if (count >= size) return series;
    DailySeries tail;
    tail.first = series.first + size - count;
    tail.values.assign(series.values.end() - count, series.values.end());
    return tail;
}

}  // namespace costops
