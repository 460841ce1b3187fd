// LangSmith runs: GET /runs/{id}, the pages of POST /runs/query ({"runs": [...], "cursors":
// ...}) and client.list_runs() written as JSON or NDJSON. Only runs of run_type "llm" are
// usage. LangSmith's counts follow LangChain's UsageMetadata ("input_tokens: sum of all input
// token types", output likewise), which is cost-ops' own convention: cache reads and writes are
// parts of prompt_tokens, reasoning a part of completion_tokens; see docs/importers/langsmith.md.
#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of a Run (langsmith.schemas.Run and the REST API's RunSchema).
const KnownFields kRunFields = {"id",
                                "name",
                                "start_time",
                                "end_time",
                                "run_type",
                                "extra",
                                "error",
                                "serialized",
                                "events",
                                "inputs",
                                "outputs",
                                "reference_example_id",
                                "parent_run_id",
                                "tags",
                                "attachments",
                                "trace_id",
                                "session_id",
                                "child_run_ids",
                                "child_runs",
                                "direct_child_run_ids",
                                "feedback_stats",
                                "app_path",
                                "manifest_id",
                                "status",
                                "prompt_tokens",
                                "completion_tokens",
                                "total_tokens",
                                "prompt_token_details",
                                "completion_token_details",
                                "first_token_time",
                                "total_cost",
                                "prompt_cost",
                                "completion_cost",
                                "prompt_cost_details",
                                "completion_cost_details",
                                "parent_run_ids",
                                "dotted_order",
                                "in_dataset",
                                "replicas",
                                "inputs_preview",
                                "outputs_preview",
                                "inputs_s3_urls",
                                "outputs_s3_urls",
                                "s3_urls",
                                "execution_order",
                                "share_token",
                                "trace_min_start_time",
                                "trace_max_start_time",
                                "last_queued_at",
                                "price_model_id",
                                "thread_id",
                                "is_root",
                                "latency",
                                "session_name"};

// The members of LangChain's UsageMetadata (a run's outputs.usage_metadata).
const KnownFields kUsageMetadataFields = {
    "input_tokens", "output_tokens", "total_tokens", "input_token_details", "output_token_details",
    "input_cost",   "output_cost",   "total_cost",   "input_cost_details",  "output_cost_details"};

// The keys of InputTokenDetails and OutputTokenDetails this importer knows how to count.
const KnownFields kInputDetails = {"cache_read", "cache_creation", "ephemeral_5m_input_tokens",
                                   "ephemeral_1h_input_tokens", "audio"};
const KnownFields kOutputDetails = {"reasoning", "audio"};

// The names of the counts in one of the two places a run keeps them.
struct CountNames {
    const char* input;
    const char* output;
    const char* input_details;
    const char* output_details;
};

constexpr CountNames kRunCounts{"prompt_tokens", "completion_tokens", "prompt_token_details",
                                "completion_token_details"};
constexpr CountNames kUsageMetadataCounts{"input_tokens", "output_tokens", "input_token_details",
                                          "output_token_details"};

// The cache writes of input token details: the 5-minute and 1-hour split when given
// (langchain-anthropic then sets cache_creation to 0; older versions repeat the sum there),
// else cache_creation, all of them 5-minute writes.
void read_cache_writes(SourceObject& details, TokenCounts& counts) {
    auto creation = details.count("cache_creation");
    auto five_minute = details.count("ephemeral_5m_input_tokens");
    auto one_hour = details.count("ephemeral_1h_input_tokens");
    if (!five_minute && !one_hour) {
        counts.cache_write = creation.value_or(0);
        return;
    }
    counts.cache_write = five_minute.value_or(0);
    counts.cache_write_1h = one_hour.value_or(0);
    auto split = sum_counts({counts.cache_write, counts.cache_write_1h});
    if (creation && *creation != 0 && (!split || *creation != *split)) {
        details.fail("cache_creation", "(" + std::to_string(*creation) +
                                           ") is neither 0 nor ephemeral_5m_input_tokens + "
                                           "ephemeral_1h_input_tokens (" +
                                           (split ? std::to_string(*split) : "too large") + ")");
    }
}

// The counts `usage` (the run, or its outputs.usage_metadata) holds under `names`.
std::optional<TokenCounts> counts_from(SourceObject& usage, const CountNames& names) {
    auto prompt = usage.required_count(names.input);
    auto completion = usage.required_count(names.output);
    TokenCounts counts;
    if (auto details = usage.object(names.input_details)) {
        details->report_unknown(kInputDetails);
        counts.cached = details->count("cache_read").value_or(0);
        read_cache_writes(*details, counts);
    }
    if (auto details = usage.object(names.output_details)) {
        details->report_unknown(kOutputDetails);
        counts.reasoning = details->count("reasoning").value_or(0);
    }
    if (!prompt || !completion) return std::nullopt;
    counts.prompt = *prompt;
    counts.completion = *completion;
    return counts;
}

// Where a run's counts are: the run itself, or its outputs.usage_metadata.
struct RunUsage {
    SourceObject object;
    const CountNames& names;
};

// The counts of the run: its own when it has them, else outputs.usage_metadata (a @traceable
// run that logged its usage there); nullopt when it has neither.
std::optional<RunUsage> usage_of(SourceObject& run) {
    if (run.has("prompt_tokens") || run.has("completion_tokens")) return RunUsage{run, kRunCounts};
    auto outputs = run.object("outputs");
    auto usage = outputs ? outputs->object("usage_metadata") : std::nullopt;
    if (!usage) return std::nullopt;
    usage->report_unknown(kUsageMetadataFields);
    return RunUsage{*usage, kUsageMetadataCounts};
}

// Whether the call failed: LangSmith recorded an error for the run.
bool is_failed(SourceObject& run) {
    return run.has("error") || run.is("status", "error");
}

// The first of `keys` that `object` holds as text.
std::optional<std::string> first_text(std::optional<SourceObject>& object,
                                      std::initializer_list<const char*> keys) {
    if (!object) return std::nullopt;
    for (const char* key : keys) {
        if (auto value = object->text(key); value && !value->empty()) return value;
    }
    return std::nullopt;
}

// The model and provider LangChain recorded in extra (metadata.ls_*, invocation_params).
void read_model(SourceObject& run, std::optional<std::string>& provider,
                std::optional<std::string>& model) {
    auto extra = run.object("extra");
    auto metadata = extra ? extra->object("metadata") : std::nullopt;
    auto params = extra ? extra->object("invocation_params") : std::nullopt;
    provider = first_text(metadata, {"ls_provider"});
    if (provider) {
        provider = canonical_provider(*provider, langchain_provider_aliases());
    } else {
        run.fail("extra.metadata.ls_provider", "missing");
    }
    model = first_text(metadata, {"ls_model_name"});
    if (!model) model = first_text(params, {"model", "model_name"});
    if (!model) {
        run.fail("extra.metadata.ls_model_name",
                 "missing (and extra.invocation_params has no model or model_name)");
    }
}

// Facts only LangSmith has: the trace, the run's name and LangSmith's cost (exact text).
Json metadata_of(SourceObject& run) {
    Json metadata = {{"source", "langsmith"}};
    put_text(metadata, "trace_id", run.text("trace_id"));
    put_text(metadata, "run_name", run.text("name"));
    put_text(metadata, "source_cost", run.number_text("total_cost"));
    return metadata;
}

// One run: a usage record for an LLM run, none for other runs and failed calls without counts.
void expand_run(const Json& source, const SourcePath& at, ImportedRecords& out) {
    SourceObject run(source, at, out);
    if (!run.valid()) return;
    run.report_unknown(kRunFields);
    auto run_type = run.required_text("run_type");
    if (!run_type || *run_type != "llm") return;
    auto usage = usage_of(run);
    if (!usage && is_failed(run)) return;
    if (!usage) run.fail("prompt_tokens", "missing (and the run has no outputs.usage_metadata)");
    auto counts = usage ? counts_from(usage->object, usage->names) : std::nullopt;
    auto total = usage ? usage->object.count("total_tokens") : std::nullopt;
    auto timestamp = run.timestamp("start_time");
    std::optional<std::string> provider, model;
    read_model(run, provider, model);
    Json metadata = metadata_of(run);
    if (run.has_errors()) return;
    Json record = usage_record(*timestamp, *provider, *model, *counts);
    if (total) record["total_tokens"] = *total;
    put_text(record, "request_id", run.text("id"));
    put_text(record, "project_id", run.text("session_id"));
    record["metadata"] = std::move(metadata);
    out.records.push_back(std::move(record));
}

}  // namespace

void expand_langsmith(const Json& source, ImportedRecords& out) {
    auto expand_one = [&](const Json& run, const SourcePath& at) { expand_run(run, at, out); };
    if (!expand_page(source, "runs", {"cursors"}, NullMembers::skipped, ElementNames::as_records,
                     expand_one, out)) {
        expand_run(source, {}, out);
    }
}

}  // namespace costops::cli
