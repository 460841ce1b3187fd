// cost_ops.usage_records_changed(): the AFTER INSERT, UPDATE and DELETE statement trigger that
// keeps cost_ops.daily_costs. It sums the rows the statement changed (its transition tables) in
// a backend-local hash table, exactly (int128), and appends one rollup row per key and sign:
// no SQL runs over the rows, so a COPY of a million rows costs one pass over them.
//
// Plain C style throughout (PostgreSQL's dynahash and memory contexts, no C++ objects), so an
// ereport anywhere here unwinds no C++ frame with a destructor.
#include <algorithm>

#include "cost_datum.hpp"
#include "guard.hpp"

extern "C" {
#include "executor/tuptable.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
}

using costops::int128;
using costops::pg::cost_datum;
using costops::pg::cost_raw;
using costops::pg::palloc_int128;
using costops::pg::pg_guard;

namespace {

constexpr int kTokenColumns = 7;

// The token columns summed, in the order of cost_ops.daily_costs.
constexpr const char* kTokenColumnNames[kTokenColumns] = {
    "prompt_tokens",      "completion_tokens",     "total_tokens",    "cached_tokens",
    "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens"};

// 1-based attribute numbers of the columns the rollup reads, in the changed table's row type.
struct RollupColumns {
    AttrNumber timestamp, provider, model, organization, project;
    AttrNumber tokens[kTokenColumns];
    AttrNumber input_cost, output_cost, total_cost;
    AttrNumber last;  // the highest of them: how far each row is deformed
};

// One key of the rollup: the UTC day, the names (text datums; project NULL as nullptr) and the
// sign of the rows (+1 stored, -1 removed: an UPDATE appends both).
struct RollupKey {
    DateADT day;
    int32 sign;
    text* provider;
    text* model;
    text* organization;
    text* project;
};

// The sums of one key, as cost_ops.daily_costs holds them (before the sign is applied).
struct RollupSums {
    RollupKey key;  // first: dynahash's entries start with their key
    int64 records, priced_records, input_costed, output_costed;
    palloc_int128 tokens[kTokenColumns];
    palloc_int128 input_cost, output_cost, total_cost;
};

// At most this many keys are summed in memory (some 300 kB); then their rows are appended and
// summing starts afresh, which leaves the rollup's sums the same (it is append-only).
constexpr long kKeysInMemory = 1024;

constexpr int kRollupFields = 19;

// What one statement's rollup works with: the keys summed so far (in `memory`, reset at each
// flush) and the prepared INSERT into cost_ops.daily_costs with its columns' types.
struct Rollup {
    MemoryContext memory;
    HTAB* keys;
    SPIPlanPtr insert;
    Oid types[kRollupFields];  // each column's element type, its length, by-value and alignment
    int16 typlen[kRollupFields];
    bool typbyval[kRollupFields];
    char typalign[kRollupFields];
};

// The attribute number of `name` in `desc`; errors when the table lacks it.
AttrNumber rollup_column(TupleDesc desc, const char* name) {
    int attnum = SPI_fnumber(desc, name);
    if (attnum <= 0) {
        ereport(
            ERROR,
            (errcode(ERRCODE_INVALID_TABLE_DEFINITION),
             errmsg("cost_ops.usage_records_changed() cannot roll up a table without \"%s\"", name),
             errdetail("It keeps cost_ops.daily_costs from the rows of "
                       "cost_ops.usage_records and its partitions."),
             errhint("Attach it only to cost_ops.usage_records (and its partitions).")));
    }
    return static_cast<AttrNumber>(attnum);
}

// The columns of the changed table the rollup reads.
RollupColumns rollup_columns(TupleDesc desc) {
    RollupColumns c;
    c.timestamp = rollup_column(desc, "timestamp");
    c.provider = rollup_column(desc, "provider");
    c.model = rollup_column(desc, "model");
    c.organization = rollup_column(desc, "organization_id");
    c.project = rollup_column(desc, "project_id");
    for (int i = 0; i < kTokenColumns; ++i) c.tokens[i] = rollup_column(desc, kTokenColumnNames[i]);
    c.input_cost = rollup_column(desc, "input_cost");
    c.output_cost = rollup_column(desc, "output_cost");
    c.total_cost = rollup_column(desc, "total_cost");
    c.last = c.timestamp;
    for (AttrNumber a : {c.provider, c.model, c.organization, c.project, c.input_cost,
                         c.output_cost, c.total_cost}) {
        c.last = std::max(c.last, a);
    }
    for (AttrNumber a : c.tokens) c.last = std::max(c.last, a);
    return c;
}

// Whether two key texts are equal byte for byte (the rollup's keys are COLLATE "C").
bool same_text(const text* a, const text* b) {
    if (a == nullptr || b == nullptr) return a == b;
    size_t length = VARSIZE_ANY_EXHDR(a);
    return length == VARSIZE_ANY_EXHDR(b) && memcmp(VARDATA_ANY(a), VARDATA_ANY(b), length) == 0;
}

// Mixes a key text into a hash.
uint32 hash_text_into(uint32 hash, const text* t) {
    if (t == nullptr) return hash_combine(hash, 0x9e3779b9U);
    return hash_combine(hash, hash_bytes(reinterpret_cast<const unsigned char*>(VARDATA_ANY(t)),
                                         static_cast<int>(VARSIZE_ANY_EXHDR(t))));
}

// dynahash's hash function for RollupKey.
uint32 rollup_key_hash(const void* key, Size) {
    const auto* k = static_cast<const RollupKey*>(key);
    uint32 hash =
        hash_combine(murmurhash32(static_cast<uint32>(k->day)), static_cast<uint32>(k->sign));
    for (const text* t : {k->provider, k->model, k->organization, k->project}) {
        hash = hash_text_into(hash, t);
    }
    return hash;
}

// dynahash's match function for RollupKey: 0 when equal.
int rollup_key_match(const void* key1, const void* key2, Size) {
    const auto* a = static_cast<const RollupKey*>(key1);
    const auto* b = static_cast<const RollupKey*>(key2);
    bool equal = a->day == b->day && a->sign == b->sign && same_text(a->provider, b->provider) &&
                 same_text(a->model, b->model) && same_text(a->organization, b->organization) &&
                 same_text(a->project, b->project);
    return equal ? 0 : 1;
}

// The UTC day of a timestamptz, as ("timestamp" AT TIME ZONE 'UTC')::date computes it.
DateADT utc_day(TimestampTz ts) {
    if (TIMESTAMP_IS_NOBEGIN(ts)) return DATEVAL_NOBEGIN;
    if (TIMESTAMP_IS_NOEND(ts)) return DATEVAL_NOEND;
    TimestampTz day = ts / USECS_PER_DAY;
    if (ts % USECS_PER_DAY < 0) --day;  // floor: days before 2000-01-01 count down
    return static_cast<DateADT>(day);
}

// A key text of the current row: detoasted into the per-row context, NULL as nullptr.
text* key_text(TupleTableSlot* slot, AttrNumber attnum) {
    bool isnull;
    Datum value = slot_getattr(slot, attnum, &isnull);
    return isnull ? nullptr : reinterpret_cast<text*>(PG_DETOAST_DATUM_PACKED(value));
}

// A copy of a key text in the rollup's memory (the row's is gone with the next row).
text* keep_text(MemoryContext memory, const text* t) {
    if (t == nullptr) return nullptr;
    Size size = VARSIZE_ANY(t);
    auto* copy = static_cast<text*>(MemoryContextAlloc(memory, size));
    memcpy(copy, t, size);
    return copy;
}

// Adds `value` into `sum`, raising "cost out of range" as cost_ops.sum(cost) would.
void add_cost(palloc_int128* sum, int128 value) {
    int128 result;
    if (__builtin_add_overflow(static_cast<int128>(*sum), value, &result)) {
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("cost out of range"),
                        errdetail("The daily rollup's sum of a key exceeds the cost type.")));
    }
    *sum = result;
}

// Adds a cost column of the current row, if set, into its count and sum.
void add_cost_column(TupleTableSlot* slot, AttrNumber attnum, int64* counted, palloc_int128* sum) {
    bool isnull;
    Datum value = slot_getattr(slot, attnum, &isnull);
    if (isnull) return;
    ++*counted;
    add_cost(sum, cost_raw(value));
}

// A signed bigint sum as its Datum; errors as the bigint column would when it does not fit.
Datum signed_bigint(int128 sum, int32 sign) {
    int128 value = sum * sign;
    if (value > PG_INT64_MAX || value < PG_INT64_MIN) {
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE), errmsg("bigint out of range"),
                        errdetail("A token sum of one day and key of cost_ops.daily_costs "
                                  "exceeds bigint.")));
    }
    return Int64GetDatum(static_cast<int64>(value));
}

// A new, empty table of keys in the rollup's memory.
HTAB* new_keys(MemoryContext memory) {
    HASHCTL ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.keysize = sizeof(RollupKey);
    ctl.entrysize = sizeof(RollupSums);
    ctl.hash = rollup_key_hash;
    ctl.match = rollup_key_match;
    ctl.hcxt = memory;
    return hash_create("cost_ops rollup keys", 256, &ctl,
                       HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

// The element types of the rollup's columns, in the order of cost_ops.daily_costs.
void rollup_column_types(Oid types[kRollupFields]) {
    Oid cost_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("cost"),
                                    ObjectIdGetDatum(get_namespace_oid("cost_ops", false)));
    for (int i = 0; i < kRollupFields; ++i) types[i] = INT8OID;
    types[0] = DATEOID;
    for (int i = 1; i <= 4; ++i) types[i] = TEXTOID;
    types[15] = types[17] = types[18] = cost_type;
}

// The INSERT of a batch of cost_ops.daily_costs rows, one array per column, prepared for the
// statement (SPI connected).
SPIPlanPtr prepare_rollup_insert(Rollup* rollup) {
    rollup_column_types(rollup->types);
    Oid array_types[kRollupFields];
    for (int i = 0; i < kRollupFields; ++i) {
        array_types[i] = get_array_type(rollup->types[i]);
        get_typlenbyvalalign(rollup->types[i], &rollup->typlen[i], &rollup->typbyval[i],
                             &rollup->typalign[i]);
    }
    SPIPlanPtr insert = SPI_prepare(
        "INSERT INTO cost_ops.daily_costs (day, provider, model, organization_id, project_id, "
        "records, priced_records, prompt_tokens, completion_tokens, total_tokens, cached_tokens, "
        "cache_write_tokens, cache_write_1h_tokens, reasoning_tokens, input_costed, input_cost, "
        "output_costed, output_cost, total_cost) SELECT * FROM ROWS FROM ("
        "pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3), "
        "pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6), "
        "pg_catalog.unnest($7), pg_catalog.unnest($8), pg_catalog.unnest($9), "
        "pg_catalog.unnest($10), pg_catalog.unnest($11), pg_catalog.unnest($12), "
        "pg_catalog.unnest($13), pg_catalog.unnest($14), pg_catalog.unnest($15), "
        "pg_catalog.unnest($16), pg_catalog.unnest($17), pg_catalog.unnest($18), "
        "pg_catalog.unnest($19))",
        kRollupFields, array_types);
    if (insert == nullptr) {
        elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    }
    return insert;
}

// The values of one rollup row of `s`, its sign applied, into column arrays at `row`.
void rollup_row(const RollupSums* s, int row, Datum* columns[kRollupFields],
                bool* nulls[kRollupFields]) {
    int32 sign = s->key.sign;
    const Datum values[kRollupFields] = {
        DateADTGetDatum(s->key.day),
        PointerGetDatum(s->key.provider),
        PointerGetDatum(s->key.model),
        PointerGetDatum(s->key.organization),
        PointerGetDatum(s->key.project),
        signed_bigint(s->records, sign),
        signed_bigint(s->priced_records, sign),
        signed_bigint(s->tokens[0], sign),
        signed_bigint(s->tokens[1], sign),
        signed_bigint(s->tokens[2], sign),
        signed_bigint(s->tokens[3], sign),
        signed_bigint(s->tokens[4], sign),
        signed_bigint(s->tokens[5], sign),
        signed_bigint(s->tokens[6], sign),
        signed_bigint(s->input_costed, sign),
        cost_datum(s->input_cost * sign),
        signed_bigint(s->output_costed, sign),
        cost_datum(s->output_cost * sign),
        cost_datum(s->total_cost * sign),
    };
    for (int i = 0; i < kRollupFields; ++i) {
        columns[i][row] = values[i];
        nulls[i][row] = false;
    }
    nulls[4][row] = s->key.project == nullptr;
}

// Appends one cost_ops.daily_costs row per key summed, in one INSERT, then empties the keys
// (SPI connected).
void append_rollup_rows(Rollup* rollup) {
    int count = static_cast<int>(hash_get_num_entries(rollup->keys));
    if (count == 0) return;
    MemoryContext caller = MemoryContextSwitchTo(rollup->memory);
    Datum* columns[kRollupFields];
    bool* nulls[kRollupFields];
    for (int i = 0; i < kRollupFields; ++i) {
        columns[i] = static_cast<Datum*>(palloc(sizeof(Datum) * count));
        nulls[i] = static_cast<bool*>(palloc(sizeof(bool) * count));
    }
    HASH_SEQ_STATUS scan;
    hash_seq_init(&scan, rollup->keys);
    int row = 0;
    while (auto* s = static_cast<RollupSums*>(hash_seq_search(&scan))) {
        rollup_row(s, row++, columns, nulls);
    }
    Datum arrays[kRollupFields];
    int lower_bound = 1;
    for (int i = 0; i < kRollupFields; ++i) {
        arrays[i] = PointerGetDatum(
            construct_md_array(columns[i], nulls[i], 1, &count, &lower_bound, rollup->types[i],
                               rollup->typlen[i], rollup->typbyval[i], rollup->typalign[i]));
    }
    int rc = SPI_execute_plan(rollup->insert, arrays, nullptr, false, 0);
    if (rc != SPI_OK_INSERT) elog(ERROR, "appending to cost_ops.daily_costs failed: %d", rc);
    MemoryContextSwitchTo(caller);
    MemoryContextReset(rollup->memory);
    rollup->keys = new_keys(rollup->memory);
}

// Sums every row of `rows` (a transition table) into the rollup's keys under `sign`.
void sum_rows(Rollup* rollup, Tuplestorestate* rows, TupleDesc desc, const RollupColumns& c,
              int32 sign) {
    TupleTableSlot* slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
    MemoryContext per_row =
        AllocSetContextCreate(CurrentMemoryContext, "cost_ops rollup row", ALLOCSET_SMALL_SIZES);
    tuplestore_rescan(rows);
    while (tuplestore_gettupleslot(rows, true, false, slot)) {
        MemoryContext caller = MemoryContextSwitchTo(per_row);
        slot_getsomeattrs(slot, c.last);
        bool isnull;
        RollupKey key;
        key.day = utc_day(DatumGetTimestampTz(slot_getattr(slot, c.timestamp, &isnull)));
        key.sign = sign;
        key.provider = key_text(slot, c.provider);
        key.model = key_text(slot, c.model);
        key.organization = key_text(slot, c.organization);
        key.project = key_text(slot, c.project);
        MemoryContextSwitchTo(caller);
        bool found;
        auto* sums = static_cast<RollupSums*>(hash_search(rollup->keys, &key, HASH_ENTER, &found));
        if (!found) {
            memset(reinterpret_cast<char*>(sums) + sizeof(RollupKey), 0,
                   sizeof(RollupSums) - sizeof(RollupKey));
            sums->key.provider = keep_text(rollup->memory, key.provider);
            sums->key.model = keep_text(rollup->memory, key.model);
            sums->key.organization = keep_text(rollup->memory, key.organization);
            sums->key.project = keep_text(rollup->memory, key.project);
        }
        ++sums->records;
        for (int i = 0; i < kTokenColumns; ++i) {
            Datum tokens = slot_getattr(slot, c.tokens[i], &isnull);
            if (!isnull) sums->tokens[i] += DatumGetInt64(tokens);  // < 2^63 rows of < 2^63
        }
        add_cost_column(slot, c.total_cost, &sums->priced_records, &sums->total_cost);
        add_cost_column(slot, c.input_cost, &sums->input_costed, &sums->input_cost);
        add_cost_column(slot, c.output_cost, &sums->output_costed, &sums->output_cost);
        MemoryContextReset(per_row);
        if (hash_get_num_entries(rollup->keys) >= kKeysInMemory) append_rollup_rows(rollup);
    }
    ExecDropSingleTupleTableSlot(slot);
    MemoryContextDelete(per_row);
}

// Whether any budget is set (SPI connected): without one, no alert can be due.
bool any_budget() {
    int rc = SPI_execute("SELECT 1 FROM cost_ops.budgets LIMIT 1", true, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "reading cost_ops.budgets failed: %d", rc);
    return SPI_processed > 0;
}

// Raises the budget alerts the statement's new priced rows reached: one query over the new
// rows, by their scope and UTC month (SPI connected).
void raise_budget_alerts(TriggerData* td) {
    if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER) {
        elog(ERROR, "SPI_register_trigger_data failed");
    }
    int rc = SPI_execute(
        "SELECT cost_ops.raise_alerts_for(pg_catalog.array_agg(c.organization_id), "
        "pg_catalog.array_agg(c.project_id), pg_catalog.array_agg(c.period)) "
        "FROM (SELECT DISTINCT n.organization_id, n.project_id, "
        "pg_catalog.date_trunc('month', n.\"timestamp\" AT TIME ZONE 'UTC')::pg_catalog.date "
        "AS period FROM new_rows AS n WHERE n.total_cost IS NOT NULL) AS c",
        false, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "raising budget alerts failed: %d", rc);
}

// The TriggerData of a call, after checking the trigger is declared the way it works.
TriggerData* statement_trigger_data(FunctionCallInfo fcinfo) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cost_ops.usage_records_changed() was not called by a trigger")));
    }
    auto* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    if (!TRIGGER_FIRED_AFTER(td->tg_event) || TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
        TRIGGER_FIRED_BY_TRUNCATE(td->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cost_ops.usage_records_changed() must be an AFTER INSERT, "
                               "UPDATE or DELETE trigger FOR EACH STATEMENT"),
                        errhint("Declare it with REFERENCING NEW TABLE AS new_rows (INSERT, "
                                "UPDATE) and OLD TABLE AS old_rows (UPDATE, DELETE).")));
    }
    return td;
}

// The trigger's body: sums the transition tables, appends the rollup rows, raises alerts.
Datum roll_up_statement(FunctionCallInfo fcinfo) {
    TriggerData* td = statement_trigger_data(fcinfo);
    TupleDesc desc = RelationGetDescr(td->tg_relation);
    RollupColumns columns = rollup_columns(desc);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    Rollup rollup;
    rollup.memory =
        AllocSetContextCreate(CurrentMemoryContext, "cost_ops rollup", ALLOCSET_DEFAULT_MINSIZE,
                              ALLOCSET_DEFAULT_INITSIZE, 64 * 1024);
    rollup.keys = new_keys(rollup.memory);
    rollup.insert = prepare_rollup_insert(&rollup);
    if (td->tg_newtable != nullptr) sum_rows(&rollup, td->tg_newtable, desc, columns, 1);
    if (td->tg_oldtable != nullptr) sum_rows(&rollup, td->tg_oldtable, desc, columns, -1);
    append_rollup_rows(&rollup);
    if (td->tg_newtable != nullptr && any_budget()) raise_budget_alerts(td);
    SPI_finish();  // frees the rollup's memory and plan with SPI's
    return PointerGetDatum(nullptr);
}

}  // namespace

SQL_FUNCTION(cost_ops_usage_records_changed) {
    return pg_guard([&] { return roll_up_statement(fcinfo); });
}
