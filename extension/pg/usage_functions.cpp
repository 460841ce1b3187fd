// cost_ops.normalize_usage(): the provider usage-shape normalization of the CLI, in SQL, so a
// COPY of raw provider JSON can be turned into usage records in the database too.
#include "../core/usage_shapes.hpp"
#include "guard.hpp"

using costops::pg::pg_guard;
using costops::pg::SqlError;

namespace {

// The format to read a usage object with: the one named, else the provider's.
costops::UsageFormat format_for(const char* provider, const char* named) {
    if (named != nullptr) {
        if (auto format = costops::parse_usage_format(named)) return *format;
        throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                       std::string("unknown usage format \"") + named + "\"",
                       "Use openai, anthropic or gemini.");
    }
    if (provider != nullptr) {
        if (auto format = costops::usage_format_for_provider(provider)) return *format;
    }
    std::string whose = provider != nullptr ? std::string("provider \"") + provider + "\""
                                            : std::string("a NULL provider");
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                   "the usage format of " + whose + " is not known", "",
                   "Pass usage_format => 'openai', 'anthropic' or 'gemini'.");
}

// The usage object of `doc`: its usage member ("usage", Gemini's "usageMetadata") when `doc` is
// a whole provider response, else `doc` itself (no usage object has such a member).
const costops::Json& usage_of(const costops::Json& doc, costops::UsageFormat format) {
    if (!doc.is_object()) return doc;
    auto member = doc.find(costops::usage_member_name(format));
    return member != doc.end() && member->is_object() ? *member : doc;
}

}  // namespace

// (prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens,
//  cache_write_1h_tokens, reasoning_tokens) of a provider usage object.
SQL_FUNCTION(cost_ops_normalize_usage) {
    return pg_guard([&]() -> Datum {
        if (PG_ARGISNULL(1)) PG_RETURN_NULL();
        char* provider = PG_ARGISNULL(0) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(0));
        char* named = PG_ARGISNULL(2) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(2));
        char* json = DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(1)));
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "return type must be a row type");
        }
        costops::UsageCounts c;
        try {
            costops::UsageFormat format = format_for(provider, named);
            costops::Json doc = costops::parse_json_exact(json);
            c = costops::normalize_usage(format, usage_of(doc, format));
        } catch (const costops::UsageShapeError& e) {
            throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "invalid provider usage object",
                           e.what());
        }
        Datum values[6] = {
            Int64GetDatum(c.prompt_tokens),         Int64GetDatum(c.completion_tokens),
            Int64GetDatum(c.cached_tokens),         Int64GetDatum(c.cache_write_tokens),
            Int64GetDatum(c.cache_write_1h_tokens), Int64GetDatum(c.reasoning_tokens)};
        bool nulls[6] = {false, false, false, false, false, false};
        return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
    });
}
