// Other tools' exports (Helicone, LangSmith, Langfuse, LiteLLM spend logs, provider usage APIs,
// OpenTelemetry spans, raw provider responses) read as cost-ops usage records.
#pragma once

#include <string>
#include <vector>

#include "../../ingest/usage_record.hpp"
#include "exact_json.hpp"

namespace costops::cli {

// What one source record became.
struct ImportedRecords {
    std::vector<Json> records;        // in ingest's own fields (timestamp, provider, model, ...)
    std::vector<FieldError> errors;   // field = the source's field path, e.g. "usage.prompt_tokens"
    std::vector<std::string> unknown; // source field paths the importer does not know (reported)
};

// One source format of `cost-ops ingest --format NAME`.
struct UsageImporter {
    const char* name;     // the --format value, e.g. "helicone"
    const char* summary;  // one line for --help
    // Maps one record of the source (a JSON object; CSV rows arrive with string values) to zero
    // or more usage records; never guesses a missing field: it is an error naming it.
    void (*expand)(const Json& source, ImportedRecords& out);
};

// Every importer, in the order --help lists them.
const std::vector<UsageImporter>& usage_importers();

// The importer called `name`, or null.
const UsageImporter* find_usage_importer(const std::string& name);

// One expand function per source, each in its own file.
void expand_helicone(const Json& source, ImportedRecords& out);
void expand_langsmith(const Json& source, ImportedRecords& out);
void expand_langfuse(const Json& source, ImportedRecords& out);
void expand_otel(const Json& source, ImportedRecords& out);
void expand_litellm(const Json& source, ImportedRecords& out);
void expand_openai_usage(const Json& source, ImportedRecords& out);
void expand_anthropic_usage(const Json& source, ImportedRecords& out);
void expand_provider_response(const Json& source, ImportedRecords& out);

}  // namespace costops::cli
