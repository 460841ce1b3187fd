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
#include <string_view>
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

// The rows of a batch as COPY text, kept until the batch is stored, to send them again.
class BatchRows {
  public:
    size_t size() const { return ends_.size(); }
    bool empty() const { return ends_.empty(); }
    // Row `i` with its newline.
    std::string_view row(size_t i) const {
        size_t begin = i ? ends_[i - 1] : 0;
        return std::string_view(text_).substr(begin, ends_[i] - begin);
    }
    // The text the caller appends a row to; end_row() marks where it ends.
    std::string& text() { return text_; }
    void end_row() { ends_.push_back(text_.size()); }
    void clear() {
        text_.clear();
        ends_.clear();
    }

  private:
    std::string text_;
    std::vector<size_t> ends_;
};

class BatchStore {
  public:
    // The columns of a stored row: the record's, then record_key and ingest_run_id.
    static const std::vector<std::string>& columns();

    // `run_id` is the ingest_run_id of every row stored.
    explicit BatchStore(const Cell& run_id);

    // Starts the batch's COPY (behind a savepoint) on the first row; sends rows as they come.
    // `record` is the record's usage_copy_row.
    void add(pqxx::dbtransaction& tx, const Row& record, const Cell& record_key);
    // Adds a row of a batch that failed (its COPY text, as BatchRows::row gives it).
    void add_row(pqxx::dbtransaction& tx, std::string_view row);
    size_t pending() const { return rows_.size(); }
    // Takes the rows of a batch that failed, to send them again without the refused one.
    BatchRows take_rows();

    // Ends the batch inside `tx`. A failure other than an identity clash rolls the batch back
    // and throws CopyFailed naming its row (1-based) in the batch.
    BatchOutcome finish(pqxx::dbtransaction& tx);

  private:
    // Starts the batch (before its first row).
    void begin(pqxx::dbtransaction& tx);
    // Ends a row appended to rows_ and sends what has piled up.
    void end_row();
    // The trigger's counters now (read once per batch: the end of one is the start of the
    // next, as nothing else prices rows in between).
    std::pair<int64_t, int64_t> counters_now(pqxx::dbtransaction& tx);
    // The batch through the staging table (after a unique violation).
    BatchOutcome store_one_by_identity(pqxx::dbtransaction& tx);
    std::optional<BatchOutcome> try_by_identity(pqxx::dbtransaction& tx,
                                                const std::vector<std::string>& staged_columns,
                                                std::pair<int64_t, int64_t> before);
    // Releases the batch's savepoint and sets the priced / unpriced counts of `outcome` from
    // the counters then and `before` (one round trip).
    void release_and_count(pqxx::dbtransaction& tx, std::pair<int64_t, int64_t> before,
                           BatchOutcome& outcome);

    std::string run_id_;  // as COPY text
    std::unique_ptr<CopyWriter> writer_;
    BatchRows rows_;
    size_t sent_ = 0;                                      // bytes of rows_ handed to the writer
    std::pair<int64_t, int64_t> counters_before_{0, 0};    // the trigger's, when the attempt began
    std::optional<std::pair<int64_t, int64_t>> counters_;  // the trigger's, when known
    // Whether row-level security applies to this role on usage_records (tenant isolation):
    // PostgreSQL refuses it COPY, so batches go through the staging table and an INSERT.
    std::optional<bool> row_security_;
};

}  // namespace costops::cli
