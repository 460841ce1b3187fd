// What the usage importers share: reading a source record field by field, every error and
// unknown name given by its path in the source ("data[0].results[1].input_tokens: ..."), exact
// token counts that may arrive as CSV strings, texts, timestamps and unix times, service tiers,
// pages of records or buckets, and the records they build.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "usage_importer.hpp"

namespace costops::cli {

// The field names a source object may carry.
using KnownFields = std::vector<std::string_view>;

// Where a value sits in a source record: `path` names it in errors ("data[2].usage.input");
// `name` leaves out element indices, so an unknown field is reported once ("usage.input").
struct SourcePath {
    std::string path;
    std::string name;

    // The path of member `key` of the value here.
    SourcePath member(std::string_view key) const;
    // The path of element `index` of the array here; its name stays the array's ("spans").
    SourcePath element(size_t index) const;
    // The path of element `index` of the array here, named as any element ("results[]").
    SourcePath marked_element(size_t index) const;
};

// Records "path: message" as an error of the value at `at` ("record: ..." at the top).
void fail_at(ImportedRecords& out, const SourcePath& at, const std::string& message);

// A token count at `at`: a non-negative JSON integer, or (CSV, OTLP intValue) a string of
// decimal digits, blanks around them allowed; anything else is an error and nullopt.
std::optional<int64_t> read_count(const Json& value, const SourcePath& at, ImportedRecords& out);

// What a text field may hold.
enum class TextRule {
    as_written,  // a string, even empty, or a number as written
    identifier,  // a non-empty string or a JSON integer's digits; "" counts as absent
};

// A text at `at` as `rule` reads it; anything else is an error and nullopt.
std::optional<std::string> read_text(const Json& value, const SourcePath& at, TextRule rule,
                                     ImportedRecords& out);

// The RFC 3339 UTC text of `nanos` nanoseconds after the Unix epoch, by integer arithmetic:
// "2025-03-03T10:15:30.123456789Z", the fraction without trailing zeros (none when whole).
std::string rfc3339_from_unix_nanos(int64_t nanos);

// The sum of `terms`, or nullopt when it is beyond bigint.
std::optional<int64_t> sum_counts(std::initializer_list<int64_t> terms);

// The error of token counts whose sum sum_counts refused.
inline constexpr const char* kSumBeyondBigint =
    "the token counts add up to more than a bigint holds";

// Whether a member whose value is null can be reported unknown.
enum class NullMembers {
    skipped,   // no: a null carries nothing (an empty CSV cell)
    reported,  // yes, like any other member
};

// One object of a source record, read field by field; errors and unknown names go to `out`.
class SourceObject {
  public:
    // Reads `value` found at `at`: an object, or (a CSV cell) the JSON text of one; anything
    // else is an error, and every field is absent.
    SourceObject(const Json& value, SourcePath at, ImportedRecords& out);
    // The members of `value` (nullptr for none) as given: when it is no object, every field is
    // absent, without an error (the reader of its fields reports what is missing).
    static SourceObject members_of(const Json* value, SourcePath at, ImportedRecords& out);

    // Whether the value was an object.
    bool valid() const { return object_ != nullptr; }
    // Where the object is, for the errors of importers that read its values themselves.
    const SourcePath& at() const { return at_; }
    // Whether errors were recorded since this object was read (its own and its members').
    bool has_errors() const { return out_->errors.size() > first_error_; }

    // Member `key`, or nullptr when it is absent or null.
    const Json* find(std::string_view key) const;
    // Whether member `key` is present and not null.
    bool has(std::string_view key) const { return find(key) != nullptr; }
    // Whether member `key` is the string `value`.
    bool is(std::string_view key, std::string_view value) const;
    // Records "path.key: message".
    void fail(std::string_view key, const std::string& message);

    // Member `key` as text (see read_text), nullopt when absent.
    std::optional<std::string> text(std::string_view key, TextRule rule = TextRule::as_written);
    // Member `key` as text; absent is the error "missing" followed by `hint` (" (...)" or "").
    std::optional<std::string> required_text(std::string_view key,
                                             TextRule rule = TextRule::as_written,
                                             const std::string& hint = "");
    // Member `key` as a timestamp text cost-ops reads, as written; "missing" is an error.
    std::optional<std::string> timestamp(std::string_view key);
    // Member `key`, unix seconds (a JSON integer or a digit string), as RFC 3339 UTC text
    // "2025-03-01T00:00:00Z"; "missing" and times beyond the year 9999 are errors.
    std::optional<std::string> unix_seconds(std::string_view key);
    // Member `key` as a service tier cost-ops names (standard, batch, priority, flex, from the
    // spellings parse_service_tier accepts), nullopt when absent; any other value is an error.
    std::optional<std::string> service_tier(std::string_view key);
    // Member `key` as a count (see read_count), nullopt when absent.
    std::optional<int64_t> count(std::string_view key);
    // Member `key` as a count; "missing" is an error.
    std::optional<int64_t> required_count(std::string_view key);
    // Member `key` as the exact text of a number (a JSON number, or a string holding one).
    std::optional<std::string> number_text(std::string_view key);
    // Member `key` as an array, nullptr when absent (or, an error, not an array).
    const Json* array(std::string_view key);
    // Member `key` as an object (or JSON text of one), nullopt when absent.
    std::optional<SourceObject> object(std::string_view key);
    // The members of member `key` as given (see the static members_of).
    SourceObject members_of(std::string_view key) const;
    // The members, for importers whose keys are data (usage types, token details).
    const Json& members() const { return *object_; }

    // Reports every member not in `known` as unknown.
    void report_unknown(const KnownFields& known, NullMembers nulls = NullMembers::skipped);
    // Copies the members `keys` that are present and not null into `to`, as given.
    void copy_members(const KnownFields& keys, Json& to) const;

  private:
    // An object at `at` without members yet, its errors counted from now.
    SourceObject(SourcePath at, ImportedRecords& out);

    std::shared_ptr<const Json> parsed_;  // the object read from JSON text, when it was text
    const Json* object_ = nullptr;
    SourcePath at_;
    ImportedRecords* out_;
    size_t first_error_;
};

// How the elements of a page are named in unknown-field reports.
enum class ElementNames {
    as_records,  // as records of their own ("model")
    marked,      // as elements of the page's array ("data[].model")
};

// When `source` is a page ({"<member>": [...]} with the other members in `envelope`), reports
// its unknown members, calls `expand_one` for each element and returns true; else returns false.
bool expand_page(const Json& source, std::string_view member, const KnownFields& envelope,
                 NullMembers nulls, ElementNames names,
                 const std::function<void(const Json& element, const SourcePath& at)>& expand_one,
                 ImportedRecords& out);

// The members of a usage API's pages and time buckets.
struct BucketLayout {
    KnownFields page_members;  // besides "data"
    KnownFields bucket_members;
};

// Calls `on_bucket` for each time bucket of `source`: a page ({"data": [bucket, ...], ...}) or a
// single bucket ({"results": [...], ...}); an error when it is neither. Reports unknown page and
// bucket members, null ones too.
void for_each_bucket(
    const Json& source, const BucketLayout& layout, ImportedRecords& out,
    const std::function<void(const Json& bucket, const SourcePath& at)>& on_bucket);

// Calls `on_result` for each element of the bucket's "results" array; an error when the bucket
// has no such array.
void for_each_result(
    const SourceObject& bucket, ImportedRecords& out,
    const std::function<void(const Json& result, const SourcePath& at)>& on_result);

// The request_id of one result of an aggregated bucket, from the bucket's natural key:
// "source:start:dimension:dimension:..." with the result's `dimensions` in order (null as "",
// booleans as true/false), each part with '%' and ':' percent-encoded so that two different keys
// never give the same id.
std::string bucket_request_id(std::string_view source, const std::string& start,
                              const SourceObject& result, const KnownFields& dimensions);

// A provider id a source writes, and the cost-ops provider it means.
struct ProviderAlias {
    std::string_view from;
    std::string_view to;
};

// `id` in ASCII lower case, renamed when `aliases` lists it.
std::string canonical_provider(const std::string& id, const std::vector<ProviderAlias>& aliases);

// LangChain's ls_provider ids (LangSmith runs, Langfuse's LangChain handler) that differ from
// cost-ops' provider names.
const std::vector<ProviderAlias>& langchain_provider_aliases();

// The token counts of one usage record in cost-ops' convention (see usage-and-pricing.md).
struct TokenCounts {
    int64_t prompt = 0;      // all input, cache reads and writes included
    int64_t completion = 0;  // all output, reasoning included
    int64_t cached = 0;
    int64_t cache_write = 0;
    int64_t cache_write_1h = 0;
    int64_t reasoning = 0;
};

// A usage record in ingest's own fields (counts that are 0 left out).
Json usage_record(const std::string& timestamp, const std::string& provider,
                  const std::string& model, const TokenCounts& counts);

// Sets `object[key]` to `value` when there is one.
void put_text(Json& object, const char* key, const std::optional<std::string>& value);

}  // namespace costops::cli
