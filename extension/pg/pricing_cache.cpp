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
    char* prices[6];  // input, output, cached input, cache write 5 m and 1 h, reasoning
    char* structure;  // pricing_structure as JSON text
};

// Rows of a query as text (palloc'd in the caller's context): values[row * columns + column],
// NULL for SQL NULL.
struct TextRows {
    uint64 count;
    int columns;
    char** values;
};

// Everything the price book is built from.
struct PricingSnapshot {
    PriceRowText* prices;
    uint64 price_count;
    TextRows aliases, rules, fallbacks;
};

constexpr const char* kPricesQuery =
    "SELECT id, provider, model, effective_date, end_date, input_price, output_price, "
    "cached_input_price, cache_write_price, cache_write_1h_price, reasoning_price, "
    "pricing_structure FROM cost_ops.pricing_tables";
constexpr const char* kAliasesQuery =
    "SELECT provider, model, target_provider, target_model FROM cost_ops.model_aliases";
constexpr const char* kRulesQuery =
    "SELECT provider, model, match, id FROM cost_ops.model_match_rules "
    "ORDER BY provider, position, id";
constexpr const char* kFallbacksQuery =
    "SELECT provider, fallback_provider FROM cost_ops.provider_fallbacks "
    "ORDER BY provider, position";

// The tables whose changes make the book stale.
constexpr const char* kWatchedTables[] = {"pricing_tables", "model_aliases", "model_match_rules",
                                          "provider_fallbacks"};
constexpr int kWatchedCount = 4;

// Cache state. `generation` moves on every relevant invalidation; the book is current when it
// was loaded at the present generation.
std::unique_ptr<PriceBook> book;
uint64 generation = 1;
uint64 loaded_generation = 0;
bool loaded_with_transaction_snapshot = false;
// The statement (local transaction, command) that last priced with the book: it keeps the book
// to its end, whatever invalidation arrives meanwhile (see current_price_book).
LocalTransactionId used_in_transaction = InvalidLocalTransactionId;
CommandId used_by_command = InvalidCommandId;
int64_t load_count = 0;
int64_t rows_priced = 0;
int64_t rows_unpriced = 0;
Oid watched_relids[kWatchedCount] = {InvalidOid, InvalidOid, InvalidOid, InvalidOid};

// Relcache callback: a change to a watched table (or a full reset) makes the book stale.
// Only bumps a counter: the book may be in use by the caller that triggered the processing.
void on_relcache_invalidation(Datum, Oid relid) {
    if (relid == InvalidOid) {
        ++generation;
        return;
    }
    for (Oid watched : watched_relids) {
        if (relid == watched) ++generation;
    }
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

// Records the OIDs of the watched tables and returns the pricing table's owner; errors when
// the extension is not there.
Oid find_watched_tables() {
    Oid nsp = get_namespace_oid("cost_ops", true);
    for (int i = 0; i < kWatchedCount; ++i) {
        watched_relids[i] =
            OidIsValid(nsp) ? get_relname_relid(kWatchedTables[i], nsp) : InvalidOid;
        if (!OidIsValid(watched_relids[i])) {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                            errmsg("relation \"cost_ops.%s\" does not exist", kWatchedTables[i]),
                            errhint("Install the extension with CREATE EXTENSION llm_cost_ops.")));
        }
    }
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(watched_relids[0]));
    if (!HeapTupleIsValid(tuple)) {
        elog(ERROR, "cache lookup failed for relation %u", watched_relids[0]);
    }
    Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return owner;
}

// A column value as palloc'd text in `context`, or NULL.
char* copy_value(HeapTuple tuple, TupleDesc desc, int attnum, MemoryContext context) {
    char* text = SPI_getvalue(tuple, desc, attnum);
    return text == nullptr ? nullptr : MemoryContextStrdup(context, text);
}

// Runs `query` (connected to SPI) and returns its rows. Plain C style, like its callers.
uint64 run_query(const char* query) {
    if (SPI_execute(query, false, 0) != SPI_OK_SELECT) elog(ERROR, "%s failed", query);
    return SPI_processed;
}

// The rows of `query` as text in `context`.
TextRows fetch_text_rows(const char* query, MemoryContext context) {
    TextRows out;
    out.count = run_query(query);
    TupleDesc desc = SPI_tuptable->tupdesc;
    out.columns = desc->natts;
    out.values = static_cast<char**>(MemoryContextAllocZero(
        context, sizeof(char*) * (out.count > 0 ? out.count : 1) * out.columns));
    for (uint64 i = 0; i < out.count; ++i) {
        for (int k = 0; k < out.columns; ++k) {
            out.values[i * out.columns + k] =
                copy_value(SPI_tuptable->vals[i], desc, k + 1, context);
        }
    }
    return out;
}

// The price rows, their timestamps as timestamptz values.
PriceRowText* fetch_price_rows(uint64* count, MemoryContext context) {
    uint64 n = run_query(kPricesQuery);
    PriceRowText* rows = static_cast<PriceRowText*>(
        MemoryContextAllocZero(context, sizeof(PriceRowText) * (n > 0 ? n : 1)));
    TupleDesc desc = SPI_tuptable->tupdesc;
    for (uint64 i = 0; i < n; ++i) {
        HeapTuple tuple = SPI_tuptable->vals[i];
        bool isnull;
        rows[i].id = DatumGetInt64(SPI_getbinval(tuple, desc, 1, &isnull));
        rows[i].provider = copy_value(tuple, desc, 2, context);
        rows[i].model = copy_value(tuple, desc, 3, context);
        rows[i].from = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 4, &isnull));
        Datum to = SPI_getbinval(tuple, desc, 5, &isnull);
        rows[i].to = isnull ? DT_NOEND : DatumGetTimestampTz(to);
        for (int k = 0; k < 6; ++k) rows[i].prices[k] = copy_value(tuple, desc, 6 + k, context);
        rows[i].structure = copy_value(tuple, desc, 12, context);
    }
    *count = n;
    return rows;
}

// Reads the pricing tables with SPI, as their owner (like PostgreSQL's RI triggers), so a role
// that may insert usage but not read prices still gets its rows priced. Plain C style:
// nothing here has a destructor, so an ereport may unwind it.
PricingSnapshot fetch_snapshot() {
    Oid owner = find_watched_tables();
    MemoryContext caller = CurrentMemoryContext;
    Oid saved_user;
    int saved_security;
    GetUserIdAndSecContext(&saved_user, &saved_security);
    SetUserIdAndSecContext(owner,
                           saved_security | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    PricingSnapshot snapshot;
    snapshot.prices = fetch_price_rows(&snapshot.price_count, caller);
    snapshot.aliases = fetch_text_rows(kAliasesQuery, caller);
    snapshot.rules = fetch_text_rows(kRulesQuery, caller);
    snapshot.fallbacks = fetch_text_rows(kFallbacksQuery, caller);
    SPI_finish();
    SetUserIdAndSecContext(saved_user, saved_security);
    return snapshot;
}

// A price column as an optional Decimal.
std::optional<Decimal> price_column(const char* text) {
    if (text == nullptr) return std::nullopt;
    return parse_price(text);
}

// Adds the price rows to `book`; a row the formula cannot use is an error naming it.
void add_prices(PriceBook& book, const PriceRowText* rows, uint64 count) {
    for (uint64 i = 0; i < count; ++i) {
        const PriceRowText& r = rows[i];
        try {
            Rates rates{price_column(r.prices[0]), price_column(r.prices[1]),
                        price_column(r.prices[2]), price_column(r.prices[3]),
                        price_column(r.prices[4]), price_column(r.prices[5])};
            book.add(r.provider, r.model, r.from, r.to,
                     make_price_rule(r.id, rates, r.structure ? r.structure : "{}"));
        } catch (const std::exception& e) {
            throw SqlError(
                ERRCODE_DATA_EXCEPTION,
                "price row " + std::to_string(r.id) + " of cost_ops.pricing_tables cannot be used",
                e.what(), "Correct the row; usage cannot be priced until then.");
        }
    }
}

// Builds a PriceBook from a snapshot: pure C++, no PostgreSQL calls.
std::unique_ptr<PriceBook> build_book(const PricingSnapshot& s) {
    auto fresh = std::make_unique<PriceBook>();
    add_prices(*fresh, s.prices, s.price_count);
    for (uint64 i = 0; i < s.aliases.count; ++i) {
        char** v = s.aliases.values + i * s.aliases.columns;
        fresh->add_alias(v[0], v[1], v[2], v[3]);
    }
    for (uint64 i = 0; i < s.rules.count; ++i) {
        char** v = s.rules.values + i * s.rules.columns;
        try {
            fresh->add_match_rule(v[0], v[1], ModelMatcher::parse(parse_json_exact(v[2])));
        } catch (const std::exception& e) {
            throw SqlError(
                ERRCODE_DATA_EXCEPTION,
                std::string("match rule ") + v[3] + " of cost_ops.model_match_rules cannot be used",
                e.what());
        }
    }
    for (uint64 i = 0; i < s.fallbacks.count; ++i) {
        char** v = s.fallbacks.values + i * s.fallbacks.columns;
        fresh->add_fallback_provider(v[0], v[1]);
    }
    fresh->finish();
    return fresh;
}

}  // namespace

void accept_price_changes() {
    AcceptInvalidationMessages();
}

const PriceBook& current_price_book() {
    // A statement prices every row with one book, even when an invalidation is processed in
    // its middle (a COPY that reaches a new partition locks it, which takes in the price
    // changes other sessions committed since the statement began): its rows never mix two
    // versions of a price, as its snapshot would not.
    LocalTransactionId transaction = MyProc->lxid;
    CommandId command = GetCurrentCommandId(false);
    bool same_statement = transaction == used_in_transaction && command == used_by_command;
    used_in_transaction = transaction;
    used_by_command = command;
    if (book && (loaded_generation == generation || same_statement)) return *book;
    uint64 loading_generation = generation;
    // The stale book goes first: it and the new one are never both in memory.
    book.reset();
    PricingSnapshot snapshot = fetch_snapshot();
    book = build_book(snapshot);
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
