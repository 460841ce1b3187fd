// One `cost-ops ingest`: read a file, check every record, store each once, keep the bad ones
// (or refuse the whole file), record the run; the database prices what is stored.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "../importers/usage/usage_importer.hpp"
#include "../readers/record_reader.hpp"
#include "reject_store.hpp"
#include "usage_record.hpp"

namespace costops::cli {

// abort: one transaction, nothing stored when any record is bad; reject: good records land
// batch by batch, bad ones are kept in cost_ops.ingest_rejects; skip: like reject, bad ones
// only reported.
enum class OnError { Abort, Reject, Skip };

// "abort", "reject" or "skip".
const char* on_error_name(OnError mode);

struct IngestOptions {
    std::string file;                         // "-" for standard input
    std::optional<InputFormat> format;        // detected when empty
    const UsageImporter* importer = nullptr;  // another tool's export (--format NAME)
    size_t batch_size = 5000;                 // records per COPY statement (and commit)
    bool validate_only = false;
    OnError on_error = OnError::Abort;
    bool quiet = false;
    std::optional<std::string> log_file;
    MappingOptions mapping;
};

// A record that could not be stored, for the report.
struct RejectedRecord {
    SourcePlace place;
    std::string reason;
};

struct IngestResult {
    int64_t run_id = 0;
    int64_t resumed_after = 0;  // records an interrupted run had committed; 0 for a new run
    int64_t records_read = 0;
    int64_t inserted = 0, skipped = 0;  // by this process
    int64_t priced = 0, unpriced = 0;
    int64_t rejected = 0;
    int64_t not_usage = 0;     // source records an importer found to be no usage (a chain run...)
    int64_t rejects_kept = 0;  // newly stored in cost_ops.ingest_rejects
    std::vector<RejectedRecord> first_rejects;  // the first few, for the report
    std::vector<std::string> warnings;          // unknown fields and the like
    bool committed = false;
    double seconds = 0;
};

// Runs the ingest; `conn` may be null when validate_only. Throws CliError for input that cannot
// be read at all and for database failures (naming the record that caused them).
IngestResult run_ingest(const IngestOptions& options, pqxx::connection* conn);

// Feeds source records to a pipeline: calls `emit` for each, in order.
using RecordProducer = std::function<void(const RecordCallback& emit)>;

// Hears what became of each record: stored or skipped as a duplicate (reject null), or the
// reject it is (which the hook then keeps, instead of the pipeline).
using OutcomeHook = std::function<void(pqxx::dbtransaction& tx, int64_t run_id, const SourcePlace&,
                                       const Reject* reject)>;

// Stores the records `produce` yields as run `label` (format name `format`), the way run_ingest
// stores a file's, in one transaction; used by `rejects retry`.
IngestResult run_records(const IngestOptions& options, pqxx::connection& conn,
                         const std::string& label, const std::string& format,
                         const RecordProducer& produce, const OutcomeHook& on_outcome);

}  // namespace costops::cli
