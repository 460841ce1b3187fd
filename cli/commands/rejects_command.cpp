// cost-ops rejects list|retry|dismiss: the records ingest kept in cost_ops.ingest_rejects.
#include <iostream>
#include <cctype>
#include <map>

#include "../cli_error.hpp"
#include "../ingest/ingest_run.hpp"
#include "../db/result_rows.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// Which rejects a subcommand works on.
struct RejectFilter {
    std::optional<int64_t> run;
    std::vector<int64_t> ids;
    bool include_resolved = false;
};

// The WHERE clause (on alias r) selecting the filter's rejects.
std::string where_rejects(const RejectFilter& f, pqxx::connection& conn) {
    std::string sql = f.include_resolved ? " WHERE true" : " WHERE r.resolved_at IS NULL";
    if (f.run) sql += " AND r.run_id = " + std::to_string(*f.run);
    if (!f.ids.empty()) {
        std::string list;
        for (int64_t id : f.ids) list += (list.empty() ? "" : ",") + std::to_string(id);
        sql += " AND r.id IN (" + list + ")";
    }
    return sql;
}

// Adds --run, --id to a subcommand.
void add_filter_options(CLI::App& cmd, RejectFilter& f) {
    cmd.add_option("--run", f.run,
                   "only the rejects of this ingest run (see 'cost-ops runs list')");
    cmd.add_option("--id", f.ids, "only these rejects (repeat or comma-separate)")->delimiter(',');
}

// Whether the current role may read rejects' raw input and reasons (a cost_ops_reader may not:
// they hold, or quote, whatever the source held, prompts or keys included).
bool may_read_raw_input(pqxx::work& tx) {
    return tx
        .exec(
            "SELECT has_column_privilege('cost_ops.ingest_rejects', 'raw', 'SELECT') "
            "AND has_column_privilege('cost_ops.ingest_rejects', 'reason', 'SELECT')")[0][0]
        .as<bool>();
}

// cost-ops rejects list.
void register_list(CLI::App& parent, Context& ctx) {
    auto* cmd = add_command(
        parent, "list",
        "Show kept rejects: where each came from, what is wrong, as the source had it.\n"
        "--raw prints only the records, one per line, to fix and ingest again:\n"
        "  cost-ops rejects list --run 7 --raw > fixed.ndjson   # edit, then\n"
        "  cost-ops ingest --file fixed.ndjson && cost-ops rejects dismiss --run 7");
    auto f = std::make_shared<RejectFilter>();
    auto output = std::make_shared<std::string>("table");
    auto raw = std::make_shared<bool>(false);
    add_filter_options(*cmd, *f);
    cmd->add_flag("--all", f->include_resolved, "include rejects already stored or dismissed");
    cmd->add_flag("--raw", *raw, "print only each record's raw text, one per line");
    cmd->add_option("--output", *output, "table, csv, json or ndjson")
        ->check(CLI::IsMember({"table", "csv", "json", "ndjson"}));
    cmd->callback([&ctx, f, output, raw] {
        pqxx::connection& conn = ctx.connection();
        pqxx::work tx(conn);
        bool may_read_raw = may_read_raw_input(tx);
        if (*raw && !may_read_raw) {
            throw CliError(
                "rejects list --raw: this role may not read rejects' raw input (a "
                "cost_ops_writer or cost_ops_admin may; or GRANT SELECT (reason, raw) ON "
                "cost_ops.ingest_rejects TO it)");
        }
        if (!may_read_raw) {
            std::cerr << "reasons and raw input not shown: this role may not read them "
                         "(cost_ops_reader; they quote the source)\n";
        }
        auto rows = tx.exec("SELECT r.id, r.run_id, r.source, r.line, r.record, r.kind, r.field, " +
                            std::string(may_read_raw ? "r.reason" : "NULL::text") +
                            ", r.conflicts_with, r.rejected_at, r.resolution, " +
                            std::string(may_read_raw ? "r.raw" : "NULL::text") +
                            " FROM cost_ops.ingest_rejects AS r" + where_rejects(*f, conn) +
                            " ORDER BY r.id");
        if (*raw) {
            for (const auto& row : rows) std::cout << row[11].c_str() << "\n";
            return;
        }
        static const std::vector<Column> columns = {{"id", ColumnKind::Integer},
                                                    {"run", ColumnKind::Integer},
                                                    {"source"},
                                                    {"line", ColumnKind::Integer},
                                                    {"record", ColumnKind::Integer},
                                                    {"kind"},
                                                    {"field"},
                                                    {"reason"},
                                                    {"conflicts_with", ColumnKind::Integer},
                                                    {"rejected_at", ColumnKind::Timestamp},
                                                    {"resolution"},
                                                    {"raw"}};
        write_result(*make_row_sink(parse_output_format(*output), std::cout), columns, rows);
    });
}

// A reject as read back for a retry.
struct StoredReject {
    int64_t id;
    std::string kind, raw, source, format;
    int64_t line;
};

// Whether a reject's JSON text holds a \xNN written for a byte that was not UTF-8 (in JSON
// text, a backslash is itself escaped: \\xNN).
bool has_escaped_byte(const std::string& raw) {
    for (size_t i = raw.find("\\\\x"); i != std::string::npos; i = raw.find("\\\\x", i + 1)) {
        if (i + 4 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 3])) &&
            std::isxdigit(static_cast<unsigned char>(raw[i + 4]))) {
            return true;
        }
    }
    return false;
}

// The source record a reject's raw text holds; false (with `why`) when it cannot be retried.
bool reject_record(const StoredReject& r, SourceRecord& out, std::string& why) {
    out.place = {r.source, static_cast<size_t>(r.line), static_cast<size_t>(r.id)};
    // Bytes that were not UTF-8 were written \xNN (older versions: replaced by U+FFFD) when the
    // record was kept: storing it now would store that text, not the source's bytes.
    if (r.raw.find("\xEF\xBF\xBD") != std::string::npos || has_escaped_byte(r.raw)) {
        why =
            "its text had bytes that are not UTF-8 (kept as \\xNN): correct the raw text "
            "first (UPDATE cost_ops.ingest_rejects SET raw = ... WHERE id = " +
            std::to_string(r.id) + ")";
        return false;
    }
    try {
        out.fields = parse_json_exact(r.raw);
    } catch (const JsonSyntaxError& e) {
        why = r.format == "csv" ? "a CSV line that could not be read: fix it in the source file"
                                : std::string("its raw text is not valid JSON: ") + e.what();
        return false;
    }
    if (!out.fields.is_object()) {
        why = "its raw text is not a JSON object";
        return false;
    }
    return true;
}

// Marks reject `id` stored by `run`, or records what is wrong with it now.
void settle(pqxx::dbtransaction& tx, int64_t id, int64_t run, const Reject* again) {
    if (!again) {
        tx.exec_params0(
            "UPDATE cost_ops.ingest_rejects SET resolved_at = now(), resolution = 'stored', "
            "resolved_by_run = $2 WHERE id = $1",
            id, run);
        return;
    }
    tx.exec_params0(
        "UPDATE cost_ops.ingest_rejects SET kind = $2, field = NULLIF($3, ''), reason = $4, "
        "conflicts_with = $5, existing = $6::jsonb WHERE id = $1",
        id, reject_kind_name(again->kind), again->field, again->reason, again->conflicts_with,
        again->existing);
}

// cost-ops rejects retry.
void register_retry(CLI::App& parent, Context& ctx) {
    auto* cmd = add_command(
        parent, "retry",
        "Ingest kept rejects again, each read the way its run read it (format, importer).\n"
        "Records that now pass are stored (the reject is marked stored); the others stay, with\n"
        "their current reason. Fix what made them fail first: add a price or alias, pass a\n"
        "default organization, or correct the raw text (UPDATE cost_ops.ingest_rejects SET\n"
        "raw = ... WHERE id = ...). All in one transaction. To take the newer version of a\n"
        "conflict, delete the stored record it names (conflicts_with) first; the reject keeps\n"
        "the stored version (existing).\n"
        "Example: cost-ops rejects retry --run 7 --default-organization org-main");
    auto f = std::make_shared<RejectFilter>();
    auto options = std::make_shared<IngestOptions>();
    add_filter_options(*cmd, *f);
    cmd->add_option("--default-organization", options->mapping.default_organization,
                    "organization_id for records that have none");
    cmd->callback([&ctx, f, options] {
        pqxx::connection& conn = ctx.connection();
        std::map<std::string, std::vector<StoredReject>> by_format;
        {
            pqxx::work tx(conn);
            for (const auto& row :
                 tx.exec("SELECT r.id, r.kind, r.raw, r.source, run.format, coalesce(r.line, 0) "
                         "FROM cost_ops.ingest_rejects AS r JOIN cost_ops.ingest_runs AS run ON "
                         "run.id = r.run_id" +
                         where_rejects(*f, conn) + " ORDER BY r.id")) {
                StoredReject r{row[0].as<int64_t>(),     row[1].as<std::string>(),
                               row[2].as<std::string>(), row[3].as<std::string>(),
                               row[4].as<std::string>(), row[5].as<int64_t>()};
                by_format[r.format].push_back(std::move(r));
            }
        }
        if (by_format.empty()) {
            std::cout << "no rejects to retry\n";
            return;
        }
        int64_t stored = 0, still = 0;
        for (const auto& [format, rejects] : by_format) {
            options->importer = find_usage_importer(format);
            options->on_error = OnError::Reject;
            options->file = "rejects";
            std::vector<std::string> unreadable;
            auto produce = [&](const RecordCallback& emit) {
                for (const StoredReject& r : rejects) {
                    SourceRecord record;
                    std::string why;
                    if (reject_record(r, record, why)) {
                        emit(std::move(record));
                    } else {
                        unreadable.push_back("reject " + std::to_string(r.id) + ": " + why);
                    }
                }
            };
            auto hook = [&](pqxx::dbtransaction& tx, int64_t run_id, const SourcePlace& place,
                            const Reject* again) {
                settle(tx, static_cast<int64_t>(place.record), run_id, again);
                again ? ++still : ++stored;
            };
            IngestResult result =
                run_records(*options, conn, "rejects retry", format, produce, hook);
            for (const auto& w : result.warnings) std::cerr << "cost-ops: warning: " << w << "\n";
            for (const auto& line : unreadable)
                std::cerr << "cost-ops: not retried: " << line << "\n";
            still += static_cast<int64_t>(unreadable.size());
        }
        std::cout << "retried " << counted(stored + still, "reject") << ": " << stored
                  << " stored, " << still << " still rejected\n";
        if (still > 0) {
            throw CliError(counted(still, "reject") + (still == 1 ? " still fails" : " still fail"),
                           3);
        }
    });
}

// cost-ops rejects dismiss.
void register_dismiss(CLI::App& parent, Context& ctx) {
    auto* cmd = add_command(parent, "dismiss",
                            "Set rejects aside (they stay in the table, marked dismissed).\n"
                            "Example: cost-ops rejects dismiss --id 12,13");
    auto f = std::make_shared<RejectFilter>();
    add_filter_options(*cmd, *f);
    cmd->callback([&ctx, f] {
        if (!f->run && f->ids.empty()) throw CliError("name the rejects: --run N or --id N");
        pqxx::connection& conn = ctx.connection();
        pqxx::work tx(conn);
        auto done = tx.exec(
            "UPDATE cost_ops.ingest_rejects AS r SET resolved_at = now(), resolution = "
            "'dismissed'" +
            where_rejects(*f, conn));
        if (done.affected_rows() == 0) {
            throw CliError("no unresolved rejects match (see 'cost-ops rejects list --all')");
        }
        tx.commit();
        std::cout << "dismissed " << counted(done.affected_rows(), "reject") << "\n";
    });
}

}  // namespace

void register_rejects_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(app, "rejects",
                            "Look at, retry or dismiss the records ingest --on-error reject kept.");
    cmd->require_subcommand(1);
    register_list(*cmd, ctx);
    register_retry(*cmd, ctx);
    register_dismiss(*cmd, ctx);
}

}  // namespace costops::cli
