// cost_ops.forecast_series(), cost_ops.forecast_backtest(), cost_ops.robust_anomalies(),
// cost_ops.robust_share_anomalies() and cost_ops.anomaly_drivers(): the CLI's exact forecast and
// anomaly scores (extension/core) over arrays of days, costs and token counts, so SQL gives the
// same figures as `cost-ops forecast` and `cost-ops anomalies`.
//
// Each function runs in three phases: PostgreSQL calls reading the arguments into plain arrays
// (no C++ object alive), the C++ computation in its own scope writing plain palloc'd results
// allocated before it, then PostgreSQL calls emitting the rows once every C++ object is gone.
#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../core/anomaly.hpp"
#include "../core/forecast.hpp"
#include "cost_datum.hpp"
#include "guard.hpp"

using costops::Decimal;
using costops::pg::pg_guard;
using costops::pg::SqlError;

namespace {

constexpr int64_t kUnixEpochInPgDays = UNIX_EPOCH_JDATE - POSTGRES_EPOCH_JDATE;  // -10957
constexpr int kMaxRows = 100000;  // horizon days or scored buckets one call may return
constexpr int kNumberText = 48;   // room for a Decimal's text and its terminator

// An array argument as plain Datums (PostgreSQL calls: run before any C++ object exists).
struct PlainArray {
    Datum* values;
    bool* nulls;
    int count;
};

// Deconstructs array argument `n` of the call.
PlainArray plain_array(FunctionCallInfo fcinfo, int n) {
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(n);
    int16 length;
    bool by_value;
    char align;
    get_typlenbyvalalign(ARR_ELEMTYPE(array), &length, &by_value, &align);
    PlainArray out;
    deconstruct_array(array, ARR_ELEMTYPE(array), length, by_value, align, &out.values, &out.nulls,
                      &out.count);
    return out;
}

// The (bucket, cost) rows of two parallel arrays; throws SqlError for NULLs or unequal lengths.
std::vector<std::pair<int64_t, Decimal>> bucket_rows(const PlainArray& buckets,
                                                     const PlainArray& costs, bool dates) {
    if (buckets.count != costs.count) {
        throw SqlError(
            ERRCODE_ARRAY_SUBSCRIPT_ERROR, "the arrays differ in length",
            std::to_string(buckets.count) + " buckets, " + std::to_string(costs.count) + " costs");
    }
    std::vector<std::pair<int64_t, Decimal>> rows;
    for (int i = 0; i < buckets.count; ++i) {
        if (buckets.nulls[i] || costs.nulls[i])
            throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "the arrays may not hold NULLs");
        int64_t bucket = dates ? DatumGetDateADT(buckets.values[i]) - kUnixEpochInPgDays
                               : DatumGetInt64(buckets.values[i]);
        rows.emplace_back(bucket, Decimal::from_raw(costops::pg::cost_raw(costs.values[i])));
    }
    return rows;
}

// The first and last bucket of the rows (throws SqlError when there are none).
std::pair<int64_t, int64_t> bucket_span(const std::vector<std::pair<int64_t, Decimal>>& rows) {
    if (rows.empty()) throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "the arrays are empty");
    int64_t first = rows.front().first, last = rows.front().first;
    for (const auto& row : rows) {
        first = std::min(first, row.first);
        last = std::max(last, row.first);
    }
    return {first, last};
}

// The series of day rows, from their first day to their last, fitted or refused in SQL terms.
costops::DailySeries day_series(const std::vector<std::pair<int64_t, Decimal>>& rows) {
    auto [first, last] = bucket_span(rows);
    costops::DailySeries series = costops::dense_series(rows, first, last);
    if (static_cast<int64_t>(series.values.size()) < costops::kMinForecastDays) {
        throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "not enough history for a forecast",
                       "The days span " + std::to_string(series.values.size()) +
                           " days; a forecast needs " + std::to_string(costops::kMinForecastDays) +
                           ".");
    }
    return series;
}

// palloc'd room for `count` T, aligned for T (palloc aligns to 8 bytes; int128 needs 16).
template <typename T>
T* aligned_palloc(int64 count) {
    char* raw = static_cast<char*>(palloc(sizeof(T) * static_cast<size_t>(count) + alignof(T)));
    return reinterpret_cast<T*>(TYPEALIGN(alignof(T), raw));
}

// Copies a Decimal's text into a fixed buffer (no allocation).
void write_text(char* buffer, Decimal value) {
    value.write(buffer);
}

// A numeric Datum of the text (a PostgreSQL call).
Datum numeric_of(const char* text) {
    return DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
                               Int32GetDatum(-1));
}

// One forecast day as plain data.
struct ForecastOut {
    int64_t day;
    costops::int128 point, low, high;
};

// One departure as plain data.
struct AnomalyOut {
    int64_t bucket;
    costops::int128 actual, expected;
    bool has_z;
    char z[kNumberText];
    int32 history;
};

}  // namespace

// (day, forecast, low, high) for the `horizon` days after the last of `days`.
SQL_FUNCTION(cost_ops_forecast_series) {
    return pg_guard([&]() -> Datum {
        PlainArray days = plain_array(fcinfo, 0), costs = plain_array(fcinfo, 1);
        int32 horizon = PG_GETARG_INT32(2);
        if (horizon < 1 || horizon > kMaxRows) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "horizon must be 1 to 100000 days");
        }
        auto* out = aligned_palloc<ForecastOut>(horizon);
        {
            costops::ForecastModel model =
                costops::fit_forecast(day_series(bucket_rows(days, costs, true)));
            for (int32 h = 0; h < horizon; ++h) {
                costops::DayForecast f = costops::forecast_day(model, model.origin + 1 + h);
                out[h] = {f.day, f.point.raw(), f.low.raw(), f.high.raw()};
            }
        }
        InitMaterializedSRF(fcinfo, 0);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        for (int32 h = 0; h < horizon; ++h) {
            Datum values[4] = {
                DateADTGetDatum(static_cast<DateADT>(out[h].day + kUnixEpochInPgDays)),
                costops::pg::cost_datum(out[h].point), costops::pg::cost_datum(out[h].low),
                costops::pg::cost_datum(out[h].high)};
            bool nulls[4] = {false, false, false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
        return Datum(0);
    });
}

// (held_out_days, method_mae, naive_mae, method_wape_percent, naive_wape_percent): no row when
// the days span fewer than 28.
SQL_FUNCTION(cost_ops_forecast_backtest) {
    return pg_guard([&]() -> Datum {
        PlainArray days = plain_array(fcinfo, 0), costs = plain_array(fcinfo, 1);
        bool found = false;
        costops::int128 method = 0, naive = 0;
        char method_wape[kNumberText] = "", naive_wape[kNumberText] = "";
        int32 held_out = 0;
        {
            auto error = costops::backtest(day_series(bucket_rows(days, costs, true)));
            if (error) {
                found = true;
                held_out = static_cast<int32>(error->days);
                method = error->method_mae.raw();
                naive = error->naive_mae.raw();
                if (error->method_wape_percent)
                    write_text(method_wape, *error->method_wape_percent);
                if (error->naive_wape_percent) write_text(naive_wape, *error->naive_wape_percent);
            }
        }
        InitMaterializedSRF(fcinfo, 0);
        if (!found) return Datum(0);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        Datum values[5] = {Int32GetDatum(held_out), costops::pg::cost_datum(method),
                           costops::pg::cost_datum(naive), 0, 0};
        bool nulls[5] = {false, false, false, method_wape[0] == '\0', naive_wape[0] == '\0'};
        if (!nulls[3]) values[3] = numeric_of(method_wape);
        if (!nulls[4]) values[4] = numeric_of(naive_wape);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        return Datum(0);
    });
}

// (bucket, actual, expected, robust_z, history_points) of the buckets from `since` to
// `last_bucket` whose |robust z| reaches `threshold`, the series running from `first_bucket`.
SQL_FUNCTION(cost_ops_robust_anomalies) {
    return pg_guard([&]() -> Datum {
        PlainArray buckets = plain_array(fcinfo, 0), costs = plain_array(fcinfo, 1);
        int64 first = PG_GETARG_INT64(2), last = PG_GETARG_INT64(3), since = PG_GETARG_INT64(4);
        int32 period = PG_GETARG_INT32(5), max_history = PG_GETARG_INT32(7);
        char* threshold_text =
            DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(6)));
        if (first > last || period < 1 || max_history < 1) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid bucket range or period",
                           "Need first_bucket <= last_bucket, period >= 1 and max_history >= 1.");
        }
        int64 scored = last - std::max(since, first) + 1;  // buckets since..last in the series
        if (scored > kMaxRows) {
            throw SqlError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many buckets to score",
                           "At most 100000 buckets from since to last_bucket.");
        }
        auto* out = aligned_palloc<AnomalyOut>(std::max<int64>(scored, 1));
        int count = 0;
        {
            Decimal threshold = Decimal::parse(threshold_text);
            costops::DailySeries series =
                costops::dense_series(bucket_rows(buckets, costs, false), first, last);
            for (const auto& s : costops::seasonal_scores(series, period, since,
                                                          static_cast<size_t>(max_history))) {
                if (!s.departs(threshold)) continue;
                AnomalyOut& o = out[count++];
                o = {s.bucket,
                     s.actual.raw(),
                     s.expected.raw(),
                     s.z.has_value(),
                     "",
                     static_cast<int32>(s.history)};
                if (s.z) write_text(o.z, *s.z);
            }
        }
        InitMaterializedSRF(fcinfo, 0);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        for (int i = 0; i < count; ++i) {
            Datum values[5] = {Int64GetDatum(out[i].bucket), costops::pg::cost_datum(out[i].actual),
                               costops::pg::cost_datum(out[i].expected),
                               out[i].has_z ? numeric_of(out[i].z) : Datum(0),
                               Int32GetDatum(out[i].history)};
            bool nulls[5] = {false, false, false, !out[i].has_z, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
        return Datum(0);
    });
}

namespace {

// The (part, whole) token counts of three parallel bigint arrays; throws SqlError for NULLs or
// unequal lengths.
costops::TokenCounts token_counts(const PlainArray& buckets, const PlainArray& parts,
                                  const PlainArray& wholes) {
    if (buckets.count != parts.count || buckets.count != wholes.count) {
        throw SqlError(ERRCODE_ARRAY_SUBSCRIPT_ERROR, "the arrays differ in length");
    }
    costops::TokenCounts counts;
    for (int i = 0; i < buckets.count; ++i) {
        if (buckets.nulls[i] || parts.nulls[i] || wholes.nulls[i])
            throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "the arrays may not hold NULLs");
        auto& c = counts[DatumGetInt64(buckets.values[i])];
        c.first += DatumGetInt64(parts.values[i]);
        c.second += DatumGetInt64(wholes.values[i]);
    }
    return counts;
}

// One token-mix departure as plain data (shares are ratios, not money: numeric text).
struct ShareOut {
    int64_t bucket;
    char actual[kNumberText], expected[kNumberText];
    bool has_z;
    char z[kNumberText];
    int32 history;
};

}  // namespace

// (bucket, actual, expected, robust_z, history_points) of the buckets from `since` on whose
// share part / whole departs (|robust z| >= threshold) from the shares `period`, 2 * `period`,
// ... buckets before that had tokens, from `first_bucket` on: cost-ops anomalies' output_share.
SQL_FUNCTION(cost_ops_robust_share_anomalies) {
    return pg_guard([&]() -> Datum {
        PlainArray buckets = plain_array(fcinfo, 0), parts = plain_array(fcinfo, 1),
                   wholes = plain_array(fcinfo, 2);
        int64 first = PG_GETARG_INT64(3), since = PG_GETARG_INT64(4);
        int32 period = PG_GETARG_INT32(5), max_history = PG_GETARG_INT32(7);
        char* threshold_text =
            DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(6)));
        if (period < 1 || max_history < 1) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid period or max_history",
                           "Need period >= 1 and max_history >= 1.");
        }
        if (buckets.count > kMaxRows) {
            throw SqlError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "too many buckets to score",
                           "At most 100000 buckets.");
        }
        auto* out = aligned_palloc<ShareOut>(std::max(buckets.count, 1));
        int count = 0;
        {
            Decimal threshold = Decimal::parse(threshold_text);
            for (const auto& s :
                 costops::share_scores(token_counts(buckets, parts, wholes), period, since, first,
                                       static_cast<size_t>(max_history))) {
                if (!s.departs(threshold)) continue;
                ShareOut& o = out[count++];
                o.bucket = s.bucket;
                write_text(o.actual, s.actual);
                write_text(o.expected, s.expected);
                o.has_z = s.z.has_value();
                if (s.z) write_text(o.z, *s.z);
                o.history = static_cast<int32>(s.history);
            }
        }
        InitMaterializedSRF(fcinfo, 0);
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        for (int i = 0; i < count; ++i) {
            Datum values[5] = {Int64GetDatum(out[i].bucket), numeric_of(out[i].actual),
                               numeric_of(out[i].expected),
                               out[i].has_z ? numeric_of(out[i].z) : Datum(0),
                               Int32GetDatum(out[i].history)};
            bool nulls[5] = {false, false, false, !out[i].has_z, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
        return Datum(0);
    });
}

// The `top` contributors (keys) that explain most of a departure of `departure` at `bucket`:
// each key's cost in that bucket against the median of its own buckets `period`, 2 * `period`,
// ... before (series first_bucket..last_bucket), as cost-ops anomalies prints its drivers,
// joined by "; "; NULL when none moved the departure's way.
SQL_FUNCTION(cost_ops_anomaly_drivers) {
    return pg_guard([&]() -> Datum {
        PlainArray keys = plain_array(fcinfo, 0), buckets = plain_array(fcinfo, 1),
                   costs = plain_array(fcinfo, 2);
        int64 first = PG_GETARG_INT64(3), last = PG_GETARG_INT64(4), bucket = PG_GETARG_INT64(5);
        int32 period = PG_GETARG_INT32(6), max_history = PG_GETARG_INT32(7),
              top = PG_GETARG_INT32(9);
        costops::int128 departure = costops::pg::cost_raw(PG_GETARG_DATUM(8));
        if (first > last || period < 1 || max_history < 1 || top < 1) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid bucket range or period",
                           "Need first_bucket <= last_bucket, period, max_history and top >= 1.");
        }
        if (keys.count != buckets.count) {
            throw SqlError(ERRCODE_ARRAY_SUBSCRIPT_ERROR, "the arrays differ in length");
        }
        auto* key_text = static_cast<char**>(palloc(sizeof(char*) * std::max(keys.count, 1)));
        size_t longest = 0;
        for (int i = 0; i < keys.count; ++i) {
            if (keys.nulls[i]) throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "a key is NULL");
            key_text[i] = text_to_cstring(DatumGetTextPP(keys.values[i]));
            longest = std::max(longest, strlen(key_text[i]));
        }
        // Each text: the key, " +", two amounts' digits and " (...%)".
        size_t room = static_cast<size_t>(top) * (longest + 3 * kNumberText + 8) + 1;
        char* joined = static_cast<char*>(palloc0(room));
        {
            std::vector<std::pair<int64_t, Decimal>> rows = bucket_rows(buckets, costs, false);
            std::map<std::string, std::vector<std::pair<int64_t, Decimal>>> by_key;
            for (size_t i = 0; i < rows.size(); ++i) by_key[key_text[i]].push_back(rows[i]);
            std::vector<costops::Driver> drivers;
            for (const auto& [key, points] : by_key) {
                auto score = costops::score_at(costops::dense_series(points, first, last), period,
                                               bucket, static_cast<size_t>(max_history));
                if (score) drivers.push_back({key, score->actual, score->expected});
            }
            std::string text;
            for (const auto& t : costops::driver_texts(drivers, Decimal::from_raw(departure),
                                                       static_cast<size_t>(top)))
                text += (text.empty() ? "" : "; ") + t;
            text.copy(joined, std::min(text.size(), room - 1));
        }
        if (joined[0] == '\0') PG_RETURN_NULL();
        PG_RETURN_TEXT_P(cstring_to_text(joined));
    });
}
