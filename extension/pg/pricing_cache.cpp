#include "pricing_cache.hpp"

#include <memory>
#include <string>

#include "guard.hpp"

namespace costops::pg {

namespace {

// One pricing_tables row copied out of SPI as plain C data (palloc'd in the caller's context).
struct PriceRowText {
    int64 id;
    char* provider;
    char* model;
    TimestampTz from;
    TimestampTz to;   // DT_NOEND when end_date is NULL
    char* prices[4];  // input, output, cached input, cache write; NULL when not set
    char* structure;  // pricing_structure as JSON text
};

constexpr const char* kLoadQuery =
    "SELECT id, provider, model, effective_date, end_date, input_price, output_price, "
    "cached_input_price, cache_write_price, pricing_structure FROM cost_ops.pricing_tables";

// Cache state. `generation` moves on every relevant invalidation; the book is current when it
// was loaded at the present generation.
std::unique_ptr<PriceBook> book;
uint64 generation = 1;
uint64 loaded_generation = 0;
bool loaded_with_transaction_snapshot = false;
int64_t load_count = 0;
int64_t rows_priced = 0;
int64_t rows_unpriced = 0;
Oid pricing_relid = InvalidOid;

// Relcache callback: a change to the pricing table (or a full reset) makes the book stale.
// Only bumps a counter: the book may be in use by the caller that triggered the processing.
void on_relcache_invalidation(Datum, Oid relid) {
    if (relid == InvalidOid || relid == pricing_relid) ++generation;
}

// A book loaded under a REPEATABLE READ or SERIALIZABLE snapshot may miss changes committed
// before its load, whose invalidations were already processed: drop it when the transaction
// ends.
void on_transaction_end(XactEvent event, void*) {
    if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT &&
        event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT) {
        return;
    }
    if (loaded_with_transaction_snapshot) {
        loaded_with_transaction_snapshot = false;
        ++generation;
    }
}

// The OID of cost_ops.pricing_tables and its owner; errors when the extension is not there.
Oid find_pricing_table(Oid* owner) {
    Oid nsp = get_namespace_oid("cost_ops", true);
    Oid relid = OidIsValid(nsp) ? get_relname_relid("pricing_tables", nsp) : InvalidOid;
    if (!OidIsValid(relid)) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation \"cost_ops.pricing_tables\" does not exist"),
                        errhint("Install the extension with CREATE EXTENSION llm_cost_ops.")));
    }
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for relation %u", relid);
    *owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return relid;
}

// A column value as palloc'd text in `context`, or NULL.
char* copy_value(HeapTuple tuple, TupleDesc desc, int attnum, MemoryContext context) {
    char* text = SPI_getvalue(tuple, desc, attnum);
    return text == nullptr ? nullptr : MemoryContextStrdup(context, text);
}

// Reads every price row with SPI, as the table's owner (like PostgreSQL's RI triggers), so a
// role that may insert usage but not read prices still gets its rows priced. Plain C style:
// nothing here has a destructor, so an ereport may unwind it.
PriceRowText* fetch_price_rows(uint64* count) {
    Oid owner;
    pricing_relid = find_pricing_table(&owner);
    MemoryContext caller = CurrentMemoryContext;
    Oid saved_user;
    int saved_security;
    GetUserIdAndSecContext(&saved_user, &saved_security);
    SetUserIdAndSecContext(owner,
                           saved_security | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    if (SPI_execute(kLoadQuery, false, 0) != SPI_OK_SELECT) {
        elog(ERROR, "loading cost_ops.pricing_tables failed");
    }
    uint64 n = SPI_processed;
    PriceRowText* rows = static_cast<PriceRowText*>(
        MemoryContextAllocZero(caller, sizeof(PriceRowText) * (n > 0 ? n : 1)));
    TupleDesc desc = SPI_tuptable->tupdesc;
    for (uint64 i = 0; i < n; ++i) {
        HeapTuple tuple = SPI_tuptable->vals[i];
        bool isnull;
        rows[i].id = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
        rows[i].provider = copy_value(tuple, desc, 2, caller);
        rows[i].model = copy_value(tuple, desc, 3, caller);
        rows[i].from = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 4, &isnull));
        Datum to = SPI_getbinval(tuple, desc, 5, &isnull);
        rows[i].to = isnull ? DT_NOEND : DatumGetTimestampTz(to);
        for (int k = 0; k < 4; ++k) rows[i].prices[k] = copy_value(tuple, desc, 6 + k, caller);
        rows[i].structure = copy_value(tuple, desc, 10, caller);
    }
    SPI_finish();
    SetUserIdAndSecContext(saved_user, saved_security);
    *count = n;
    return rows;
}

// A price column as an optional Decimal.
std::optional<Decimal> price_column(const char* text) {
    if (text == nullptr) return std::nullopt;
    return parse_price(text);
}

// Builds a PriceBook from fetched rows: pure C++, no PostgreSQL calls.
std::unique_ptr<PriceBook> build_book(const PriceRowText* rows, uint64 count) {
    auto fresh = std::make_unique<PriceBook>();
    for (uint64 i = 0; i < count; ++i) {
        const PriceRowText& r = rows[i];
        try {
            Rates rates{price_column(r.prices[0]), price_column(r.prices[1]),
                        price_column(r.prices[2]), price_column(r.prices[3])};
            fresh->add(r.provider, r.model, r.from, r.to,
                       make_price_rule(r.id, rates, r.structure ? r.structure : "{}"));
        } catch (const std::exception& e) {
            throw SqlError(
                ERRCODE_DATA_EXCEPTION,
                "price row " + std::to_string(r.id) + " of cost_ops.pricing_tables cannot be used",
                e.what(), "Correct the row; usage cannot be priced until then.");
        }
    }
    fresh->finish();
    return fresh;
}

}  // namespace

const PriceBook& current_price_book() {
    if (book && loaded_generation == generation) return *book;
    uint64 loading_generation = generation;
    uint64 count;
    PriceRowText* rows = fetch_price_rows(&count);
    book = build_book(rows, count);
    pfree(rows);
    // An invalidation that arrived while loading leaves the book stale: reload on next use.
    loaded_generation = loading_generation;
    loaded_with_transaction_snapshot = IsolationUsesXactSnapshot();
    ++load_count;
    return *book;
}

PricingCacheStatus pricing_cache_status() {
    bool loaded = book && loaded_generation == generation;
    return {loaded,
            loaded ? static_cast<int64_t>(book->price_count()) : 0,
            loaded ? static_cast<int64_t>(book->model_count()) : 0,
            load_count,
            rows_priced,
            rows_unpriced};
}

void count_priced_row(bool priced) {
    ++(priced ? rows_priced : rows_unpriced);
}

void register_pricing_cache_callbacks() {
    CacheRegisterRelcacheCallback(on_relcache_invalidation, PointerGetDatum(nullptr));
    RegisterXactCallback(on_transaction_end, nullptr);
}

}  // namespace costops::pg
