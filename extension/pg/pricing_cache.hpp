// The backend-local snapshot of cost_ops.pricing_tables that the pricing trigger reads.
//
// Loaded on first use, kept across statements and transactions, and marked stale when a
// relcache invalidation names the pricing table: the table's statement trigger
// (cost_ops.pricing_tables_changed) registers one for every change, which PostgreSQL delivers
// to this backend at the end of the changing command and to every other backend at commit.
#pragma once

#include <cstdint>

#include "../core/price_book.hpp"

namespace costops::pg {

// Processes the invalidations other backends have committed, so that a statement prices with
// what was committed before it started even when it opens no relation it had not locked (a
// prepared INSERT in a READ COMMITTED transaction into a table without indexes). Called by the
// trigger on the first row of each statement; may ereport (relcache rebuilds).
void accept_price_changes();

// The current snapshot, (re)loading it with SPI first if it is stale. Must be called from
// guarded code with no C++ object alive below it (it may ereport while loading).
const PriceBook& current_price_book();

// What the cache holds and how many rows this backend's trigger priced, for
// cost_ops.pricing_cache_status(); cost-ops ingest reads the counts before and after a COPY.
struct PricingCacheStatus {
    bool loaded;
    int64_t price_rows;
    int64_t models;
    int64_t loads;
    int64_t rows_priced;
    int64_t rows_unpriced;
};
PricingCacheStatus pricing_cache_status();

// Counts one row the trigger handled.
void count_priced_row(bool priced);

// Registers the invalidation and end-of-transaction callbacks; called once from _PG_init.
void register_pricing_cache_callbacks();

}  // namespace costops::pg
