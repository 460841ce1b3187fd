// Helicone request rows: the results of POST /v1/request/query(-clickhouse) (a whole
// {"data": [...], "error": null} response, or its rows) and the JSON, JSONL and CSV files of
// @helicone/export. Helicone stores prompt_tokens WITHOUT the cache reads, cache writes and
// audio tokens it counts apart (its body processors subtract them and its cost code prices
// them on top), so cost-ops' prompt_tokens is their sum; see docs/importers/helicone.md.
#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of a HeliconeRequest (the API's schema), and the CSV columns of @helicone/export.
const KnownFields kRowFields = {"request_id",
                                "request_created_at",
                                "request_body",
                                "request_path",
                                "request_user_id",
                                "request_properties",
                                "request_model",
                                "request_referrer",
                                "response_id",
                                "response_created_at",
                                "response_body",
                                "response_status",
                                "response_model",
                                "model",
                                "model_override",
                                "helicone_user",
                                "provider",
                                "delay_ms",
                                "time_to_first_token",
                                "total_tokens",
                                "prompt_tokens",
                                "prompt_cache_write_tokens",
                                "prompt_cache_read_tokens",
                                "completion_tokens",
                                "reasoning_tokens",
                                "prompt_audio_tokens",
                                "completion_audio_tokens",
                                "cost",
                                "costUSD",
                                "prompt_id",
                                "prompt_version",
                                "feedback_created_at",
                                "feedback_id",
                                "feedback_rating",
                                "signed_body_url",
                                "llmSchema",
                                "country_code",
                                "asset_ids",
                                "asset_urls",
                                "scores",
                                "properties",
                                "assets",
                                "target_url",
                                "cache_reference_id",
                                "cache_enabled",
                                "updated_at",
                                "latency",
                                "cost_usd"};

// The cache_reference_id of a row that is not a cache hit.
constexpr std::string_view kNoCacheReference = "00000000-0000-0000-0000-000000000000";

// Whether the row is a response Helicone served from its own cache: no provider call was made.
bool is_cache_hit(SourceObject& row) {
    auto reference = row.text("cache_reference_id");
    return reference && !reference->empty() && *reference != kNoCacheReference;
}

// Whether the provider call failed (a status other than 2xx) and reports no tokens (counts
// absent, null or 0, as Helicone exports a failed call).
bool is_failed_without_usage(SourceObject& row) {
    auto status = row.text("response_status");
    bool failed = status && !(status->size() == 3 && (*status)[0] == '2');
    auto no_tokens = [&](std::string_view key) {
        const Json* v = row.find(key);
        return v == nullptr || v->is_null() || json_scalar_text(*v) == "0";
    };
    return failed && no_tokens("prompt_tokens") && no_tokens("completion_tokens");
}

// The model Helicone priced: its own `model`, else the response's, else the request's.
std::optional<std::string> model_of(SourceObject& row) {
    for (const char* key : {"model", "response_model", "request_model"}) {
        auto model = row.text(key);
        if (model && !model->empty()) return model;
    }
    row.fail("model", "missing (and so are response_model and request_model)");
    return std::nullopt;
}

// The row's token counts in cost-ops' convention: prompt = Helicone's uncached prompt_tokens
// plus its cache reads, cache writes and input audio; completion = completion_tokens plus
// output audio (reasoning_tokens is a part of completion_tokens, as OpenAI reports it).
std::optional<TokenCounts> counts_of(SourceObject& row) {
    auto uncached = row.required_count("prompt_tokens");
    auto completion = row.required_count("completion_tokens");
    TokenCounts counts;
    counts.cached = row.count("prompt_cache_read_tokens").value_or(0);
    counts.cache_write = row.count("prompt_cache_write_tokens").value_or(0);
    counts.reasoning = row.count("reasoning_tokens").value_or(0);
    int64_t input_audio = row.count("prompt_audio_tokens").value_or(0);
    int64_t output_audio = row.count("completion_audio_tokens").value_or(0);
    if (!uncached || !completion) return std::nullopt;
    auto prompt = sum_counts({*uncached, counts.cached, counts.cache_write, input_audio});
    auto output = sum_counts({*completion, output_audio});
    if (!prompt || !output) {
        row.fail("prompt_tokens", kSumBeyondBigint);
        return std::nullopt;
    }
    counts.prompt = *prompt;
    counts.completion = *output;
    return counts;
}

// Facts only Helicone has: its cost (exact text), the response id and the custom properties.
Json metadata_of(SourceObject& row) {
    Json metadata = {{"source", "helicone"}};
    for (const char* key : {"costUSD", "cost", "cost_usd"}) {
        if (auto cost = row.number_text(key)) {
            metadata["source_cost"] = *cost;
            break;
        }
    }
    put_text(metadata, "response_id", row.text("response_id"));
    for (const char* key : {"request_properties", "properties"}) {
        auto properties = row.object(key);
        if (properties && !properties->members().empty()) {
            metadata["properties"] = properties->members();
            break;
        }
    }
    return metadata;
}

// One request row: a usage record, or none for a cache hit or a failed call without usage.
void expand_row(const Json& source, const SourcePath& at, ImportedRecords& out) {
    SourceObject row(source, at, out);
    if (!row.valid()) return;
    row.report_unknown(kRowFields);
    if (is_cache_hit(row) || is_failed_without_usage(row)) return;
    auto timestamp = row.timestamp("request_created_at");
    auto provider = row.required_text("provider");
    auto model = model_of(row);
    auto counts = counts_of(row);
    auto id = row.text("request_id");
    // The export's CSV has no request_id: its response_id is the row's id there.
    if (!id) id = row.text("response_id");
    auto user = row.text("request_user_id");
    auto latency = row.count("delay_ms");
    if (!latency) latency = row.count("latency");
    Json metadata = metadata_of(row);
    if (row.has_errors()) return;
    Json record = usage_record(*timestamp, *provider, *model, *counts);
    put_text(record, "request_id", id);
    put_text(record, "user_id", user);
    if (latency) record["latency_ms"] = *latency;
    record["metadata"] = std::move(metadata);
    out.records.push_back(std::move(record));
}

}  // namespace

void expand_helicone(const Json& source, ImportedRecords& out) {
    auto expand_one = [&](const Json& row, const SourcePath& at) { expand_row(row, at, out); };
    if (!expand_page(source, "data", {"error"}, NullMembers::skipped, ElementNames::as_records,
                     expand_one, out)) {
        expand_row(source, {}, out);
    }
}

}  // namespace costops::cli
