#include "reconciliation_report.hpp"

#include "../db/result_rows.hpp"
#include "../text_count.hpp"
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

// The groups of both sides, joined; a group only one side has is not `present` on the other.
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
        g.database.present = !row[3].is_null();
        g.reference.present = !row[11].is_null();
        groups.push_back(std::move(g));
    }
    return groups;
}

// A fact's value for an integer.
std::string n(int64_t value) {
    return std::to_string(value);
}

// What differs in a group: "records prompt_tokens ... cost".
std::string measures_text(const GroupDifference& d) {
    std::string what;
    for (const auto& m : d.measures) what += (what.empty() ? "" : " ") + m;
    return what;
}

// A side's count as a cell: none when the side lacks the group (or does not give that count).
Cell count_cell(const SideFigures& side, int64_t value, bool given = true) {
    return side.present && given ? Cell(n(value)) : Cell();
}

// A side's cost as a cell: none when the side lacks the group or none of its records has a cost
// (all unpriced): the cost is unknown, never 0.
Cell cost_cell(const SideFigures& side) {
    return side.present && side.costed > 0 ? Cell(side.cost.to_string()) : Cell();
}

// The side a group is missing from, as a cell: "database", "reference" or none.
Cell missing_cell(const GroupComparison& g) {
    if (!g.database.present) return std::string("database");
    if (!g.reference.present) return std::string("reference");
    return Cell();
}

// How a side's cost reads in a sentence: the amount (with the unpriced records of a partly
// priced group), or "unpriced" when none of its records has a cost.
std::string cost_words(const SideFigures& side) {
    if (side.costed == 0) {
        return side.unpriced ? "unpriced (" + counted(side.unpriced, "record") + ")" : "no cost";
    }
    return side.cost.to_string() +
           (side.unpriced ? " + " + counted(side.unpriced, "unpriced record") : "");
}

// One side's own figures in a sentence (the group is not on the other side).
std::string side_words(const SideFigures& side, const ComparedMeasures& compared, bool database) {
    std::string words;
    if (database || compared.records) words = counted(side.records, "record") + ", ";
    if (!database && !compared.records && compared.total_tokens) {
        words = counted(side.total_tokens, "total token") + ", ";
    }
    return words + "cost " + cost_words(side);
}

// The stdout line of a differing group: what differs and both sides' figures, or which side
// lacks the group.
std::string group_line(const GroupComparison& g, const GroupDifference& d,
                       const ComparedMeasures& compared, const std::string& reference_name) {
    std::string label = g.day + " " + (g.provider.empty() ? "" : g.provider + " ") + g.model + ": ";
    if (!g.reference.present) {
        return label + "not in the " + reference_name +
               " (database: " + side_words(g.database, compared, true) + ")";
    }
    if (!g.database.present) {
        return label + "not in the database (" + reference_name + ": " +
               side_words(g.reference, compared, false) + ")";
    }
    std::string figures;
    if (compared.records) {
        figures = "records " + n(g.database.records) + " vs " + n(g.reference.records) + ", ";
    } else if (compared.total_tokens) {
        figures = "total_tokens " + n(g.database.total_tokens) + " vs " +
                  n(g.reference.total_tokens) + ", ";
    }
    return label + measures_text(d) + " (" + figures + "cost " + cost_words(g.database) + " vs " +
           cost_words(g.reference) + ")";
}

// The result section: the verdict's figures, side by side.
ReportSection result_section(const ReconciliationRequest& req, const std::string& reference,
                             const ComparedMeasures& compared, const ReconciliationOutcome& out,
                             size_t groups, size_t rejected) {
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
    if (req.invoice.empty()) {
        s.facts.push_back({"reference_rejected_records", n(static_cast<int64_t>(rejected))});
    }
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

// The differing groups, one row each, with what differs and by how much.
ReportTable differences_table(const std::vector<GroupComparison>& groups,
                              const ReconciliationOutcome& out, const ComparedMeasures& compared) {
    ReportTable t{"Differences (database minus reference)",
                  {{"day"},
                   {"provider"},
                   {"model"},
                   {"differs_in"},
                   {"missing_from"},
                   {"db_unpriced", ColumnKind::Integer},
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
        Cell db_cost = cost_cell(g.database), ref_cost = cost_cell(g.reference);
        t.rows.push_back({g.day, g.provider, g.model, measures_text(d), missing_cell(g),
                          count_cell(g.database, g.database.unpriced),
                          count_cell(g.database, g.database.records),
                          count_cell(g.reference, g.reference.records, compared.records),
                          count_cell(g.database, g.database.total_tokens),
                          count_cell(g.reference, g.reference.total_tokens, compared.total_tokens),
                          db_cost, ref_cost,
                          db_cost && ref_cost ? Cell(d.cost.to_string()) : Cell()});
    }
    return t;
}

// Every group, both sides, with its own PASS/FAIL.
ReportTable groups_table(const std::vector<GroupComparison>& groups,
                         const ReconciliationOutcome& out, const ComparedMeasures& compared) {
    ReportTable t{"Per day x provider x model",
                  {{"day"},
                   {"provider"},
                   {"model"},
                   {"missing_from"},
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
        const SideFigures &db = g.database, &ref = g.reference;
        t.rows.push_back({g.day, g.provider, g.model, missing_cell(g), count_cell(db, db.records),
                          count_cell(ref, ref.records, compared.records),
                          count_cell(db, db.unpriced), count_cell(db, db.prompt_tokens),
                          count_cell(ref, ref.prompt_tokens, compared.token_kinds),
                          count_cell(db, db.completion_tokens),
                          count_cell(ref, ref.completion_tokens, compared.token_kinds),
                          cost_cell(db), cost_cell(ref), std::string(differs ? "FAIL" : "PASS")});
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
                                  const ComparedMeasures& compared, ReconciliationOutcome& out,
                                  std::vector<std::string>& summary) {
    ReportSection diffs{"Differences", {}, {}, {}, {}};
    if (out.differences.empty()) {
        diffs.notes.push_back("No group differs.");
    } else {
        diffs.tables.push_back(differences_table(groups, out, compared));
        diffs.notes.push_back(
            "missing_from names the side that lacks the group (its figures are empty, not 0); "
            "an empty cost is unknown: none of the side's records has a cost (db_unpriced "
            "counts the database's unpriced records).");
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
        if (records.unmatched) out.pass = false;
        if (records.all) {
            // Every differing record is counted: those with only another cost too (they fail
            // through their group's tolerance, not on their own).
            summary.push_back(
                counted(records.all, "record") + (records.all == 1 ? " differs" : " differ") +
                " (matched by provider, organization_id, request_id): " + n(records.unmatched) +
                " on one side only or with other tokens, " + n(records.all - records.unmatched) +
                " in cost only");
        }
    }
    return diffs;
}

// The reference records that were rejected: left out of the comparison, so the result FAILs
// (the reference holds something that was not checked); a line each for stderr in `lines`.
ReportSection reference_rejects_section(const std::vector<ReferenceReject>& rejected,
                                        std::vector<std::string>& lines) {
    ReportSection s{"Reference rejects",
                    {{"reference_rejected_records", n(static_cast<int64_t>(rejected.size()))}},
                    {},
                    {},
                    {}};
    if (rejected.empty()) {
        s.notes.push_back("Every record of the reference file was read and compared.");
        return s;
    }
    s.notes.push_back(
        "These reference records could not be read (the reason is ingest's): they are not in "
        "the comparison, which therefore FAILs. Fix them in the file and run the report again.");
    ReportTable t{"Rejected reference records",
                  {{"file"},
                   {"line", ColumnKind::Integer},
                   {"record", ColumnKind::Integer},
                   {"field"},
                   {"reason"}},
                  {}};
    for (const auto& r : rejected) {
        t.rows.push_back({r.file, n(r.line), n(r.record), r.field, r.reason});
        lines.push_back("reference " + r.file + ":" + n(r.line) + " (record " + n(r.record) +
                        "): " + r.reason + " (rejected: not compared)");
    }
    s.tables.push_back(std::move(t));
    return s;
}

}  // namespace

ReconciliationReport reconciliation_report(pqxx::connection& conn,
                                           const ReconciliationRequest& req) {
    std::string where = where_clause(req.filter, conn);
    LocalTimeSql local(req.filter, conn);
    pqxx::work tx(conn);
    ComparedMeasures compared;
    std::string reference, explained;
    std::vector<ReferenceReject> rejected;
    bool by_provider = true;
    if (!req.invoice.empty()) {
        InvoiceLoad load =
            load_invoice_reference(tx, req.invoice, req.filter.timezone, req.filter.provider);
        by_provider = load.has_provider || !req.filter.provider.empty();
        compared = {false, false, load.has_tokens, true};
        reference = req.invoice + " (invoice, " + counted(load.rows, "row") + ")";
        explained = std::string("Compared per day x ") + (by_provider ? "provider x " : "") +
                    "model: the invoice's cost against the database's total_cost" +
                    (load.has_tokens ? ", and its tokens against total_tokens" : "") +
                    ". An invoice has no record counts; those are not compared.";
    } else {
        ReferenceLoad load = load_reference_usage(tx, req.against, req.importer, req.mapping);
        compared.costs = load.with_cost > 0;
        rejected = std::move(load.rejected);
        reference = req.against + " (" + counted(load.records, "usage record") + ", " +
                    n(load.with_cost) + " with a cost of their own, " +
                    n(static_cast<int64_t>(rejected.size())) + " rejected)";
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
            explained += " " + counted(load.not_usage, "source record") +
                         (load.not_usage == 1 ? " is" : " are") +
                         " no usage (cache hits, chain runs), skipped.";
        }
    }
    std::vector<GroupComparison> groups = compared_groups(tx, where, local, by_provider);
    ReconciliationOutcome out = reconcile(groups, req.tolerance, compared);
    ReconciliationReport report;
    ReportDocument& doc = report.doc;
    report.differing_groups = out.differences.size();
    std::string reference_name = req.invoice.empty() ? "reference file" : "invoice";
    for (const auto& d : out.differences) {
        report.summary.push_back(group_line(groups[d.group], d, compared, reference_name));
    }
    ReportSection diffs = differences_section(tx, where, local, req.invoice.empty(), groups,
                                              compared, out, report.summary);
    if (!rejected.empty()) {
        out.pass = false;
        report.summary.push_back(
            counted(static_cast<int64_t>(rejected.size()), "reference record") +
            " rejected, not compared (listed on stderr and in the report)");
    }
    doc.type = "reconciliation";
    doc.title = "Reconciliation " + req.filter.range;
    doc.status = out.pass ? "PASS" : "FAIL";
    ReportSection result =
        result_section(req, reference, compared, out, groups.size(), rejected.size());
    result.notes.push_back(explained);
    result.notes.push_back(
        "Counts and tokens must be equal; a group's cost may differ by at most "
        "the tolerance (" +
        req.tolerance.to_string() +
        " USD). Unpriced database records have no cost: they are counted, "
        "and listed below. A rejected reference record makes the result FAIL.");
    doc.sections.push_back(std::move(result));
    doc.sections.push_back(std::move(diffs));
    doc.sections.push_back(unpriced_section(tx, where));
    doc.sections.push_back(rejects_section(tx, where));
    if (req.invoice.empty()) {
        doc.sections.push_back(reference_rejects_section(rejected, report.rejected));
    }
    ReportSection all{
        "Groups", {}, {}, {daily_chart(groups)}, {groups_table(groups, out, compared)}};
    doc.sections.push_back(std::move(all));
    tx.commit();
    return report;
}

}  // namespace costops::cli
