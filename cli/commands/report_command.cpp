// cost-ops report generate: reconciliation and monthly (or any period's) reports as PDF, HTML
// or JSON, the format picked by the output file's extension.
#include <iostream>

#include "../cli_error.hpp"
#include "../reports/month_range.hpp"
#include "../reports/monthly_report.hpp"
#include "../reports/reconciliation_report.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

struct ReportOptions {
    std::string type, output, start_date, end_date, month, against, format, invoice;
    std::string tolerance = "0";
    std::optional<std::string> default_organization;
    RecordFilter filter;  // --period is its range
    size_t top_users = 10;
};

// Throws a usage error (exit 2) unless `ok`.
void require(bool ok, const std::string& message) {
    if (!ok) throw CliError(message, 2);
}

// The month before the current one in the filter's zone, as the database's clock says.
std::string last_month(pqxx::connection& conn, const std::string& zone) {
    pqxx::nontransaction tx(conn);
    return tx
        .exec1("SELECT to_char((now() AT TIME ZONE " + conn.quote(zone) +
               ") - interval '1 month', 'YYYY-MM')")[0]
        .c_str();
}

// Runs a reconciliation; prints the verdict and each differing group; FAIL exits 1.
void run_reconciliation(Context& ctx, const ReportOptions& o) {
    require(!o.start_date.empty() && !o.end_date.empty(),
            "--type reconciliation needs --start-date and --end-date");
    require(o.against.empty() != o.invoice.empty(),
            "--type reconciliation needs one reference: --against FILE or --invoice FILE");
    require(o.invoice.empty() || (o.filter.organization.empty() && o.filter.project.empty() &&
                                  o.filter.user.empty()),
            "--invoice: an invoice has no organization, project or user; filter with "
            "--provider or --model only");
    require(o.month.empty() && o.filter.range.empty(),
            "--month and --period are for --type monthly and summary");
    ReconciliationRequest req;
    req.filter = o.filter;
    req.filter.range = o.start_date + ".." + o.end_date;
    req.against = o.against;
    req.invoice = o.invoice;
    if (!o.format.empty()) {
        req.importer = find_usage_importer(o.format);
        require(req.importer || o.format == "csv" || o.format == "json" || o.format == "ndjson",
                "--format " + o.format + ": use an importer name (see 'cost-ops ingest --help')");
    }
    req.mapping.default_organization = o.default_organization;
    std::string why;
    require(costops::Decimal::try_parse(o.tolerance, req.tolerance, why) &&
                req.tolerance >= costops::Decimal(),
            "--tolerance '" + o.tolerance + "': a non-negative exact amount in USD, e.g. 0.01");
    ReconciliationReport report = reconciliation_report(ctx.connection(), req);
    write_report(report.doc, o.output);
    int64_t differing = static_cast<int64_t>(report.differing_groups);
    std::cout << "reconciliation " << report.doc.status << ": " << counted(differing, "group")
              << " (day x provider x model) " << (differing == 1 ? "differs" : "differ")
              << "; report written to " << o.output << "\n";
    for (const auto& line : report.summary) std::cout << "  " << line << "\n";
    for (const auto& line : report.rejected) std::cerr << "cost-ops: " << line << "\n";
    if (report.doc.status != "PASS") throw CliError("reconciliation FAIL", 1);
}

// Writes a monthly report (--month, default last month) or a period's (--type summary).
void run_monthly(Context& ctx, const ReportOptions& o) {
    require(o.start_date.empty() && o.end_date.empty() && o.against.empty() && o.invoice.empty() &&
                o.tolerance == "0",
            "--start-date, --end-date, --against, --invoice and --tolerance are for --type "
            "reconciliation");
    MonthlyRequest req;
    req.filter = o.filter;
    req.top_users = o.top_users;
    if (o.type == "monthly") {
        require(o.filter.range.empty(),
                "--type monthly takes --month; --period is for --type summary");
        req.month = o.month.empty() ? last_month(ctx.connection(), o.filter.timezone) : o.month;
        req.filter.range = month_range(req.month);
    } else {
        require(o.month.empty(), "--type summary takes --period; --month is for --type monthly");
    }
    ReportDocument doc = monthly_report(ctx.connection(), req);
    write_report(doc, o.output);
    std::cout << doc.title << " written to " << o.output << ": " << doc.sections[0].facts[0].second
              << " requests, total_cost " << doc.sections[0].facts.back().second << "\n";
}

}  // namespace

void register_report_command(CLI::App& app, Context& ctx) {
    auto* report = add_command(app, "report", "Reports: reconciliation, monthly, any period.");
    report->require_subcommand(1);
    auto* cmd = add_command(
        *report, "generate",
        "Write a reconciliation, monthly or period report as PDF, HTML or JSON.\n"
        "The --output file's extension picks the format: .pdf (charts; text that pdftotext\n"
        "extracts), .html (one self-contained page, charts as inline SVG) or .json (every\n"
        "figure; costs as exact decimal strings).\n"
        "--type reconciliation compares the database's records in --start-date..--end-date (days\n"
        "of --timezone, default UTC; the end date is included whole) with a reference, per day x\n"
        "provider x model:\n"
        "  --against FILE   an original export in any format 'cost-ops ingest' reads (--format\n"
        "                   for an importer): record counts and prompt, completion, cached and\n"
        "                   total tokens always; costs when the reference carries them (a\n"
        "                   total_cost column, or the source tool's cost an importer keeps as\n"
        "                   metadata.source_cost) against the total_cost the database computed.\n"
        "  --invoice FILE   a provider invoice CSV with a header row: date (YYYY-MM-DD), model,\n"
        "                   cost (exact decimal, USD), optional provider and tokens columns: its\n"
        "                   cost (and tokens: total_tokens) per day x [provider x] model; an\n"
        "                   invoice without a provider column is --provider's.\n"
        "  Counts and tokens must be equal; a group's cost may differ by at most --tolerance;\n"
        "  records (by provider, organization_id, request_id) must be on both sides.\n"
        "  Every differing group is listed (here and in the report), with unpriced records and "
        "the\n"
        "  open rejects of the ingest runs that stored the range's records. A group one side\n"
        "  lacks reads \"not in the database\" / \"not in the reference file\" (\"invoice\"); a\n"
        "  cost no record of a side has (all unpriced) reads \"unpriced\", never 0 (JSON: null,\n"
        "  and missing_from names the side lacking the group).\n"
        "  An --against record that cannot be read (a field ingest refuses, a cost that is no\n"
        "  exact decimal) is rejected: left out, named on stderr and in the report (file, line,\n"
        "  field, reason), counted, and the result is FAIL: it was not checked.\n"
        "  Exit status: 0 PASS, 1 FAIL (any difference or rejected reference record), 2 bad\n"
        "  options or an unusable reference (missing file, not one valid record, a bad invoice\n"
        "  row).\n"
        "--type monthly (--month YYYY-MM, default last month) and --type summary (--period, any\n"
        "range summary takes): totals (summary's own query: the same figures), month over month\n"
        "(monthly), cost per day stacked by model, by provider, model, organization, project, top\n"
        "users, and cache savings (what cache reads saved against the uncached input price of the\n"
        "price row that priced each record).\n"
        "Examples:\n"
        "  cost-ops report generate --type reconciliation --start-date 2025-01-01 \\\n"
        "      --end-date 2025-01-31 --against usage_export.csv --output reconciliation.pdf\n"
        "  cost-ops report generate --type reconciliation --start-date 2025-01-01 \\\n"
        "      --end-date 2025-01-31 --invoice openai_invoice.csv --provider openai \\\n"
        "      --tolerance 0.01 --output reconciliation.json\n"
        "  cost-ops report generate --type monthly --month 2025-01 --output january.pdf\n"
        "  cost-ops report generate --type summary --period last-30-days --output costs.html");
    auto o = std::make_shared<ReportOptions>();
    cmd->add_option("--type", o->type, "reconciliation, monthly or summary")
        ->required()
        ->check(CLI::IsMember({"reconciliation", "monthly", "summary"}));
    cmd->add_option("--output,-o", o->output, "the report file: NAME.pdf, NAME.html or NAME.json")
        ->required();
    cmd->add_option("--start-date", o->start_date, "reconciliation: first day (YYYY-MM-DD)");
    cmd->add_option("--end-date", o->end_date, "reconciliation: last day, included whole");
    cmd->add_option("--against", o->against,
                    "reconciliation: the original export to compare with (any ingest format)");
    cmd->add_option("--format", o->format,
                    "the --against file's format: csv, json, ndjson (default: detected) or an "
                    "importer (helicone, langsmith, ...)");
    cmd->add_option("--default-organization", o->default_organization,
                    "organization_id for --against records that have none (as ingest's)");
    cmd->add_option("--invoice", o->invoice,
                    "reconciliation: an invoice CSV (date, [provider,] model, cost[, tokens])");
    cmd->add_option("--tolerance", o->tolerance,
                    "reconciliation: largest cost difference per group that still passes, an "
                    "exact amount in USD (default 0: exact)");
    cmd->add_option("--month", o->month, "monthly: the month, YYYY-MM (default: last month)");
    add_range_options(*cmd, o->filter, "--period");
    add_key_filter_options(*cmd, o->filter);
    cmd->add_option("--top-users", o->top_users, "monthly/summary: users listed (default 10)")
        ->check(CLI::Range(1, 1000));
    cmd->callback([&ctx, o] {
        if (o->type == "reconciliation") {
            run_reconciliation(ctx, *o);
        } else {
            run_monthly(ctx, *o);
        }
    });
}

}  // namespace costops::cli
