// One `cost-ops ingest`: read a file, check every record, COPY the good ones in batches inside
// one transaction, and let the database price them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "../readers/record_reader.hpp"
#include "usage_record.hpp"

namespace costops::cli {

enum class OnError { Abort, Skip };

struct IngestOptions {
    std::string file;                   // "-" for standard input
    std::optional<InputFormat> format;  // detected when empty
    size_t batch_size = 5000;           // records per COPY statement
    bool validate_only = false;
    OnError on_error = OnError::Abort;
    bool quiet = false;
    MappingOptions mapping;
};

// A record that could not be ingested.
struct RejectedRecord {
    SourcePlace place;
    std::vector<FieldError> errors;
};

struct IngestResult {
    size_t records_read = 0;
    size_t records_valid = 0;
    size_t records_written = 0;  // 0 unless committed
    int64_t priced = 0, unpriced = 0;
    size_t rejected = 0;                        // records with errors
    std::vector<RejectedRecord> first_rejects;  // the first few, for the report
    std::vector<std::string> warnings;          // unknown fields and the like
    bool committed = false;
    double seconds = 0;
};

// Runs the ingest; `conn` may be null when validate_only. Throws CliError for input that cannot
// be read at all and for database failures (naming the record that caused them).
IngestResult run_ingest(const IngestOptions& options, pqxx::connection* conn);

// "file:line (record n), field: message" for a report.
std::string describe_reject(const RejectedRecord& reject);

}  // namespace costops::cli
