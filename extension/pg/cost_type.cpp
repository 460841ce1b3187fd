// SQL-callable functions of the cost_ops.cost type: I/O, casts, comparison, hashing, arithmetic.
#include <cstring>
#include <string>

#include "cost_datum.hpp"
#include "cost_text.hpp"
#include "guard.hpp"

using costops::Decimal;
using costops::int128;
using costops::pg::cost_datum;
using costops::pg::cost_raw;
using costops::pg::pg_guard;

namespace {

// The result of text I/O as a palloc'd C string.
char* cost_cstring(int128 raw) {
    char* buf = static_cast<char*>(palloc(Decimal::kMaxTextLength + 1));
    Decimal::from_raw(raw).write(buf);
    return buf;
}

}  // namespace

SQL_FUNCTION(cost_ops_cost_in) {
    return pg_guard([&] {
        const char* text = PG_GETARG_CSTRING(0);
        int128 raw = costops::pg::parse_cost_text(text, "cost").raw();
        return cost_datum(raw);
    });
}

SQL_FUNCTION(cost_ops_cost_out) {
    return pg_guard([&] { return CStringGetDatum(cost_cstring(COST_ARG_RAW(0))); });
}

// Binary form: the int128 as two big-endian int64 halves, high first.
SQL_FUNCTION(cost_ops_cost_recv) {
    return pg_guard([&] {
        StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
        uint64 high = static_cast<uint64>(pq_getmsgint64(buf));
        uint64 low = static_cast<uint64>(pq_getmsgint64(buf));
        unsigned __int128 bits = (static_cast<unsigned __int128>(high) << 64) | low;
        return cost_datum(static_cast<int128>(bits));
    });
}

SQL_FUNCTION(cost_ops_cost_send) {
    return pg_guard([&] {
        unsigned __int128 bits = static_cast<unsigned __int128>(COST_ARG_RAW(0));
        StringInfoData buf;
        pq_begintypsend(&buf);
        pq_sendint64(&buf, static_cast<int64>(static_cast<uint64>(bits >> 64)));
        pq_sendint64(&buf, static_cast<int64>(static_cast<uint64>(bits)));
        return PointerGetDatum(pq_endtypsend(&buf));
    });
}

SQL_FUNCTION(cost_ops_cost_from_numeric) {
    return pg_guard([&] {
        char* text = DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(0)));
        int128 raw = costops::pg::parse_cost_text(text, "numeric").raw();
        return cost_datum(raw);
    });
}

SQL_FUNCTION(cost_ops_cost_to_numeric) {
    return pg_guard([&] {
        char* text = cost_cstring(COST_ARG_RAW(0));
        return DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
                                   Int32GetDatum(-1));
    });
}

SQL_FUNCTION(cost_ops_cost_from_int8) {
    return pg_guard([&] { return cost_datum(Decimal::from_int(PG_GETARG_INT64(0)).raw()); });
}

SQL_FUNCTION(cost_ops_cost_from_int4) {
    return pg_guard([&] { return cost_datum(Decimal::from_int(PG_GETARG_INT32(0)).raw()); });
}

// Comparison operators and the btree support function.
#define COST_COMPARISON(name, op)                                                          \
    SQL_FUNCTION(name) {                                                                   \
        return pg_guard([&] { return BoolGetDatum(COST_ARG_RAW(0) op COST_ARG_RAW(1)); }); \
    }
COST_COMPARISON(cost_ops_cost_eq, ==)
COST_COMPARISON(cost_ops_cost_ne, !=)
COST_COMPARISON(cost_ops_cost_lt, <)
COST_COMPARISON(cost_ops_cost_le, <=)
COST_COMPARISON(cost_ops_cost_gt, >)
COST_COMPARISON(cost_ops_cost_ge, >=)

SQL_FUNCTION(cost_ops_cost_cmp) {
    return pg_guard([&] {
        int128 a = COST_ARG_RAW(0), b = COST_ARG_RAW(1);
        return Int32GetDatum(a < b ? -1 : (a > b ? 1 : 0));
    });
}

// Equal values have equal raw bytes (one scale, no padding), so hashing the bytes is sound.
SQL_FUNCTION(cost_ops_cost_hash) {
    return pg_guard([&] {
        int128 raw = COST_ARG_RAW(0);
        return hash_any(reinterpret_cast<const unsigned char*>(&raw), sizeof raw);
    });
}

SQL_FUNCTION(cost_ops_cost_hash_extended) {
    return pg_guard([&] {
        int128 raw = COST_ARG_RAW(0);
        return hash_any_extended(reinterpret_cast<const unsigned char*>(&raw), sizeof raw,
                                 PG_GETARG_INT64(1));
    });
}

SQL_FUNCTION(cost_ops_cost_larger) {
    return pg_guard([&] {
        return COST_ARG_RAW(0) >= COST_ARG_RAW(1) ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1);
    });
}

SQL_FUNCTION(cost_ops_cost_smaller) {
    return pg_guard([&] {
        return COST_ARG_RAW(0) <= COST_ARG_RAW(1) ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1);
    });
}

// Arithmetic: exact, or an "out of range" error; division rounds half to even.
SQL_FUNCTION(cost_ops_cost_add) {
    return pg_guard([&] {
        Decimal sum = Decimal::from_raw(COST_ARG_RAW(0)) + Decimal::from_raw(COST_ARG_RAW(1));
        return cost_datum(sum.raw());
    });
}

SQL_FUNCTION(cost_ops_cost_sub) {
    return pg_guard([&] {
        Decimal diff = Decimal::from_raw(COST_ARG_RAW(0)) - Decimal::from_raw(COST_ARG_RAW(1));
        return cost_datum(diff.raw());
    });
}

SQL_FUNCTION(cost_ops_cost_neg) {
    return pg_guard([&] { return cost_datum((-Decimal::from_raw(COST_ARG_RAW(0))).raw()); });
}

// cost * integer and integer * cost, exact; `cost_arg` and `int_arg` are argument positions.
#define COST_TIMES_INTEGER(name, cost_arg, int_arg, get_int)                                     \
    SQL_FUNCTION(name) {                                                                         \
        return pg_guard([&] {                                                                    \
            Decimal product = Decimal::from_raw(COST_ARG_RAW(cost_arg)).times(get_int(int_arg)); \
            return cost_datum(product.raw());                                                    \
        });                                                                                      \
    }
COST_TIMES_INTEGER(cost_ops_cost_mul_int8, 0, 1, PG_GETARG_INT64)
COST_TIMES_INTEGER(cost_ops_int8_mul_cost, 1, 0, PG_GETARG_INT64)
COST_TIMES_INTEGER(cost_ops_cost_mul_int4, 0, 1, PG_GETARG_INT32)
COST_TIMES_INTEGER(cost_ops_int4_mul_cost, 1, 0, PG_GETARG_INT32)

// cost / integer, rounded half to even at the 24th fractional digit.
#define COST_DIVIDED_BY_INTEGER(name, get_int)                                            \
    SQL_FUNCTION(name) {                                                                  \
        return pg_guard([&] {                                                             \
            Decimal quotient = Decimal::from_raw(COST_ARG_RAW(0)).divided_by(get_int(1)); \
            return cost_datum(quotient.raw());                                            \
        });                                                                               \
    }
COST_DIVIDED_BY_INTEGER(cost_ops_cost_div_int8, PG_GETARG_INT64)
COST_DIVIDED_BY_INTEGER(cost_ops_cost_div_int4, PG_GETARG_INT32)
