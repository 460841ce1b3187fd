#include "run_ledger.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include "../cli_error.hpp"
#include "sha256.hpp"

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
    return {row[1].as<int64_t>(),
            row[2].as<int64_t>(),
            row[3].as<int64_t>(),
            row[4].as<int64_t>(),
            row[5].as<int64_t>(),
            {},
            {}};
}

// SHA-256 of the first `bytes` bytes of `path` (empty when it has fewer).
std::string prefix_sha256(const std::string& path, int64_t bytes) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buffer(1 << 16);
    Sha256 digest;
    while (bytes > 0 && in) {
        in.read(buffer.data(), static_cast<std::streamsize>(
                                   std::min<int64_t>(bytes, static_cast<int64_t>(buffer.size()))));
        digest.update(buffer.data(), static_cast<size_t>(in.gcount()));
        bytes -= in.gcount();
    }
    return bytes == 0 ? digest.finish_hex() : std::string();
}

}  // namespace

RunLedger::RunLedger(pqxx::connection& conn, const RunSource& source, const std::string& format,
                     const std::string& on_error, bool resumable) {
    if (source.path) {
        pqxx::result earlier;
        {
            pqxx::nontransaction tx(conn);
            earlier = tx.exec_params(
                "SELECT id, records_read, records_inserted, records_skipped, records_rejected, "
                "records_committed, format, on_error, started_at, run_by, "
                "source_committed_bytes, source_committed_sha256 FROM cost_ops.ingest_runs WHERE "
                "status = 'running' AND source_path = $1 "
                "ORDER BY id DESC",
                *source.path);
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
            // The records it committed must be the file's records still: an edit before the
            // point where it stopped (a fixed line) makes it start over.
            bool unchanged =
                !row[10].is_null() &&
                prefix_sha256(*source.path, row[10].as<int64_t>()) == row[11].as<std::string>();
            if (resumable && same && unchanged && id_ == 0 && row[5].as<int64_t>() > 0) {
                id_ = id;
                resumed_ = counts_of(row);
                continue;
            }
            pqxx::work tx(conn);
            tx.exec_params0(
                "UPDATE cost_ops.ingest_runs SET status = 'failed', finished_at = now(), "
                "error = $2 WHERE id = $1",
                id,
                unchanged ? "interrupted; not resumed"
                          : "interrupted; not resumed: the file changed before where it stopped");
            tx.commit();
            pqxx::nontransaction(conn).exec_params(
                "SELECT pg_catalog.pg_advisory_unlock($1, $2::int4)", kRunLockClass, id);
        }
        if (id_ != 0) return;
    }
    pqxx::work tx(conn);
    id_ = tx.exec_params1(
                "INSERT INTO cost_ops.ingest_runs (source, source_path, source_bytes, "
                "format, on_error) VALUES ($1, $2, $3, $4, $5) "
                "RETURNING id",
                source.source, source.path, source.bytes, format, on_error)[0]
              .as<int64_t>();
    tx.commit();
    lock_run(conn, id_);
}

void RunLedger::advance(pqxx::dbtransaction& tx, const RunCounts& c) {
    tx.exec_params0(
        "UPDATE cost_ops.ingest_runs SET records_read = $2, records_inserted = $3, "
        "records_skipped = $4, records_rejected = $5, records_committed = $6, "
        "source_committed_bytes = $7, source_committed_sha256 = $8 WHERE id = $1",
        id_, c.read, c.inserted, c.skipped, c.rejected, c.committed, c.committed_bytes,
        c.committed_sha256);
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
