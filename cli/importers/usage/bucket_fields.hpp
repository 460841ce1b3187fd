// Readers shared by the importers of usage buckets (OpenAI and Anthropic usage APIs), LiteLLM
// spend-log rows and raw provider responses: counts that may arrive as CSV strings, unix times,
// service tiers, unknown members and the deterministic ids of aggregated buckets. Every reader
// records a FieldError naming the source path ("data[0].results[1].input_tokens: ...") itself.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "usage_importer.hpp"

namespace costops::cli {

// Records the error "path: why" for the source record.
void fail_field(ImportedRecords& out, const std::string& path, const std::string& why);

// "parent.key", or "key" when parent is empty.
std::string member_path(const std::string& parent, std::string_view key);

// "parent[index]".
std::string element_path(const std::string& parent, size_t index);

// The member `key` of `object`, or nullptr when `object` is no object, or the member is absent or
// null (CSV rows give null for an empty cell).
const Json* find_member(const Json& object, std::string_view key);

// The member `key` of `object` as find_member finds it, which must be present: nullptr and the
// error "path.key: missing" otherwise.
const Json* required_member(const Json& object, std::string_view key, const std::string& path,
                            ImportedRecords& out);

// A token count: a non-negative JSON integer, or a string of decimal digits (CSV).
std::optional<int64_t> count_value(const Json& value, const std::string& path,
                                   ImportedRecords& out);

// The count member `key` of `object` (at `path`); 0 when absent or null.
std::optional<int64_t> count_or_zero(const Json& object, std::string_view key,
                                     const std::string& path, ImportedRecords& out);

// The count member `key` of `object` (at `path`); an error when absent or null.
std::optional<int64_t> required_count(const Json& object, std::string_view key,
                                      const std::string& path, ImportedRecords& out);

// The sum of `terms`, or an error naming `path` when it does not fit a bigint.
std::optional<int64_t> checked_sum(const std::vector<int64_t>& terms, const std::string& path,
                                   ImportedRecords& out);

// An identifier member as text: a string (empty means absent) or a JSON integer's digits;
// nullopt when absent, and an error when it is of another type.
std::optional<std::string> text_member(const Json& object, std::string_view key,
                                       const std::string& path, ImportedRecords& out);

// An identifier member as text_member reads it, which must be present: when it is absent, the
// error is "missing" followed by `hint` (" (…)" or "").
std::optional<std::string> required_text(const Json& object, std::string_view key,
                                         const std::string& path, const std::string& hint,
                                         ImportedRecords& out);

// Unix seconds (a JSON integer or a digit string) as RFC 3339 UTC text "2025-03-01T00:00:00Z",
// computed with integer arithmetic; an error outside the years 1970 to 9999.
std::optional<std::string> unix_time_text(const Json& value, const std::string& path,
                                          ImportedRecords& out);

// A service tier as cost-ops names it (standard, batch, priority, flex, from the spellings
// parse_service_tier accepts); an error naming `path` for any other value.
std::optional<std::string> service_tier_text(const Json& value, const std::string& path,
                                             ImportedRecords& out);

// Pushes "prefix" + name for every member of `object` that is not in `known`.
void report_unknown(const Json& object, const std::string& prefix,
                    const std::vector<std::string_view>& known, ImportedRecords& out);

// A timestamp member as written, checked to be one cost-ops reads; an error naming `path`
// otherwise.
std::optional<std::string> timestamp_value(const Json& value, const std::string& path,
                                           ImportedRecords& out);

// The timestamp member `key` of `object` (at `path`) as timestamp_value reads it, which must be
// present.
std::optional<std::string> required_timestamp(const Json& object, std::string_view key,
                                              const std::string& path, ImportedRecords& out);

// Copies the members `keys` of `from` that are present and not null into `to`.
void copy_members(const Json& from, const std::vector<std::string_view>& keys, Json& to);

// The request_id of one result of an aggregated bucket, from the bucket's natural key:
// "source:start:dimension:dimension:..." with the result's `dimensions` in order (null as "",
// booleans as true/false), each part with '%' and ':' percent-encoded so that two different keys
// never give the same id.
std::string bucket_request_id(std::string_view source, const std::string& start, const Json& result,
                              const std::vector<std::string_view>& dimensions);

// The members of a usage API's pages and time buckets.
struct BucketLayout {
    std::vector<std::string_view> page_members;
    std::vector<std::string_view> bucket_members;
};

// Calls `on_bucket` for each time bucket of `source`: a page ({"data": [bucket, ...], ...}) or a
// single bucket ({"results": [...], ...}), with the bucket's path for errors ("data[0]" or "")
// and the prefix of its unknown member names ("data[]." or ""). Reports unknown page and bucket
// members.
void for_each_bucket(const Json& source, const BucketLayout& layout, ImportedRecords& out,
                     const std::function<void(const Json& bucket, const std::string& path,
                                              const std::string& unknown_prefix)>& on_bucket);

// Calls `on_result` for each element of the bucket's "results" array, with its path and unknown
// prefix; an error when the bucket has no such array.
void for_each_result(const Json& bucket, const std::string& path, const std::string& unknown_prefix,
                     ImportedRecords& out,
                     const std::function<void(const Json& result, const std::string& path,
                                              const std::string& unknown_prefix)>& on_result);

}  // namespace costops::cli
