#include "run_ledger.hpp"

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// The first key of the session advisory lock a live run holds (its id is the second).
constexpr int kRunLockClass = 0x636f7374;  // "cost"

// Takes the live-run lock of run `id`; false when another session holds it.
bool lock_run(pqxx::connection& conn, int64_t id) {
    pqxx::nontransaction tx(conn);
    return tx
        .exec_params1("SELECT pg_catalog.pg_try_advisory_lock($1, $2::int4)", kRunLockClass, id)[0]
        .as<bool>();
}

// The counts of a stored run row, from its columns 1..5.
RunCounts counts_of(const pqxx::row& row) {
    return {row[1].as<int64_t>(), row[2].as<int64_t>(), row[3].as<int64_t>(), row[4].as<int64_t>(),
            row[5].as<int64_t>()};
}

}  // namespace

RunLedger::RunLedger(pqxx::connection& conn, const RunSource& source, const std::string& format,
                     const std::string& on_error, bool resumable) {
    if (source.path && source.head_sha256) {
        pqxx::result earlier;
        {
            pqxx::nontransaction tx(conn);
            earlier = tx.exec_params(
                "SELECT id, records_read, records_inserted, records_skipped, records_rejected, "
                "records_committed, format, on_error, started_at, run_by "
                "FROM cost_ops.ingest_runs WHERE status = 'running' AND source_path = $1 "
                "AND source_bytes = $2 AND source_head_sha256 = $3 ORDER BY id DESC",
                *source.path, source.bytes, *source.head_sha256);
        }
        for (const auto& row : earlier) {
            int64_t id = row[0].as<int64_t>();
            if (!lock_run(conn, id)) {
                throw CliError("run " + std::to_string(id) + " (started " +
                               row[8].as<std::string>() + " by " + row[9].as<std::string>() +
                               ") is ingesting " + source.source +
                               " right now; wait for it to finish");
            }
            bool same = row[6].as<std::string>() == format && row[7].as<std::string>() == on_error;
            if (resumable && same && id_ == 0 && row[5].as<int64_t>() > 0) {
                id_ = id;
                resumed_ = counts_of(row);
                continue;
            }
            pqxx::work tx(conn);
            tx.exec_params0(
                "UPDATE cost_ops.ingest_runs SET status = 'failed', finished_at = now(), "
                "error = 'interrupted; not resumed' WHERE id = $1",
                id);
            tx.commit();
            pqxx::nontransaction(conn).exec_params(
                "SELECT pg_catalog.pg_advisory_unlock($1, $2::int4)", kRunLockClass, id);
        }
        if (id_ != 0) return;
    }
    pqxx::work tx(conn);
    id_ = tx.exec_params1(
                "INSERT INTO cost_ops.ingest_runs (source, source_path, source_bytes, "
                "source_head_sha256, format, on_error) VALUES ($1, $2, $3, $4, $5, $6) "
                "RETURNING id",
                source.source, source.path, source.bytes, source.head_sha256, format, on_error)[0]
              .as<int64_t>();
    tx.commit();
    lock_run(conn, id_);
}

void RunLedger::advance(pqxx::dbtransaction& tx, const RunCounts& c) {
    tx.exec_params0(
        "UPDATE cost_ops.ingest_runs SET records_read = $2, records_inserted = $3, "
        "records_skipped = $4, records_rejected = $5, records_committed = $6 WHERE id = $1",
        id_, c.read, c.inserted, c.skipped, c.rejected, c.committed);
}

void RunLedger::complete(pqxx::dbtransaction& tx, const RunCounts& c, const std::string& sha256) {
    advance(tx, c);
    tx.exec_params0(
        "UPDATE cost_ops.ingest_runs SET status = 'completed', finished_at = now(), "
        "source_sha256 = NULLIF($2, '') WHERE id = $1",
        id_, sha256);
}

void RunLedger::fail(pqxx::connection& conn, const RunCounts& c, const std::string& error) {
    pqxx::work tx(conn);
    tx.exec_params0(
        "UPDATE cost_ops.ingest_runs SET status = 'failed', finished_at = now(), error = $2, "
        "records_read = $3, records_rejected = $4 WHERE id = $1",
        id_, error, c.read, c.rejected);
    tx.commit();
}

}  // namespace costops::cli
