// Stores one batch of checked usage records exactly once. The fast path is one COPY; when the
// batch holds a record whose identity is already stored (a re-run, an overlapping file, a
// duplicate inside the file), the batch goes through a staging table instead: identical
// copies are skipped and counted, a different record claiming a stored identity is returned
// as a conflict (the caller keeps it as a reject), and everything else is inserted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "../db/copy_writer.hpp"
#include "../output/row_sink.hpp"

namespace costops::cli {

// A record that claims a stored identity with different content.
struct Conflict {
    size_t index;           // position in the batch
    int64_t existing_id;    // the usage record holding the identity
    std::string existing;   // that record as JSON
    std::string differing;  // "model, prompt_tokens": the fields that differ
};

struct BatchOutcome {
    int64_t inserted = 0, skipped = 0;
    int64_t priced = 0, unpriced = 0;  // of the inserted, by the pricing trigger
    std::vector<Conflict> conflicts;
};

class BatchStore {
  public:
    // The columns of a stored row: the record's, then record_key and ingest_run_id.
    static const std::vector<std::string>& columns();

    // Starts the batch's COPY (behind a savepoint) on the first row; sends rows as they come.
    void add(pqxx::dbtransaction& tx, Row&& row);
    size_t pending() const { return rows_.size(); }
    // Takes the rows of a batch that failed, to send them again without the refused one.
    std::vector<Row> take_rows() { return std::move(rows_); }

    // Ends the batch inside `tx`. A failure other than an identity clash rolls the batch back
    // and throws CopyFailed naming its row (1-based) in the batch.
    BatchOutcome finish(pqxx::dbtransaction& tx);

  private:
    // The batch through the staging table (after a unique violation).
    BatchOutcome store_one_by_identity(pqxx::dbtransaction& tx);
    std::optional<BatchOutcome> try_by_identity(pqxx::dbtransaction& tx,
                                                const std::vector<std::string>& staged_columns,
                                                std::pair<int64_t, int64_t> before);

    std::unique_ptr<CopyWriter> writer_;
    std::vector<Row> rows_;
    std::pair<int64_t, int64_t> counters_before_{0, 0};  // the trigger's, when the attempt began
};

}  // namespace costops::cli
