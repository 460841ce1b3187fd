// SQL-callable helpers of cost_ops.pricing_tables: change notification for the price cache,
// validation of pricing_structure, and a view of the cache for diagnostics and tests.
#include <stdexcept>

#include "../core/model_match.hpp"
#include "../core/price_rule.hpp"
#include "guard.hpp"
#include "pricing_cache.hpp"

using costops::pg::pg_guard;
using costops::pg::SqlError;

// Statement trigger on the pricing table: queue a relcache invalidation of the table, which
// marks every backend's price book stale (this one at end of command, others at commit).
SQL_FUNCTION(cost_ops_pricing_tables_changed) {
    return pg_guard([&] {
        if (!CALLED_AS_TRIGGER(fcinfo)) {
            ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                            errmsg("cost_ops.pricing_tables_changed() was not called by a "
                                   "trigger")));
        }
        CacheInvalidateRelcache(reinterpret_cast<TriggerData*>(fcinfo->context)->tg_relation);
        return PointerGetDatum(nullptr);
    });
}

// True for a pricing_structure the cost formula can use; otherwise an error saying what is
// wrong, so a CHECK constraint using it reports the reason instead of only its name.
SQL_FUNCTION(cost_ops_pricing_structure_is_valid) {
    return pg_guard([&] {
        char* json = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(0)));
        try {
            costops::make_price_rule(0, costops::Rates{}, json);
        } catch (const std::invalid_argument& e) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid pricing_structure", e.what(),
                           "Prices are decimal strings in USD per 1M tokens; see the README "
                           "section \"pricing_structure\".");
        }
        return BoolGetDatum(true);
    });
}

// True for a match expression the price book can use; otherwise an error saying what is wrong
// (the CHECK constraint of cost_ops.model_match_rules).
SQL_FUNCTION(cost_ops_model_match_is_valid) {
    return pg_guard([&] {
        char* json = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(0)));
        try {
            costops::ModelMatcher::parse(costops::parse_json_exact(json));
        } catch (const std::invalid_argument& e) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid model match expression",
                           e.what(),
                           "Use genai-prices' form: {\"equals\": ...}, {\"starts_with\": ...}, "
                           "{\"ends_with\": ...}, {\"regex\": ...}, {\"or\": [...]}, "
                           "{\"and\": [...]}.");
        }
        return BoolGetDatum(true);
    });
}

// (loaded, price_rows, models, loads, rows_priced, rows_unpriced) of this backend.
SQL_FUNCTION(cost_ops_pricing_cache_status) {
    return pg_guard([&] {
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "return type must be a row type");
        }
        costops::pg::PricingCacheStatus s = costops::pg::pricing_cache_status();
        Datum values[6] = {BoolGetDatum(s.loaded),       Int64GetDatum(s.price_rows),
                           Int64GetDatum(s.models),      Int64GetDatum(s.loads),
                           Int64GetDatum(s.rows_priced), Int64GetDatum(s.rows_unpriced)};
        bool nulls[6] = {false, false, false, false, false, false};
        return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
    });
}
