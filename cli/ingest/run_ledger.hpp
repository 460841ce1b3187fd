// cost_ops.ingest_runs for one ingest: the row is written before any record, advanced with
// every committed batch, and closed at the end; an interrupted run of the same file is found
// and resumed after its last committed record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

namespace costops::cli {

// What a run has done so far (cumulative across resumptions).
struct RunCounts {
    int64_t read = 0, inserted = 0, skipped = 0, rejected = 0;
    int64_t committed = 0;  // source records whose outcome is committed
    // The bytes of the file those records span and their SHA-256 (plain files; else none).
    std::optional<int64_t> committed_bytes;
    std::optional<std::string> committed_sha256;
};

// The file a run reads, as recorded.
struct RunSource {
    std::string source;  // as named; "-" for standard input
    std::optional<std::string> path;
    std::optional<int64_t> bytes;
};

class RunLedger {
  public:
    // Starts a run in its own transaction (so even a failed run stays recorded), or takes over
    // an interrupted run of the same file, format and mode when `resumable` and the bytes it
    // committed are unchanged. Refuses a file
    // another live ingest is reading.
    RunLedger(pqxx::connection& conn, const RunSource& source, const std::string& format,
              const std::string& on_error, bool resumable);

    int64_t id() const { return id_; }
    // The counts the run had when this process took it over (all zero for a new run).
    const RunCounts& resumed() const { return resumed_; }

    // Records `counts` inside the transaction that commits them.
    void advance(pqxx::dbtransaction& tx, const RunCounts& counts);
    // Closes the run as completed inside its last transaction.
    void complete(pqxx::dbtransaction& tx, const RunCounts& counts, const std::string& sha256);
    // Closes the run as failed, in a transaction of its own (the failed one has rolled back).
    void fail(pqxx::connection& conn, const RunCounts& counts, const std::string& error);

  private:
    int64_t id_ = 0;
    RunCounts resumed_;
};

}  // namespace costops::cli
