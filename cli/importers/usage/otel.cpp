// OpenTelemetry GenAI spans in OTLP/JSON: an export document ({"resourceSpans": [...]}: one
// source record, a usage record per LLM span), NDJSON of such documents, or NDJSON of flat
// spans (a span object whose attributes are an OTLP key/value list or a plain object).
// gen_ai.usage.input_tokens is read as the semantic conventions define it: it includes the
// cache reads and writes (gen_ai.usage.cache_read.input_tokens and
// gen_ai.usage.cache_creation.input_tokens "SHOULD be included" in it), for every provider,
// Anthropic too; see docs/importers/otel.md.
#include <algorithm>
#include <utility>

#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of an OTLP export document, its resourceSpans and scopeSpans, and a span.
const KnownFields kDocumentFields = {"resourceSpans"};
const KnownFields kResourceSpansFields = {"resource", "scopeSpans", "schemaUrl"};
const KnownFields kScopeSpansFields = {"scope", "spans", "schemaUrl"};
const KnownFields kSpanFields = {"traceId",
                                 "spanId",
                                 "traceState",
                                 "parentSpanId",
                                 "flags",
                                 "name",
                                 "kind",
                                 "startTimeUnixNano",
                                 "endTimeUnixNano",
                                 "attributes",
                                 "droppedAttributesCount",
                                 "events",
                                 "droppedEventsCount",
                                 "links",
                                 "droppedLinksCount",
                                 "status",
                                 "resource"};

// The gen_ai.usage.* attributes this importer counts (the current names, then the older ones
// some instrumentations still write); other gen_ai.usage.* attributes are reported unknown.
constexpr std::string_view kInputTokens = "gen_ai.usage.input_tokens";
constexpr std::string_view kOutputTokens = "gen_ai.usage.output_tokens";
const KnownFields kInputNames = {kInputTokens, "gen_ai.usage.prompt_tokens"};
const KnownFields kOutputNames = {kOutputTokens, "gen_ai.usage.completion_tokens"};
const KnownFields kCacheReadNames = {"gen_ai.usage.cache_read.input_tokens",
                                     "gen_ai.usage.cache_read_input_tokens"};
const KnownFields kCacheWriteNames = {"gen_ai.usage.cache_creation.input_tokens",
                                      "gen_ai.usage.cache_creation_input_tokens"};
constexpr std::string_view kTotalTokens = "gen_ai.usage.total_tokens";
constexpr std::string_view kUsagePrefix = "gen_ai.usage.";

// Every gen_ai.usage.* attribute above.
const KnownFields& known_usage_attributes() {
    static const KnownFields known = [] {
        KnownFields all = {kTotalTokens};
        for (const KnownFields* names :
             {&kInputNames, &kOutputNames, &kCacheReadNames, &kCacheWriteNames}) {
            all.insert(all.end(), names->begin(), names->end());
        }
        return all;
    }();
    return known;
}

// The gen_ai.operation.name values of LLM calls; spans of other operations (invoke_agent,
// execute_tool, retrieval, ...) are not usage, even when they carry sums of their children's.
const KnownFields kUsageOperations = {"chat", "generate_content", "text_completion", "embeddings"};

// gen_ai.provider.name (and gen_ai.system) values that differ from cost-ops' provider names.
const std::vector<ProviderAlias> kProviderAliases = {
    {"gcp.gemini", "google"},  {"gcp.vertex_ai", "vertex_ai"}, {"azure.ai.openai", "azure"},
    {"az.ai.openai", "azure"}, {"aws.bedrock", "bedrock"},
};

// The attributes of a span or resource by key: OTLP's [{"key", "value": {"stringValue" |
// "intValue" | ...}}] list, or (a flat span) a plain object of values.
class Attributes {
  public:
    // Reads the attributes value (may be null) found at `at`.
    Attributes(const Json* attributes, SourcePath at, ImportedRecords& out)
        : at_(std::move(at)), out_(&out) {
        if (attributes == nullptr) return;
        if (attributes->is_object()) {
            for (auto it = attributes->begin(); it != attributes->end(); ++it)
                values_.emplace_back(it.key(), &*it);
        } else if (attributes->is_array()) {
            for (size_t i = 0; i < attributes->size(); ++i) add_key_value((*attributes)[i], i);
        } else {
            fail_at(out, at_, "expected an array of key/value objects");
        }
    }

    // The value of attribute `key` (the scalar inside an OTLP AnyValue), or nullptr.
    const Json* find(std::string_view key) const {
        for (const auto& [name, value] : values_) {
            if (name == key && !value->is_null()) return value;
        }
        return nullptr;
    }

    // The first of `keys` that is present, or nullptr.
    const std::string_view* first_present(const KnownFields& keys) const {
        auto it = std::find_if(keys.begin(), keys.end(),
                               [&](std::string_view key) { return find(key) != nullptr; });
        return it == keys.end() ? nullptr : &*it;
    }

    // The text of the first of `keys` that is present, nullopt when none is.
    std::optional<std::string> text(const KnownFields& keys) {
        const std::string_view* key = first_present(keys);
        if (key == nullptr) return std::nullopt;
        return read_text(*find(*key), at_.member(*key), TextRule::as_written, *out_);
    }

    // The count of the first of `keys` that is present, nullopt when none is.
    std::optional<int64_t> count(const KnownFields& keys) {
        const std::string_view* key = first_present(keys);
        if (key == nullptr) return std::nullopt;
        return read_count(*find(*key), at_.member(*key), *out_);
    }

    // Records "attributes.key: message".
    void fail(std::string_view key, const std::string& message) {
        fail_at(*out_, at_.member(key), message);
    }

    // Reports every gen_ai.usage.* attribute that `known` does not list as unknown.
    void report_unknown_usage(const KnownFields& known) const {
        for (const auto& [name, value] : values_) {
            if (name.compare(0, kUsagePrefix.size(), kUsagePrefix) == 0 &&
                std::find(known.begin(), known.end(), name) == known.end()) {
                out_->unknown.push_back(at_.member(name).name);
            }
        }
    }

  private:
    // Adds one {"key", "value": AnyValue} element of an OTLP attribute list.
    void add_key_value(const Json& element, size_t index) {
        auto key = element.is_object() ? element.find("key") : element.end();
        auto value = element.is_object() ? element.find("value") : element.end();
        if (key == element.end() || !key->is_string() || value == element.end()) {
            fail_at(*out_, at_.element(index), "expected {\"key\": ..., \"value\": ...}");
            return;
        }
        values_.emplace_back(key->get<std::string>(), &scalar_of(*value));
    }

    // The scalar an OTLP AnyValue holds, or the AnyValue itself when it holds none.
    static const Json& scalar_of(const Json& any) {
        if (!any.is_object()) return any;
        for (const char* kind : {"stringValue", "intValue", "doubleValue", "boolValue"}) {
            auto it = any.find(kind);
            if (it != any.end()) return *it;
        }
        return any;
    }

    std::vector<std::pair<std::string, const Json*>> values_;
    SourcePath at_;
    ImportedRecords* out_;
};

// What the resource of the spans says about them: the service that made the calls.
struct Resource {
    std::optional<std::string> service_name;
};

// The resource of a resourceSpans element or flat span (its service.name attribute).
Resource resource_of(SourceObject& holder, ImportedRecords& out) {
    auto resource = holder.object("resource");
    if (!resource) return {};
    Attributes attributes(resource->find("attributes"), resource->at().member("attributes"), out);
    return {attributes.text({"service.name"})};
}

// Whether the span is an LLM call: its operation is one, or (no operation named) it reports
// gen_ai token usage.
bool is_llm_call(const std::optional<std::string>& operation, const Attributes& attributes) {
    if (operation) {
        return std::find(kUsageOperations.begin(), kUsageOperations.end(), *operation) !=
               kUsageOperations.end();
    }
    return attributes.first_present(kInputNames) || attributes.first_present(kOutputNames);
}

// Whether the call failed (span status ERROR) without reporting token usage.
bool is_failed_without_usage(SourceObject& span, const Attributes& attributes) {
    auto status = span.object("status");
    auto code = status ? status->text("code") : std::nullopt;
    bool failed = code == "2" || code == "STATUS_CODE_ERROR";
    return failed && !attributes.first_present(kInputNames) &&
           !attributes.first_present(kOutputNames);
}

// The count of the first of `names` that is present; none is "missing" (an error) unless
// `absent_is_zero`.
std::optional<int64_t> required_count(Attributes& attributes, const KnownFields& names,
                                      bool absent_is_zero) {
    if (attributes.first_present(names)) return attributes.count(names);
    if (absent_is_zero) return 0;
    attributes.fail(names.front(), "missing");
    return std::nullopt;
}

// The span's counts: input_tokens includes the cache reads and writes (the conventions), so a
// span whose cache counts exceed it follows another convention and is an error. Embeddings
// report no output tokens.
std::optional<TokenCounts> counts_of(Attributes& attributes, bool embeddings) {
    auto input = required_count(attributes, kInputNames, false);
    auto output = required_count(attributes, kOutputNames, embeddings);
    TokenCounts counts;
    counts.cached = attributes.count(kCacheReadNames).value_or(0);
    counts.cache_write = attributes.count(kCacheWriteNames).value_or(0);
    if (!input || !output) return std::nullopt;
    auto cache = sum_counts({counts.cached, counts.cache_write});
    if (!cache || *cache > *input) {
        attributes.fail(kInputTokens,
                        "(" + std::to_string(*input) +
                            ") is less than its cache reads and writes: the span does not follow "
                            "the semantic conventions, whose input_tokens includes them");
        return std::nullopt;
    }
    counts.prompt = *input;
    counts.completion = *output;
    return counts;
}

// Facts only the span has: its trace and span ids, name, operation, conversation, service.
Json metadata_of(SourceObject& span, Attributes& attributes,
                 const std::optional<std::string>& operation, const Resource& resource) {
    Json metadata = {{"source", "otel"}};
    put_text(metadata, "trace_id", span.text("traceId"));
    put_text(metadata, "span_id", span.text("spanId"));
    put_text(metadata, "span_name", span.text("name"));
    put_text(metadata, "operation", operation);
    put_text(metadata, "conversation_id", attributes.text({"gen_ai.conversation.id"}));
    put_text(metadata, "service_name", resource.service_name);
    return metadata;
}

// The provider and model the span names (the response's model over the requested one).
void read_model(Attributes& attributes, std::optional<std::string>& provider,
                std::optional<std::string>& model) {
    provider = attributes.text({"gen_ai.provider.name", "gen_ai.system"});
    if (provider) {
        provider = canonical_provider(*provider, kProviderAliases);
    } else {
        attributes.fail("gen_ai.provider.name", "missing (and so is gen_ai.system)");
    }
    model = attributes.text({"gen_ai.response.model", "gen_ai.request.model"});
    if (!model)
        attributes.fail("gen_ai.request.model", "missing (and so is gen_ai.response.model)");
}

// One span: a usage record for an LLM call, none for other spans.
void expand_span(const Json& value, const SourcePath& at, const Resource& resource,
                 ImportedRecords& out) {
    SourceObject span(value, at, out);
    if (!span.valid()) return;
    span.report_unknown(kSpanFields);
    Attributes attributes(span.find("attributes"), at.member("attributes"), out);
    attributes.report_unknown_usage(known_usage_attributes());
    auto operation = attributes.text({"gen_ai.operation.name"});
    if (!is_llm_call(operation, attributes) || is_failed_without_usage(span, attributes)) return;
    auto counts = counts_of(attributes, operation == "embeddings");
    auto total = attributes.count({kTotalTokens});
    std::optional<std::string> provider, model;
    read_model(attributes, provider, model);
    auto start = span.required_count("startTimeUnixNano");
    auto id = attributes.text({"gen_ai.response.id"});
    if (!id) id = span.text("spanId");
    Json metadata = metadata_of(span, attributes, operation, resource);
    if (span.has_errors()) return;
    Json record = usage_record(rfc3339_from_unix_nanos(*start), *provider, *model, *counts);
    if (total) record["total_tokens"] = *total;
    put_text(record, "request_id", id);
    record["metadata"] = std::move(metadata);
    out.records.push_back(std::move(record));
}

// The spans of one scopeSpans element.
void expand_scope_spans(SourceObject& scope, const Resource& resource, ImportedRecords& out) {
    scope.report_unknown(kScopeSpansFields);
    const Json* spans = scope.array("spans");
    if (spans == nullptr) return;
    SourcePath at = scope.at().member("spans");
    for (size_t i = 0; i < spans->size(); ++i)
        expand_span((*spans)[i], at.element(i), resource, out);
}

// Every span of an OTLP export document.
void expand_document(SourceObject& document, ImportedRecords& out) {
    document.report_unknown(kDocumentFields);
    const Json* resource_spans = document.array("resourceSpans");
    if (resource_spans == nullptr) return;
    SourcePath at = document.at().member("resourceSpans");
    for (size_t i = 0; i < resource_spans->size(); ++i) {
        SourceObject holder((*resource_spans)[i], at.element(i), out);
        holder.report_unknown(kResourceSpansFields);
        Resource resource = resource_of(holder, out);
        const Json* scopes = holder.array("scopeSpans");
        if (scopes == nullptr) continue;
        SourcePath scopes_at = holder.at().member("scopeSpans");
        for (size_t j = 0; j < scopes->size(); ++j) {
            SourceObject scope((*scopes)[j], scopes_at.element(j), out);
            if (scope.valid()) expand_scope_spans(scope, resource, out);
        }
    }
}

}  // namespace

void expand_otel(const Json& source, ImportedRecords& out) {
    SourceObject record(source, {}, out);
    if (!record.valid()) return;
    if (record.has("resourceSpans")) {
        expand_document(record, out);
    } else if (record.has("spanId") || record.has("traceId")) {
        expand_span(source, {}, resource_of(record, out), out);
    } else {
        record.fail("resourceSpans",
                    "missing: the record is neither an OTLP export nor a span (no spanId)");
    }
}

}  // namespace costops::cli
