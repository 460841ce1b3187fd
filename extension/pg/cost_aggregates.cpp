// sum(cost) and avg(cost): an exact 128-bit running sum, parallel-safe through combine,
// serialize and deserialize functions.
#include "cost_datum.hpp"
#include "guard.hpp"

using costops::int128;
using costops::pg::cost_datum;
using costops::pg::palloc_int128;
using costops::pg::pg_guard;

namespace {

// Transition state shared by sum and avg.
struct CostSumState {
    palloc_int128 sum;
    int64 count;
};

// The aggregate memory context of the current call; errors when not called as an aggregate.
MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* fn) {
    MemoryContext context;
    if (!AggCheckCallContext(fcinfo, &context)) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s called in non-aggregate context", fn)));
    }
    return context;
}

// A zeroed state allocated in the aggregate context.
CostSumState* new_state(FunctionCallInfo fcinfo, const char* fn) {
    return static_cast<CostSumState*>(
        MemoryContextAllocZero(aggregate_context(fcinfo, fn), sizeof(CostSumState)));
}

// Adds b into a, raising "cost out of range" on overflow (plain C: no C++ frames to unwind).
void add_into(CostSumState* a, int128 value, int64 count) {
    int128 sum;
    if (__builtin_add_overflow(static_cast<int128>(a->sum), value, &sum)) {
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("cost out of range"),
                        errdetail("The sum exceeds the range of the cost type.")));
    }
    a->sum = sum;
    a->count += count;
}

}  // namespace

SQL_FUNCTION(cost_ops_cost_sum_accum) {
    return pg_guard([&] {
        CostSumState* state = PG_ARGISNULL(0)
                                  ? new_state(fcinfo, "cost_sum_accum")
                                  : reinterpret_cast<CostSumState*>(PG_GETARG_POINTER(0));
        if (!PG_ARGISNULL(1)) add_into(state, COST_ARG_RAW(1), 1);
        return PointerGetDatum(state);
    });
}

SQL_FUNCTION(cost_ops_cost_sum_combine) {
    return pg_guard([&]() -> Datum {
        if (PG_ARGISNULL(1)) {
            if (PG_ARGISNULL(0)) PG_RETURN_NULL();
            return PG_GETARG_DATUM(0);
        }
        const CostSumState* other = reinterpret_cast<CostSumState*>(PG_GETARG_POINTER(1));
        CostSumState* state = PG_ARGISNULL(0)
                                  ? new_state(fcinfo, "cost_sum_combine")
                                  : reinterpret_cast<CostSumState*>(PG_GETARG_POINTER(0));
        add_into(state, other->sum, other->count);
        return PointerGetDatum(state);
    });
}

// Serialized state: sum high, sum low, count, as big-endian int64s.
SQL_FUNCTION(cost_ops_cost_sum_serialize) {
    return pg_guard([&] {
        aggregate_context(fcinfo, "cost_sum_serialize");
        const CostSumState* state = reinterpret_cast<CostSumState*>(PG_GETARG_POINTER(0));
        unsigned __int128 bits = static_cast<unsigned __int128>(state->sum);
        StringInfoData buf;
        pq_begintypsend(&buf);
        pq_sendint64(&buf, static_cast<int64>(static_cast<uint64>(bits >> 64)));
        pq_sendint64(&buf, static_cast<int64>(static_cast<uint64>(bits)));
        pq_sendint64(&buf, state->count);
        return PointerGetDatum(pq_endtypsend(&buf));
    });
}

SQL_FUNCTION(cost_ops_cost_sum_deserialize) {
    return pg_guard([&] {
        CostSumState* state = new_state(fcinfo, "cost_sum_deserialize");
        bytea* serialized = PG_GETARG_BYTEA_PP(0);
        StringInfoData buf;
        initStringInfo(&buf);
        appendBinaryStringInfo(&buf, VARDATA_ANY(serialized), VARSIZE_ANY_EXHDR(serialized));
        uint64 high = static_cast<uint64>(pq_getmsgint64(&buf));
        uint64 low = static_cast<uint64>(pq_getmsgint64(&buf));
        state->sum = static_cast<int128>((static_cast<unsigned __int128>(high) << 64) | low);
        state->count = pq_getmsgint64(&buf);
        pq_getmsgend(&buf);
        return PointerGetDatum(state);
    });
}

SQL_FUNCTION(cost_ops_cost_sum_final) {
    return pg_guard([&]() -> Datum {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        const CostSumState* state = reinterpret_cast<CostSumState*>(PG_GETARG_POINTER(0));
        if (state->count == 0) PG_RETURN_NULL();
        return cost_datum(state->sum);
    });
}

// avg rounds half to even at the 24th fractional digit.
SQL_FUNCTION(cost_ops_cost_avg_final) {
    return pg_guard([&]() -> Datum {
        if (PG_ARGISNULL(0)) PG_RETURN_NULL();
        const CostSumState* state = reinterpret_cast<CostSumState*>(PG_GETARG_POINTER(0));
        if (state->count == 0) PG_RETURN_NULL();
        return cost_datum(costops::divide_half_even(state->sum, state->count));
    });
}
