// OpenAI organization Usage API, completions and embeddings endpoints
// (GET /v1/organization/usage/completions, .../embeddings): every result of every time bucket
// becomes one usage record whose request_id is the bucket's natural key, so that a re-fetched
// bucket adds nothing when unchanged and is flagged as a conflict when its counts changed.
#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of a page and of its time buckets.
const KnownFields kPageMembers = {"object", "has_more", "next_page"};
const KnownFields kBucketMembers = {"object", "start_time", "end_time", "results"};

// Per-modality parts of input_tokens and output_tokens, which already include them: kept in
// metadata only.
const KnownFields kBreakdownCounts = {"input_uncached_tokens",     "input_text_tokens",
                                      "input_cached_text_tokens",  "input_audio_tokens",
                                      "input_cached_audio_tokens", "input_image_tokens",
                                      "input_cached_image_tokens", "output_text_tokens",
                                      "output_audio_tokens",       "output_image_tokens"};

// Every member of a result this importer knows.
const KnownFields kResultMembers = [] {
    KnownFields known = {
        // the counts
        "object", "input_tokens", "output_tokens", "input_cached_tokens",
        "input_cache_write_tokens", "num_model_requests",
        // the grouping dimensions (null unless grouped by)
        "project_id", "user_id", "api_key_id", "model", "batch", "service_tier", "api_source"};
    known.insert(known.end(), kBreakdownCounts.begin(), kBreakdownCounts.end());
    return known;
}();

// The grouping dimensions of a result, in the order of its request id.
const KnownFields kKeyDimensions = {"project_id", "user_id", "api_key_id",
                                    "model",      "batch",   "service_tier"};

// A result's kind: its "object", the request_id prefix of its records and whether it must report
// output_tokens (embeddings results have none).
struct ResultKind {
    std::string_view object;
    const char* id_source;
    bool output_required;
};

constexpr ResultKind kResultKinds[] = {
    {"organization.usage.completions.result", "openai-usage", true},
    {"organization.usage.embeddings.result", "openai-usage-embeddings", false}};

// What a bucket gives each of its results.
struct Bucket {
    std::string start_time;                 // the unix seconds as written, for request ids
    std::string timestamp;                  // start_time as RFC 3339 UTC
    std::optional<std::string> period_end;  // end_time as RFC 3339 UTC, when given
};

// The kind of `result`, or nullptr (with an error) when it is not one this importer reads.
const ResultKind* result_kind(SourceObject& result) {
    const Json* object = result.find("object");
    for (const ResultKind& kind : kResultKinds) {
        if (result.is("object", kind.object)) return &kind;
    }
    result.fail(
        "object",
        std::string(object == nullptr ? "missing" : "not a completions or embeddings result") +
            " (expected \"organization.usage.completions.result\" or "
            "\"organization.usage.embeddings.result\")");
    return nullptr;
}

// The record's service tier: "batch" when batch is true, else service_tier's; nullopt when the
// usage was not grouped by either.
std::optional<std::string> result_tier(SourceObject& result) {
    std::optional<std::string> tier = result.service_tier("service_tier");
    const Json* batch = result.find("batch");
    if (batch == nullptr) return tier;
    if (!batch->is_boolean()) {
        result.fail("batch", "expected true, false or null");
        return std::nullopt;
    }
    if (!batch->get<bool>()) return tier;
    if (tier && *tier != "standard" && *tier != "batch") {
        result.fail("batch",
                    "true, but service_tier says " + *tier + ": which tier applies is unknown");
    }
    return "batch";
}

// What the record keeps of the result that cost-ops does not price: API key and the
// per-modality breakdown.
Json result_metadata(const SourceObject& result) {
    Json metadata = Json::object();
    result.copy_members({"api_key_id", "api_source"}, metadata);
    result.copy_members(kBreakdownCounts, metadata);
    return metadata;
}

// One result of a bucket as one usage record.
void expand_result(const Json& value, const SourcePath& at, const Bucket& bucket,
                   ImportedRecords& out) {
    SourceObject result = SourceObject::members_of(&value, at, out);
    result.report_unknown(kResultMembers, NullMembers::reported);
    const ResultKind* kind = result_kind(result);
    if (kind == nullptr) return;
    auto input = result.required_count("input_tokens");
    auto output = kind->output_required ? result.required_count("output_tokens")
                                        : result.count("output_tokens").value_or(0);
    int64_t cached = result.count("input_cached_tokens").value_or(0);
    int64_t written = result.count("input_cache_write_tokens").value_or(0);
    auto model = result.required_text("model", TextRule::identifier,
                                      " (fetch the usage grouped by model: group_by=model)");
    auto tier = result_tier(result);
    auto project = result.text("project_id", TextRule::identifier);
    auto user = result.text("user_id", TextRule::identifier);
    // How many requests the bucket sums (a count of its own requests' prompts is not given).
    auto requests = result.count("num_model_requests");
    if (requests && *requests == 0) {
        result.fail("num_model_requests",
                    "0, with tokens: how many requests the bucket sums "
                    "is unknown");
    }
    if (result.has_errors()) return;
    Json record = {{"timestamp", bucket.timestamp},
                   {"provider", "openai"},
                   {"model", *model},
                   {"request_id",
                    bucket_request_id(kind->id_source, bucket.start_time, result, kKeyDimensions)},
                   {"prompt_tokens", *input},
                   {"completion_tokens", *output},
                   {"cached_tokens", cached},
                   {"cache_write_tokens", written},
                   {"request_count", requests ? Json(*requests) : Json(nullptr)},
                   {"metadata", result_metadata(result)}};
    put_text(record, "project_id", project);
    put_text(record, "user_id", user);
    put_text(record, "service_tier", tier);
    put_text(record, "period_end", bucket.period_end);
    out.records.push_back(std::move(record));
}

// Every result of one time bucket.
void expand_bucket(const Json& value, const SourcePath& at, ImportedRecords& out) {
    SourceObject bucket = SourceObject::members_of(&value, at, out);
    auto timestamp = bucket.unix_seconds("start_time");
    if (!timestamp) return;
    Bucket context{json_scalar_text(*bucket.find("start_time")), *timestamp, std::nullopt};
    const Json* end = bucket.find("end_time");
    if (end != nullptr && !end->is_null()) {
        context.period_end = bucket.unix_seconds("end_time");
        if (!context.period_end) return;
    }
    for_each_result(bucket, out, [&](const Json& result, const SourcePath& result_at) {
        expand_result(result, result_at, context, out);
    });
}

}  // namespace

void expand_openai_usage(const Json& source, ImportedRecords& out) {
    for_each_bucket(
        source, {kPageMembers, kBucketMembers}, out,
        [&](const Json& bucket, const SourcePath& at) { expand_bucket(bucket, at, out); });
}

}  // namespace costops::cli
