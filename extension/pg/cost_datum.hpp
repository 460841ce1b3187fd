// How a cost_ops.cost value is held in a Datum: 16 bytes, the raw int128 of a Decimal,
// passed by reference.
#pragma once

#include <cstring>

#include "../core/decimal.hpp"
#include "postgres_headers.hpp"

namespace costops::pg {

// palloc only guarantees 8-byte alignment; a plain int128 member would let the compiler use
// 16-byte aligned loads and stores on it.
typedef int128 palloc_int128 __attribute__((aligned(8)));

// The raw 10^-24 count behind a cost Datum (memcpy: the datum is only 8-byte aligned).
inline int128 cost_raw(Datum datum) {
    int128 raw;
    std::memcpy(&raw, DatumGetPointer(datum), sizeof raw);
    return raw;
}

// A new palloc'd cost Datum holding `raw`.
inline Datum cost_datum(int128 raw) {
    void* p = palloc(sizeof raw);
    std::memcpy(p, &raw, sizeof raw);
    return PointerGetDatum(p);
}

// The raw value of cost argument n of an fmgr call.
#define COST_ARG_RAW(n) (::costops::pg::cost_raw(PG_GETARG_DATUM(n)))

}  // namespace costops::pg
