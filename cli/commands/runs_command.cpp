// cost-ops runs list: every ingest recorded in cost_ops.ingest_runs, and what became of it.
#include <iostream>

#include "../db/result_rows.hpp"
#include "commands.hpp"

namespace costops::cli {

void register_runs_command(CLI::App& app, Context& ctx) {
    auto* runs = add_command(app, "runs", "Show the ingest runs: what each read and stored.");
    runs->require_subcommand(1);
    auto* cmd = add_command(
        *runs, "list",
        "List ingest runs, newest first.\n"
        "status is completed, failed, running (an ingest is reading it now) or interrupted\n"
        "(killed, stopped by Ctrl-C or disconnected: run the same ingest command again to\n"
        "resume it). sha256 is the checksum of the bytes read (sha256sum's).\n"
        "Example: cost-ops runs list --limit 5");
    auto output = std::make_shared<std::string>("table");
    auto limit = std::make_shared<long>(20);
    cmd->add_option("--output", *output, "table, csv, json or ndjson")
        ->check(CLI::IsMember({"table", "csv", "json", "ndjson"}));
    cmd->add_option("--limit", *limit, "how many runs (default 20)")->check(CLI::PositiveNumber);
    cmd->callback([&ctx, output, limit] {
        pqxx::work tx(ctx.connection());
        // A "running" row whose live-run advisory lock nobody holds was interrupted.
        auto rows = tx.exec_params(
            "SELECT r.id, r.source, r.format, r.on_error, CASE WHEN r.status = 'running' AND NOT "
            "EXISTS (SELECT 1 FROM pg_catalog.pg_locks AS l WHERE l.locktype = 'advisory' AND "
            "l.classid = 1668248436::oid AND l.objid = r.id::oid AND l.objsubid = 2) THEN "
            "'interrupted' ELSE r.status END, r.started_at, r.finished_at, r.records_read, "
            "r.records_inserted, r.records_skipped, r.records_rejected, r.source_sha256, r.error "
            "FROM cost_ops.ingest_runs AS r ORDER BY r.id DESC LIMIT $1",
            *limit);
        static const std::vector<Column> columns = {{"id", ColumnKind::Integer},
                                                    {"source"},
                                                    {"format"},
                                                    {"on_error"},
                                                    {"status"},
                                                    {"started_at", ColumnKind::Timestamp},
                                                    {"finished_at", ColumnKind::Timestamp},
                                                    {"read", ColumnKind::Integer},
                                                    {"inserted", ColumnKind::Integer},
                                                    {"skipped", ColumnKind::Integer},
                                                    {"rejected", ColumnKind::Integer},
                                                    {"sha256"},
                                                    {"error"}};
        write_result(*make_row_sink(parse_output_format(*output), std::cout), columns, rows);
    });
}

}  // namespace costops::cli
