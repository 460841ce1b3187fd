#include "reconciliation_report.hpp"

#include "../db/result_rows.hpp"
#include "chart_data.hpp"
#include "invoice_reference.hpp"
#include "reconciliation.hpp"
#include "record_differences.hpp"
#include "reference_usage.hpp"

namespace costops::cli {

namespace {

using costops::Decimal;

// The aggregate of one side per day, provider and model: the SELECT list both sides share.
std::string side_sql(const std::string& table, const std::string& records, const std::string& cost,
                     const std::string& provider, const std::string& where,
                     const LocalTimeSql& local) {
    return "SELECT to_char(date_trunc('day', " + local.at_zone("\"timestamp\"") +
           "), 'YYYY-MM-DD') AS day, " + provider + " AS provider, model, " + records +
           " AS records, count(*) - count(" + cost + ") AS unpriced, count(" + cost +
           ") AS costed, coalesce(sum(prompt_tokens), 0) AS p, coalesce(sum(completion_tokens), "
           "0) AS c, coalesce(sum(cached_tokens), 0) AS k, coalesce(sum(total_tokens), 0) AS t, "
           "coalesce(cost_ops.sum(" +
           cost + "), '0') AS cost FROM " + table + where + " GROUP BY 1, 2, 3";
}

// The groups of both sides, joined; a group only one side has gets zeros on the other.
std::vector<GroupComparison> compared_groups(pqxx::work& tx, const std::string& where,
                                             const LocalTimeSql& local, bool by_provider) {
    std::string provider = by_provider ? "provider" : "NULL::text";
    std::string sql =
        "WITH d AS (" +
        side_sql("cost_ops.usage_records", "count(*)", "total_cost", provider, where, local) +
        "), r AS (" +
        side_sql(kReferenceTable, "coalesce(sum(records), 0)", "reference_cost", "provider", where,
                 local) +
        ") SELECT coalesce(d.day, r.day), coalesce(d.provider, r.provider), "
        "coalesce(d.model, r.model), d.records, d.unpriced, d.costed, d.p, d.c, d.k, d.t, "
        "d.cost, r.records, r.costed, r.p, r.c, r.k, r.t, r.cost FROM d FULL JOIN r ON d.day = "
        "r.day AND d.provider IS NOT DISTINCT FROM r.provider AND d.model = r.model "
        "ORDER BY 1, 2, 3";
    std::vector<GroupComparison> groups;
    for (const auto& row : tx.exec(sql)) {
        GroupComparison g{
            row[0].c_str(), row[1].is_null() ? "" : row[1].c_str(), row[2].c_str(), {}, {}};
        auto count = [&](int i) { return row[i].is_null() ? 0 : std::stoll(row[i].c_str()); };
        auto money = [&](int i) {
            return row[i].is_null() ? Decimal() : Decimal::parse(row[i].c_str());
        };
        g.database = {count(3), count(4), count(5), count(6),
                      count(7), count(8), count(9), money(10)};
        g.reference = {count(11), 0,         count(12), count(13),
                       count(14), count(15), count(16), money(17)};
        groups.push_back(std::move(g));
    }
    return groups;
}

// A fact's value for an integer.
std::string n(int64_t value) {
    return std::to_string(value);
}

// The result section: the verdict's figures, side by side.
ReportSection result_section(const ReconciliationRequest& req, const std::string& reference,
                             const ComparedMeasures& compared, const ReconciliationOutcome& out,
                             size_t groups) {
    ReportSection s{"Result", {}, {}, {}, {}};
    s.facts = {{"range", req.filter.range + " (" + req.filter.timezone + ", end day included)"},
               {"reference", reference},
               {"tolerance", req.tolerance.to_string()},
               {"groups_compared", n(static_cast<int64_t>(groups))},
               {"groups_differing", n(static_cast<int64_t>(out.differences.size()))},
               {"database_records", n(out.database.records)},
               {"database_unpriced_records", n(out.database.unpriced)},
               {"database_total_tokens", n(out.database.total_tokens)},
               {"database_total_cost", out.database.cost.to_string()}};
    if (compared.records) s.facts.push_back({"reference_records", n(out.reference.records)});
    if (compared.total_tokens) {
        s.facts.push_back({"reference_total_tokens", n(out.reference.total_tokens)});
    }
    if (compared.costs) {
        s.facts.push_back({"reference_total_cost", out.reference.cost.to_string()});
        s.facts.push_back(
            {"cost_difference", (out.database.cost - out.reference.cost).to_string()});
    }
    s.facts.push_back({"status", out.pass ? "PASS" : "FAIL"});
    return s;
}

// What differs in a group: "records prompt_tokens ... cost".
std::string measures_text(const GroupDifference& d) {
    std::string what;
    for (const auto& m : d.measures) what += (what.empty() ? "" : " ") + m;
    return what;
}

// The differing groups, one row each, with what differs and by how much.
ReportTable differences_table(const std::vector<GroupComparison>& groups,
                              const ReconciliationOutcome& out) {
    ReportTable t{"Differences (database minus reference)",
                  {{"day"},
                   {"provider"},
                   {"model"},
                   {"differs_in"},
                   {"db_records", ColumnKind::Integer},
                   {"ref_records", ColumnKind::Integer},
                   {"db_total_tokens", ColumnKind::Integer},
                   {"ref_total_tokens", ColumnKind::Integer},
                   {"db_cost", ColumnKind::Cost},
                   {"ref_cost", ColumnKind::Cost},
                   {"cost_difference", ColumnKind::Cost}},
                  {}};
    for (const auto& d : out.differences) {
        const GroupComparison& g = groups[d.group];
        std::string what = measures_text(d);
        t.rows.push_back({g.day, g.provider, g.model, what, n(g.database.records),
                          n(g.reference.records), n(g.database.total_tokens),
                          n(g.reference.total_tokens), g.database.cost.to_string(),
                          g.reference.cost.to_string(), d.cost.to_string()});
    }
    return t;
}

// Every group, both sides, with its own PASS/FAIL.
ReportTable groups_table(const std::vector<GroupComparison>& groups,
                         const ReconciliationOutcome& out) {
    ReportTable t{"Per day x provider x model",
                  {{"day"},
                   {"provider"},
                   {"model"},
                   {"db_records", ColumnKind::Integer},
                   {"ref_records", ColumnKind::Integer},
                   {"db_unpriced", ColumnKind::Integer},
                   {"db_prompt_tokens", ColumnKind::Integer},
                   {"ref_prompt_tokens", ColumnKind::Integer},
                   {"db_completion_tokens", ColumnKind::Integer},
                   {"ref_completion_tokens", ColumnKind::Integer},
                   {"db_cost", ColumnKind::Cost},
                   {"ref_cost", ColumnKind::Cost},
                   {"status"}},
                  {}};
    size_t next = 0;
    for (size_t i = 0; i < groups.size(); ++i) {
        bool differs = next < out.differences.size() && out.differences[next].group == i;
        if (differs) ++next;
        const GroupComparison& g = groups[i];
        t.rows.push_back({g.day, g.provider, g.model, n(g.database.records), n(g.reference.records),
                          n(g.database.unpriced), n(g.database.prompt_tokens),
                          n(g.reference.prompt_tokens), n(g.database.completion_tokens),
                          n(g.reference.completion_tokens), g.database.cost.to_string(),
                          g.reference.cost.to_string(), std::string(differs ? "FAIL" : "PASS")});
    }
    return t;
}

// The database's unpriced records in range by reason: their cost is unknown, not zero.
ReportSection unpriced_section(pqxx::work& tx, const std::string& where) {
    ReportSection s{"Unpriced records", {}, {}, {}, {}};
    std::string filter =
        where.empty() ? " WHERE total_cost IS NULL" : where + " AND total_cost IS NULL";
    ReportTable t{"Unpriced records in the database, by reason",
                  {{"provider"}, {"model"}, {"unpriced_reason"}, {"records", ColumnKind::Integer}},
                  result_rows(tx.exec("SELECT provider, model, unpriced_reason, count(*) FROM "
                                      "cost_ops.usage_records" +
                                      filter + " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3"))};
    s.notes.push_back(t.rows.empty()
                          ? "Every database record in the range is priced."
                          : "These records have no cost in the database (no price covers them): "
                            "their cost is not in the database totals. Add the prices, then "
                            "'cost-ops reprice --unpriced'.");
    if (!t.rows.empty()) s.tables.push_back(std::move(t));
    return s;
}

// Open rejects (neither stored nor dismissed) of the ingest runs that stored records in the
// range: records of those files that never reached the database.
ReportSection rejects_section(pqxx::work& tx, const std::string& where) {
    std::string open =
        " FROM cost_ops.ingest_rejects WHERE resolved_at IS NULL AND run_id IN "
        "(SELECT ingest_run_id FROM cost_ops.usage_records" +
        where + ")";
    int64_t count = tx.exec1("SELECT count(*)" + open)[0].as<int64_t>();
    ReportSection s{"Ingest rejects", {{"open_rejects", n(count)}}, {}, {}, {}};
    s.notes.push_back(count == 0 ? "No open rejects in the ingest runs of this range."
                                 : "Records of this range's ingest runs that were rejected and "
                                   "are not in the database ('cost-ops rejects list'); the first "
                                   "100 are listed.");
    if (count > 0) {
        s.tables.push_back({"Open rejects",
                            {{"run", ColumnKind::Integer},
                             {"source"},
                             {"line", ColumnKind::Integer},
                             {"kind"},
                             {"field"},
                             {"reason"}},
                            result_rows(tx.exec("SELECT run_id, source, line, kind, field, reason" +
                                                open + " ORDER BY run_id, line LIMIT 100"))});
    }
    return s;
}

// The database's cost per day, stacked by model (groups without a priced record left out).
StackedBarChart daily_chart(const std::vector<GroupComparison>& groups) {
    std::vector<ChartPoint> points;
    for (const auto& g : groups) {
        if (g.database.costed) points.push_back({g.day, g.model, g.database.cost});
    }
    return stacked_chart("Database cost per day (USD), stacked by model", points);
}

// The differences section: the differing groups and, for an export, the records behind them;
// a record on one side only (or with other tokens) fails the reconciliation, noted in `out`.
ReportSection differences_section(pqxx::work& tx, const std::string& where,
                                  const LocalTimeSql& local, bool by_record,
                                  const std::vector<GroupComparison>& groups,
                                  ReconciliationOutcome& out, std::vector<std::string>& summary) {
    ReportSection diffs{"Differences", {}, {}, {}, {}};
    if (out.differences.empty()) {
        diffs.notes.push_back("No group differs.");
    } else {
        diffs.tables.push_back(differences_table(groups, out));
    }
    if (by_record) {
        RecordDifferenceCounts records;
        ReportTable table = record_differences(tx, where, local, records);
        diffs.facts.push_back({"records_differing", n(records.all)});
        diffs.facts.push_back({"records_unmatched_or_other_tokens", n(records.unmatched)});
        diffs.notes.push_back(
            "The records behind them, matched by provider, organization_id and request_id (the "
            "first " +
            std::to_string(kRecordDifferencesListed) +
            "; records without a request_id are compared in their group only). A record on one "
            "side only, or with other tokens, fails the reconciliation even where its group's "
            "sums agree; a record's cost difference counts through its group's tolerance.");
        if (!table.rows.empty()) diffs.tables.push_back(std::move(table));
        if (records.unmatched) {
            out.pass = false;
            summary.push_back(n(records.unmatched) +
                              " records are on one side only or have other tokens "
                              "(matched by provider, organization_id, request_id)");
        }
    }
    return diffs;
}

}  // namespace

ReconciliationReport reconciliation_report(pqxx::connection& conn,
                                           const ReconciliationRequest& req) {
    std::string where = where_clause(req.filter, conn);
    LocalTimeSql local(req.filter, conn);
    pqxx::work tx(conn);
    ComparedMeasures compared;
    std::string reference, explained;
    bool by_provider = true;
    if (!req.invoice.empty()) {
        InvoiceLoad load =
            load_invoice_reference(tx, req.invoice, req.filter.timezone, req.filter.provider);
        by_provider = load.has_provider || !req.filter.provider.empty();
        compared = {false, false, load.has_tokens, true};
        reference = req.invoice + " (invoice, " + n(load.rows) + " rows)";
        explained = std::string("Compared per day x ") + (by_provider ? "provider x " : "") +
                    "model: the invoice's cost against the database's total_cost" +
                    (load.has_tokens ? ", and its tokens against total_tokens" : "") +
                    ". An invoice has no record counts; those are not compared.";
    } else {
        ReferenceLoad load = load_reference_usage(tx, req.against, req.importer, req.mapping);
        compared.costs = load.with_cost > 0;
        reference = req.against + " (" + n(load.records) + " usage records, " + n(load.with_cost) +
                    " with a cost of their own)";
        explained =
            "Compared per day x provider x model: record counts and prompt, completion, cached "
            "and total tokens, always; costs " +
            std::string(compared.costs
                            ? "too: the sum of the reference records' own costs (their total_cost "
                              "column, or the source tool's figure an importer keeps as "
                              "metadata.source_cost) against the sum of the total_cost the "
                              "database computed, and how many records have a cost on each side "
                              "(an unpriced record has none)."
                            : "not: no reference record carries a cost of its own (total_cost or "
                              "metadata.source_cost), so the database's costs are shown but not "
                              "compared.");
        if (load.not_usage) {
            explained += " " + n(load.not_usage) +
                         " source records are no usage (cache hits, chain runs) and were skipped.";
        }
    }
    std::vector<GroupComparison> groups = compared_groups(tx, where, local, by_provider);
    ReconciliationOutcome out = reconcile(groups, req.tolerance, compared);
    ReconciliationReport report;
    ReportDocument& doc = report.doc;
    report.differing_groups = out.differences.size();
    for (const auto& d : out.differences) {
        const GroupComparison& g = groups[d.group];
        std::string what = measures_text(d);
        report.summary.push_back(g.day + " " + g.provider + " " + g.model + ": " + what +
                                 " (records " + n(g.database.records) + " vs " +
                                 n(g.reference.records) + ", cost " + g.database.cost.to_string() +
                                 " vs " + g.reference.cost.to_string() + ")");
    }
    ReportSection diffs =
        differences_section(tx, where, local, req.invoice.empty(), groups, out, report.summary);
    doc.type = "reconciliation";
    doc.title = "Reconciliation " + req.filter.range;
    doc.status = out.pass ? "PASS" : "FAIL";
    ReportSection result = result_section(req, reference, compared, out, groups.size());
    result.notes.push_back(explained);
    result.notes.push_back(
        "Counts and tokens must be equal; a group's cost may differ by at most "
        "the tolerance (" +
        req.tolerance.to_string() +
        " USD). Unpriced database records have no cost: they are counted, "
        "and listed below.");
    doc.sections.push_back(std::move(result));
    doc.sections.push_back(std::move(diffs));
    doc.sections.push_back(unpriced_section(tx, where));
    doc.sections.push_back(rejects_section(tx, where));
    ReportSection all{"Groups", {}, {}, {daily_chart(groups)}, {groups_table(groups, out)}};
    doc.sections.push_back(std::move(all));
    tx.commit();
    return report;
}

}  // namespace costops::cli
