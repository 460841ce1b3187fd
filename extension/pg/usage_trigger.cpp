// cost_ops.price_usage_record(): the BEFORE INSERT OR UPDATE row trigger that prices every
// usage row from the backend-local price book, with no SQL query per row.
#include <algorithm>
#include <string>
#include <string_view>

#include "../core/usage.hpp"
#include "cost_datum.hpp"
#include "guard.hpp"
#include "pricing_cache.hpp"

using costops::pg::pg_guard;
using costops::pg::SqlError;

namespace {

// Attribute numbers (0-based) of the columns the trigger reads and writes, resolved once per
// statement and kept in the trigger's fn_extra, with reusable deform buffers.
struct UsageColumns {
    int timestamp, provider, model;
    int prompt, completion, total, cached, cache_write, cache_write_1h, reasoning, service_tier;
    int input_cost, output_cost, total_cost, pricing_id, price_match, unpriced_reason;
    // The request-shape columns of 1.3 (-1 in a table without them: one request per row).
    int request_count, request_prompt_tokens_min, request_prompt_tokens_max, period_end;
    int natts;
    // Whether no BEFORE ROW INSERT trigger of the table runs after this one (see price_in_slot).
    bool last_before_insert;
    Datum* values;
    bool* nulls;
    // Text datums of the constant strings written to price_match / unpriced_reason, made once
    // per statement (the strings are the core's literals, so their addresses identify them).
    static constexpr int kTextSlots = 16;
    const char* text_keys[kTextSlots];
    Datum text_datums[kTextSlots];
    int text_count;
};

// The attribute index of `name`, which must have type `type`; errors naming what is wrong.
int require_column(Relation rel, const char* name, Oid type) {
    TupleDesc desc = RelationGetDescr(rel);
    int attnum = SPI_fnumber(desc, name);
    if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != type) {
        // The extension's own table lacks a column only when its schema is older than the
        // library: the update adds it.
        bool extension_table =
            strcmp(RelationGetRelationName(rel), "usage_records") == 0 &&
            strcmp(get_namespace_name(RelationGetNamespace(rel)), "cost_ops") == 0;
        ereport(
            ERROR,
            (errcode(ERRCODE_INVALID_TABLE_DEFINITION),
             errmsg("table \"%s\" cannot be priced by cost_ops.price_usage_record()",
                    RelationGetRelationName(rel)),
             errdetail("The trigger needs a column \"%s\" of type %s.", name, format_type_be(type)),
             extension_table ? errhint("The extension's library is newer than its schema in "
                                       "this database: run ALTER EXTENSION llm_cost_ops "
                                       "UPDATE (cost-ops migrate run).")
                             : 0));
    }
    return attnum - 1;
}

// Whether no BEFORE ROW INSERT trigger of `rel` runs after `trigger` (they run in name order).
bool last_before_insert_trigger(Relation rel, const Trigger* trigger) {
    const TriggerDesc* triggers = rel->trigdesc;
    bool after = false;
    for (int i = 0; i < triggers->numtriggers; ++i) {
        const Trigger& t = triggers->triggers[i];
        if (after && TRIGGER_TYPE_MATCHES(t.tgtype, TRIGGER_TYPE_ROW, TRIGGER_TYPE_BEFORE,
                                          TRIGGER_TYPE_INSERT)) {
            return false;
        }
        if (t.tgoid == trigger->tgoid) after = true;
    }
    return true;
}

// Resolves the column map of `rel` in the trigger's per-statement memory; on the first row of
// a statement, also takes in the price changes committed before it.
UsageColumns* usage_columns(FunctionCallInfo fcinfo, Relation rel, const Trigger* trigger) {
    if (fcinfo->flinfo->fn_extra != nullptr) {
        return static_cast<UsageColumns*>(fcinfo->flinfo->fn_extra);
    }
    Oid nsp = get_namespace_oid("cost_ops", false);
    Oid cost_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum("cost"),
                                    ObjectIdGetDatum(nsp));
    auto* c = static_cast<UsageColumns*>(
        MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(UsageColumns)));
    // Each column the trigger uses, its type (InvalidOid: the cost type), its slot, and whether
    // a table may lack it (the request shape of 1.3: -1, one request per row).
    const struct {
        const char* name;
        Oid type;
        int UsageColumns::*slot;
        bool optional;
    } specs[] = {
        {"timestamp", TIMESTAMPTZOID, &UsageColumns::timestamp, false},
        {"provider", TEXTOID, &UsageColumns::provider, false},
        {"model", TEXTOID, &UsageColumns::model, false},
        {"prompt_tokens", INT8OID, &UsageColumns::prompt, false},
        {"completion_tokens", INT8OID, &UsageColumns::completion, false},
        {"total_tokens", INT8OID, &UsageColumns::total, false},
        {"cached_tokens", INT8OID, &UsageColumns::cached, false},
        {"cache_write_tokens", INT8OID, &UsageColumns::cache_write, false},
        {"cache_write_1h_tokens", INT8OID, &UsageColumns::cache_write_1h, false},
        {"reasoning_tokens", INT8OID, &UsageColumns::reasoning, false},
        {"service_tier", TEXTOID, &UsageColumns::service_tier, false},
        {"input_cost", InvalidOid, &UsageColumns::input_cost, false},
        {"output_cost", InvalidOid, &UsageColumns::output_cost, false},
        {"total_cost", InvalidOid, &UsageColumns::total_cost, false},
        {"pricing_id", INT8OID, &UsageColumns::pricing_id, false},
        {"price_match", TEXTOID, &UsageColumns::price_match, false},
        {"unpriced_reason", TEXTOID, &UsageColumns::unpriced_reason, false},
        {"request_count", INT8OID, &UsageColumns::request_count, true},
        {"request_prompt_tokens_min", INT8OID, &UsageColumns::request_prompt_tokens_min, true},
        {"request_prompt_tokens_max", INT8OID, &UsageColumns::request_prompt_tokens_max, true},
        {"period_end", TIMESTAMPTZOID, &UsageColumns::period_end, true},
    };
    for (const auto& spec : specs) {
        if (spec.optional && SPI_fnumber(RelationGetDescr(rel), spec.name) <= 0) {
            c->*spec.slot = -1;
            continue;
        }
        c->*spec.slot =
            require_column(rel, spec.name, OidIsValid(spec.type) ? spec.type : cost_type);
    }
    c->natts = RelationGetDescr(rel)->natts;
    c->last_before_insert = last_before_insert_trigger(rel, trigger);
    c->values =
        static_cast<Datum*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Datum) * c->natts));
    c->nulls =
        static_cast<bool*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(bool) * c->natts));
    fcinfo->flinfo->fn_extra = c;
    costops::pg::accept_price_changes();
    return c;
}

// The TriggerData of a call, after checking the trigger is declared the way it works.
TriggerData* row_trigger_data(FunctionCallInfo fcinfo) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cost_ops.price_usage_record() was not called by a trigger")));
    }
    auto* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
        TRIGGER_FIRED_BY_DELETE(td->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("cost_ops.price_usage_record() must be a BEFORE INSERT OR "
                               "UPDATE trigger FOR EACH ROW")));
    }
    return td;
}

// A text datum as a string_view; detoasts first (may palloc, so call before C++ objects).
std::string_view text_view(Datum datum) {
    text* t = reinterpret_cast<text*>(PG_DETOAST_DATUM_PACKED(datum));
    return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

// A text datum in ASCII lower case (provider ids are stored so, as the CLI sends them); the
// datum itself when it already is, so a row of a lower-case provider allocates nothing.
Datum lower_case_text(Datum datum) {
    std::string_view name = text_view(datum);
    if (std::none_of(name.begin(), name.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
        return datum;
    }
    text* lowered = cstring_to_text_with_len(name.data(), static_cast<int>(name.size()));
    char* chars = VARDATA(lowered);
    for (size_t i = 0; i < name.size(); ++i) {
        if (chars[i] >= 'A' && chars[i] <= 'Z') chars[i] = static_cast<char>(chars[i] - 'A' + 'a');
    }
    return PointerGetDatum(lowered);
}

// Throws the SqlError of a record that breaks an invariant of the domain page.
void check_invariants(const costops::UsageCounts& counts, const std::optional<int64_t>& total) {
    if (auto violation = costops::check_usage(counts, total)) {
        throw SqlError(ERRCODE_CHECK_VIOLATION, "invalid usage record: " + violation->reason, {},
                       "Token counts follow the normalized record of the domain rules: "
                       "prompt_tokens includes cached and cache-write tokens, "
                       "completion_tokens includes reasoning tokens.");
    }
}

// A bigint or timestamptz column (both int64 datums) the table may lack or leave NULL.
std::optional<int64_t> optional_int64(const UsageColumns* c, int attr) {
    if (attr < 0 || c->nulls[attr]) return std::nullopt;
    return DatumGetInt64(c->values[attr]);
}

// The requests a row sums: one unless its request-shape columns say otherwise (a NULL
// request_count is a bucket of an unknown number). Throws the SqlError of an unsound shape.
costops::RequestShape request_shape(const UsageColumns* c, int64_t prompt_tokens) {
    costops::RequestShape shape;
    if (c->request_count >= 0) shape.count = optional_int64(c, c->request_count);
    shape.prompt_tokens_min = optional_int64(c, c->request_prompt_tokens_min);
    shape.prompt_tokens_max = optional_int64(c, c->request_prompt_tokens_max);
    if (auto violation = costops::check_requests(shape, prompt_tokens)) {
        throw SqlError(ERRCODE_CHECK_VIOLATION, "invalid usage record: " + violation->reason, {},
                       "request_count is how many API requests the row sums (NULL: unknown); "
                       "request_prompt_tokens_min and _max bound each request's prompt_tokens.");
    }
    return shape;
}

// The service tier a row names (stored under its canonical name); throws for an unknown one.
costops::ServiceTier service_tier_of(std::string_view name) {
    if (std::optional<costops::ServiceTier> tier = costops::parse_service_tier(name)) return *tier;
    throw SqlError(ERRCODE_CHECK_VIOLATION,
                   "invalid usage record: unknown service_tier \"" + std::string(name) + "\"", {},
                   "Use standard, batch, priority or flex (default, auto and scale, as OpenAI "
                   "reports them, mean standard).");
}

// The text datum of a constant string, made in the statement's memory on first use.
Datum text_constant(FunctionCallInfo fcinfo, UsageColumns* c, const char* s) {
    for (int i = 0; i < c->text_count; ++i) {
        if (c->text_keys[i] == s) return c->text_datums[i];
    }
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    Datum d = PointerGetDatum(cstring_to_text(s));
    MemoryContextSwitchTo(old);
    if (c->text_count < UsageColumns::kTextSlots) {
        c->text_keys[c->text_count] = s;
        c->text_datums[c->text_count++] = d;
    }
    return d;
}

// Reads the row's columns into c->values/nulls: from the executor's slot when it has them
// (COPY into a partition hands a virtual slot whose columns are already apart; deforming the
// trigger tuple again was a tenth of a priced COPY), else by deforming the tuple.
void read_row(UsageColumns* c, TupleTableSlot* slot, HeapTuple tuple, TupleDesc desc) {
    if (slot == nullptr || slot->tts_tupleDescriptor->natts != c->natts) {
        heap_deform_tuple(tuple, desc, c->values, c->nulls);
        return;
    }
    slot_getallattrs(slot);
    memcpy(c->values, slot->tts_values, sizeof(Datum) * c->natts);
    memcpy(c->nulls, slot->tts_isnull, sizeof(bool) * c->natts);
}

// Sets a NULL total_tokens to prompt + completion when both are given, whether or not the row
// can be priced: a row with another count NULL then fails PostgreSQL's NOT NULL check on that
// column, not on total_tokens (checked before it). An overflowing sum stays NULL for
// check_usage() to report.
void fill_total_tokens(UsageColumns* c) {
    if (!c->nulls[c->total] || c->nulls[c->prompt] || c->nulls[c->completion]) return;
    int64_t sum;
    if (!__builtin_add_overflow(DatumGetInt64(c->values[c->prompt]),
                                DatumGetInt64(c->values[c->completion]), &sum)) {
        c->values[c->total] = Int64GetDatum(sum);
        c->nulls[c->total] = false;
    }
}

// Whether the priced row may go straight into the executor's slot (see priced_row): an INSERT
// handing over a virtual slot (COPY or INSERT routed through the partitioned usage_records)
// whose columns read_row() took, with no BEFORE ROW INSERT trigger after this one (it would be
// handed the executor's tuple, which then lacks the prices), on the PostgreSQL major whose
// ExecBRInsertTriggers() this was checked against.
bool price_in_slot(const TriggerData* td, const UsageColumns* c) {
    constexpr bool checked_major = PG_VERSION_NUM / 10000 == 15;
    const TupleTableSlot* slot = td->tg_trigslot;
    return checked_major && TRIGGER_FIRED_BY_INSERT(td->tg_event) && c->last_before_insert &&
           slot != nullptr && slot->tts_ops == &TTSOpsVirtual &&
           slot->tts_tupleDescriptor->natts == c->natts;
}

// The trigger's result. Where price_in_slot() allows, the priced columns are written into the
// executor's virtual slot and the executor's own tuple pointer is returned: PostgreSQL 15's
// ExecBRInsertTriggers() compares the result with that pointer and, equal, keeps the slot as it
// is, neither reading nor freeing the tuple (its private copy of the slot, freed here instead).
// That saves forming the priced tuple and deforming it back into the slot: a sixth of what a
// priced COPY costs over an unpriced one. The values written live as long as a returned tuple
// would (this row's memory). Otherwise, a new tuple of the priced columns.
Datum priced_row(const TriggerData* td, const UsageColumns* c, TupleDesc desc, HeapTuple tuple) {
    if (price_in_slot(td, c)) {
        TupleTableSlot* slot = td->tg_trigslot;
        memcpy(slot->tts_values, c->values, sizeof(Datum) * c->natts);
        memcpy(slot->tts_isnull, c->nulls, sizeof(bool) * c->natts);
        heap_freetuple(tuple);
        return PointerGetDatum(tuple);
    }
    HeapTuple priced = heap_form_tuple(desc, c->values, c->nulls);
    priced->t_self = tuple->t_self;
    priced->t_tableOid = tuple->t_tableOid;
    return PointerGetDatum(priced);
}

// Microseconds after 00:00 UTC of a timestamptz.
int64_t usec_of_day(TimestampTz ts) {
    return ((ts % USECS_PER_DAY) + USECS_PER_DAY) % USECS_PER_DAY;
}

}  // namespace

SQL_FUNCTION(cost_ops_price_usage_record) {
    return pg_guard([&] {
        TriggerData* td = row_trigger_data(fcinfo);
        bool update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
        HeapTuple tuple = update ? td->tg_newtuple : td->tg_trigtuple;
        Relation rel = td->tg_relation;
        UsageColumns* c = usage_columns(fcinfo, rel, td->tg_trigger);
        TupleDesc desc = RelationGetDescr(rel);
        read_row(c, update ? td->tg_newslot : td->tg_trigslot, tuple, desc);

        c->nulls[c->input_cost] = c->nulls[c->output_cost] = c->nulls[c->total_cost] = true;
        c->nulls[c->pricing_id] = c->nulls[c->price_match] = c->nulls[c->unpriced_reason] = true;
        // NULL keys or counts cannot be priced; the table's NOT NULL constraints report them.
        const int required[] = {c->timestamp,  c->provider,    c->model,       c->prompt,
                                c->completion, c->cached,      c->cache_write, c->cache_write_1h,
                                c->reasoning,  c->service_tier};
        bool complete = true;
        for (int attr : required) complete = complete && !c->nulls[attr];
        fill_total_tokens(c);

        if (complete) {
            costops::UsageCounts counts{DatumGetInt64(c->values[c->prompt]),
                                        DatumGetInt64(c->values[c->completion]),
                                        DatumGetInt64(c->values[c->cached]),
                                        DatumGetInt64(c->values[c->cache_write]),
                                        DatumGetInt64(c->values[c->reasoning]),
                                        DatumGetInt64(c->values[c->cache_write_1h])};
            std::optional<int64_t> total;
            if (!c->nulls[c->total]) total = DatumGetInt64(c->values[c->total]);
            check_invariants(counts, total);
            costops::RequestShape requests = request_shape(c, counts.prompt_tokens);
            c->values[c->provider] = lower_case_text(c->values[c->provider]);
            std::string_view provider = text_view(c->values[c->provider]);
            std::string_view model = text_view(c->values[c->model]);
            costops::ServiceTier tier = service_tier_of(text_view(c->values[c->service_tier]));
            c->values[c->service_tier] = text_constant(fcinfo, c, costops::service_tier_name(tier));
            TimestampTz at = DatumGetTimestampTz(c->values[c->timestamp]);
            const costops::PriceBook& book = costops::pg::current_price_book();
            // A bucket's requests fall anywhere before its period_end: one price must cover them.
            std::optional<int64_t> until;
            if (requests.count != 1) until = optional_int64(c, c->period_end);
            costops::PriceBook::Lookup found = book.lookup(provider, model, at, until);
            const char* reason = found.unpriced_reason;
            std::optional<costops::RecordCost> cost;
            if (found.rule != nullptr) {
                cost = costops::compute_cost(*found.rule, counts, usec_of_day(at), tier, &reason,
                                             requests);
            }
            if (cost) {
                c->values[c->input_cost] = costops::pg::cost_datum(cost->input_cost.raw());
                c->values[c->output_cost] = costops::pg::cost_datum(cost->output_cost.raw());
                c->values[c->total_cost] = costops::pg::cost_datum(cost->total_cost.raw());
                c->values[c->pricing_id] = Int64GetDatum(found.rule->price_id);
                c->values[c->price_match] =
                    text_constant(fcinfo, c, costops::match_kind_name(found.kind));
                c->nulls[c->input_cost] = c->nulls[c->output_cost] = false;
                c->nulls[c->total_cost] = c->nulls[c->pricing_id] = false;
                c->nulls[c->price_match] = false;
            } else {
                c->values[c->unpriced_reason] = text_constant(fcinfo, c, reason);
                c->nulls[c->unpriced_reason] = false;
            }
            costops::pg::count_priced_row(cost.has_value());
        }
        return priced_row(td, c, desc, tuple);
    });
}
