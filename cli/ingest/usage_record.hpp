// A usage record checked and normalized by the CLI, ready for COPY; the database prices it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../output/row_sink.hpp"
#include "../readers/record_reader.hpp"
#include "usage.hpp"

namespace costops::cli {

struct UsageRecord {
    std::string timestamp;  // timestamptz text with an explicit zone
    std::string provider;   // lower case
    std::string model;
    std::string organization_id;
    std::optional<std::string> project_id, user_id, request_id;
    int64_t prompt_tokens = 0, completion_tokens = 0;
    std::optional<int64_t> total_tokens;
    int64_t cached_tokens = 0, cache_write_tokens = 0, reasoning_tokens = 0;
    int64_t cache_write_1h_tokens = 0;
    std::string service_tier = "standard";
    std::optional<int64_t> latency_ms;
    std::optional<std::string> metadata;    // JSON object text
    RequestShape requests;                  // one request, unless the record is a bucket
    std::optional<std::string> period_end;  // a bucket's end (timestamptz text, UTC)
};

// What is wrong with one field of one record; the message names the field ("field: why").
struct FieldError {
    std::string field;
    std::string message;
};

// Options that fill what a source may leave out.
struct MappingOptions {
    std::optional<std::string> default_organization;
};

// Maps a source record to a UsageRecord; returns every field error found (empty = valid).
std::vector<FieldError> map_usage_record(const SourceRecord& source, const MappingOptions& options,
                                         UsageRecord& out);

// Field names a record may carry; others are reported as unknown.
bool is_known_usage_field(const std::string& name);

// The columns of cost_ops.usage_records that COPY fills, and a record as their values; the
// last kRequestShapeColumns are the request shape (request_count, its prompt bounds, the
// period_end of a bucket).
constexpr size_t kRequestShapeColumns = 4;
const std::vector<std::string>& usage_copy_columns();
Row usage_copy_row(const UsageRecord& record);

}  // namespace costops::cli
