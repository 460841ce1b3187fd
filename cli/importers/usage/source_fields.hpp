// What the Helicone, LangSmith, Langfuse and OpenTelemetry importers share: reading a source
// object field by field (errors and unknown names given by their path in the source), exact
// token counts, timestamps, provider ids, pages of records and the records they build.
#pragma once

#include <cstdint>
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
    // The path of element `index` of the array here (its name stays the array's).
    SourcePath element(size_t index) const;
};

// Records "path: message" as an error of the value at `at`.
void fail_at(ImportedRecords& out, const SourcePath& at, const std::string& message);

// A token count at `at`: a non-negative JSON integer, or (CSV, OTLP intValue) a string of
// decimal digits; anything else is an error and nullopt.
std::optional<int64_t> read_count(const Json& value, const SourcePath& at, ImportedRecords& out);

// A text at `at`: a string, or a number as written; anything else is an error and nullopt.
std::optional<std::string> read_text(const Json& value, const SourcePath& at, ImportedRecords& out);

// One object of a source record, read field by field; errors and unknown names go to `out`.
class SourceObject {
  public:
    // Reads `value` found at `at`: an object, or (a CSV cell) the JSON text of one.
    SourceObject(const Json& value, SourcePath at, ImportedRecords& out);

    // Whether the value was an object (else an error was recorded and every field is absent).
    bool valid() const { return object_ != nullptr; }
    const SourcePath& at() const { return at_; }
    // Whether errors were recorded since this object was read (its own and its members').
    bool has_errors() const { return out_->errors.size() > first_error_; }

    // Member `key`, or nullptr when it is absent or null.
    const Json* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    // Whether member `key` is the string `value`.
    bool is(std::string_view key, std::string_view value) const;
    // Records "path.key: message".
    void fail(std::string_view key, const std::string& message);

    // Member `key` as text (see read_text), nullopt when absent.
    std::optional<std::string> text(std::string_view key);
    // Member `key` as text; "missing" is an error.
    std::optional<std::string> required_text(std::string_view key);
    // Member `key` as a timestamp text cost-ops reads (checked); "missing" is an error.
    std::optional<std::string> timestamp(std::string_view key);
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
    // The members, for importers whose keys are data (usage types, token details).
    const Json& members() const { return *object_; }

    // Reports every member not in `known` as unknown.
    void report_unknown(const KnownFields& known);

  private:
    std::shared_ptr<const Json> parsed_;  // the object read from JSON text, when it was text
    const Json* object_ = nullptr;
    SourcePath at_;
    ImportedRecords* out_;
    size_t first_error_;
};

// When `source` is a page of records ({"<member>": [...]} with the other members in
// `envelope`), expands each element with `expand_one` and returns true; else returns false.
bool expand_page(const Json& source, std::string_view member, const KnownFields& envelope,
                 void (*expand_one)(const Json&, const SourcePath&, ImportedRecords&),
                 ImportedRecords& out);

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

// The RFC 3339 UTC text of `nanos` nanoseconds after the Unix epoch, by integer arithmetic:
// "2025-03-03T10:15:30.123456789Z", the fraction without trailing zeros (none when whole).
std::string rfc3339_from_unix_nanos(int64_t nanos);

// The token counts of one usage record in cost-ops' convention (see usage-and-pricing.md).
struct TokenCounts {
    int64_t prompt = 0;      // all input, cache reads and writes included
    int64_t completion = 0;  // all output, reasoning included
    int64_t cached = 0;
    int64_t cache_write = 0;
    int64_t cache_write_1h = 0;
    int64_t reasoning = 0;
};

// The sum of `terms`, or nullopt when it is beyond bigint.
std::optional<int64_t> sum_counts(std::initializer_list<int64_t> terms);

// A usage record in ingest's own fields (counts that are 0 left out).
Json usage_record(const std::string& timestamp, const std::string& provider,
                  const std::string& model, const TokenCounts& counts);

// Sets `object[key]` to `value` when there is one.
void put_text(Json& object, const char* key, const std::optional<std::string>& value);

}  // namespace costops::cli
