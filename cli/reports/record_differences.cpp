#include "record_differences.hpp"

#include "../db/result_rows.hpp"

namespace costops::cli {

ReportTable record_differences(pqxx::work& tx, const std::string& where, const LocalTimeSql& local,
                               RecordDifferenceCounts& counts) {
    std::string with_id = (where.empty() ? " WHERE" : where + " AND") + " request_id IS NOT NULL";
    // A cost differs only where the reference gives one: a reference without costs compares
    // counts and tokens.
    std::string cost_differs =
        "(r.cost IS NOT NULL AND (d.cost IS NULL OR d.cost OPERATOR(cost_ops.<>) r.cost))";
    std::string tokens_differ =
        "(d.prompt_tokens <> r.prompt_tokens OR d.completion_tokens <> r.completion_tokens OR "
        "d.cached_tokens <> r.cached_tokens)";
    std::string differs =
        "FROM (SELECT \"timestamp\", provider, model, organization_id, "
        "request_id, prompt_tokens, completion_tokens, cached_tokens, "
        "total_cost AS cost FROM cost_ops.usage_records" +
        with_id +
        ") AS d FULL JOIN (SELECT \"timestamp\", provider, model, "
        "organization_id, request_id, prompt_tokens, completion_tokens, "
        "cached_tokens, reference_cost AS cost FROM pg_temp.reference_usage" +
        with_id +
        ") AS r ON d.provider = r.provider AND d.organization_id = "
        "r.organization_id AND d.request_id = r.request_id WHERE d.request_id "
        "IS NULL OR r.request_id IS NULL OR " +
        tokens_differ + " OR " + cost_differs;
    pqxx::row n = tx.exec1(
        "SELECT count(*), count(*) FILTER (WHERE d.request_id IS NULL OR "
        "r.request_id IS NULL OR " +
        tokens_differ + ") " + differs);
    counts = {n[0].as<int64_t>(), n[1].as<int64_t>()};
    ReportTable t{"Records that differ (matched by provider, organization_id, request_id)",
                  {{"day"},
                   {"provider"},
                   {"model"},
                   {"organization_id"},
                   {"request_id"},
                   {"difference"},
                   {"db_cost", ColumnKind::Cost},
                   {"ref_cost", ColumnKind::Cost}},
                  {}};
    pqxx::result r = tx.exec(
        "SELECT to_char(date_trunc('day', " +
        local.at_zone("coalesce(d.\"timestamp\", r.\"timestamp\")") +
        "), 'YYYY-MM-DD'), coalesce(d.provider, r.provider), coalesce(d.model, r.model), "
        "coalesce(d.organization_id, r.organization_id), coalesce(d.request_id, r.request_id), "
        "CASE WHEN r.request_id IS NULL THEN 'not in the reference' WHEN d.request_id IS NULL "
        "THEN 'not in the database' ELSE concat_ws(' ', CASE WHEN " +
        tokens_differ + " THEN 'tokens' END, CASE WHEN " + cost_differs +
        " THEN 'cost' END) END, d.cost, r.cost " + differs + " ORDER BY 1, 2, 3, 4, 5 LIMIT " +
        std::to_string(kRecordDifferencesListed));
    t.rows = result_rows(r);
    return t;
}

}  // namespace costops::cli
