// A series of exact amounts over consecutive buckets (days or hours): the input of forecasts
// and anomaly detection, built from sparse (bucket, amount) rows with missing buckets as 0.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "decimal.hpp"

namespace costops {

struct DailySeries {
    int64_t first = 0;            // the bucket number of values[0] (day or hour number)
    std::vector<Decimal> values;  // one per consecutive bucket

    // The bucket number of the last value (first - 1 when empty).
    int64_t last() const { return first + static_cast<int64_t>(values.size()) - 1; }
};

// The dense series from `first` to `last` (inclusive) of sparse rows (bucket, amount), summed
// per bucket; rows outside the range are left out, missing buckets are 0.
DailySeries dense_series(const std::vector<std::pair<int64_t, Decimal>>& rows, int64_t first,
                         int64_t last);

// The values of buckets first..last of a series (those it does not hold count as 0), summed.
Decimal series_sum(const DailySeries& series, int64_t first, int64_t last);

// The last `count` buckets of a series (all of it when shorter).
DailySeries series_tail(const DailySeries& series, int64_t count);

}  // namespace costops
