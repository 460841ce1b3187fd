// cost_ops.ingest_rejects: each record an ingest could not store, kept with why and as the
// source had it, once (the same bad record ingested again is not kept twice).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "../readers/record_reader.hpp"

namespace costops::cli {

enum class RejectKind { Unreadable, Invalid, Conflict };

struct Reject {
    SourcePlace place;
    RejectKind kind = RejectKind::Invalid;
    std::string field;   // the first field at fault; empty when the record could not be read
    std::string reason;  // every problem found, "field: why; field: why"
    std::string raw;     // the record as the source had it
    std::optional<int64_t> conflicts_with;  // for a conflict: the stored usage record
    std::optional<std::string> existing;    // that record as JSON
};

// Keeps `reject` for run `run_id` inside `tx`; false when the same record with the same reason
// is already kept.
bool keep_reject(pqxx::dbtransaction& tx, int64_t run_id, const Reject& reject);

// "unreadable", "invalid" or "conflict", as stored.
const char* reject_kind_name(RejectKind kind);

}  // namespace costops::cli
