// OpenAI organization Usage API, completions and embeddings endpoints
// (GET /v1/organization/usage/completions, .../embeddings): every result of every time bucket
// becomes one usage record whose request_id is the bucket's natural key, so that a re-fetched
// bucket adds nothing when unchanged and is flagged as a conflict when its counts changed.
#include "bucket_fields.hpp"
#include "usage_importer.hpp"

namespace costops::cli {

namespace {

// The members of a page and of its time buckets.
const std::vector<std::string_view> kPageMembers = {"object", "data", "has_more", "next_page"};
const std::vector<std::string_view> kBucketMembers = {"object", "start_time", "end_time",
                                                      "results"};

// Per-modality parts of input_tokens and output_tokens, which already include them: kept in
// metadata only.
const std::vector<std::string_view> kBreakdownCounts = {
    "input_uncached_tokens",     "input_text_tokens",         "input_cached_text_tokens",
    "input_audio_tokens",        "input_cached_audio_tokens", "input_image_tokens",
    "input_cached_image_tokens", "output_text_tokens",        "output_audio_tokens",
    "output_image_tokens"};

// Every member of a result this importer knows.
const std::vector<std::string_view> kResultMembers = [] {
    std::vector<std::string_view> known = {
        // the counts
        "object", "input_tokens", "output_tokens", "input_cached_tokens",
        "input_cache_write_tokens", "num_model_requests",
        // the grouping dimensions (null unless grouped by)
        "project_id", "user_id", "api_key_id", "model", "batch", "service_tier", "api_source"};
    known.insert(known.end(), kBreakdownCounts.begin(), kBreakdownCounts.end());
    return known;
}();

// The grouping dimensions of a result, in the order of its request id.
const std::vector<std::string_view> kKeyDimensions = {"project_id", "user_id", "api_key_id",
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
    std::string start_time;  // the unix seconds as written, for request ids
    std::string timestamp;   // start_time as RFC 3339 UTC
    const Json* end_time;    // may be null
};

// The kind of `result`, or nullptr (with an error) when it is not one this importer reads.
const ResultKind* result_kind(const Json& result, const std::string& path, ImportedRecords& out) {
    const Json* object = find_member(result, "object");
    for (const ResultKind& kind : kResultKinds) {
        if (object != nullptr && object->is_string() && object->get<std::string>() == kind.object) {
            return &kind;
        }
    }
    fail_field(
        out, member_path(path, "object"),
        std::string(object == nullptr ? "missing" : "not a completions or embeddings result") +
            " (expected \"organization.usage.completions.result\" or "
            "\"organization.usage.embeddings.result\")");
    return nullptr;
}

// The record's service tier: "batch" when batch is true, else service_tier's; nullopt when the
// usage was not grouped by either.
std::optional<std::string> result_tier(const Json& result, const std::string& path,
                                       ImportedRecords& out) {
    std::optional<std::string> tier;
    if (const Json* given = find_member(result, "service_tier")) {
        tier = service_tier_text(*given, member_path(path, "service_tier"), out);
    }
    const Json* batch = find_member(result, "batch");
    if (batch == nullptr) return tier;
    if (!batch->is_boolean()) {
        fail_field(out, member_path(path, "batch"), "expected true, false or null");
        return std::nullopt;
    }
    if (!batch->get<bool>()) return tier;
    if (tier && *tier != "standard" && *tier != "batch") {
        fail_field(out, member_path(path, "batch"),
                   "true, but service_tier says " + *tier + ": which tier applies is unknown");
    }
    return "batch";
}

// What the record keeps of the result that cost-ops does not price: request count, bucket end,
// API key and the per-modality breakdown.
Json result_metadata(const Json& result, const Bucket& bucket) {
    Json metadata = Json::object();
    copy_members(result, {"num_model_requests", "api_key_id", "api_source"}, metadata);
    copy_members(result, kBreakdownCounts, metadata);
    if (bucket.end_time != nullptr) metadata["bucket_end_time"] = *bucket.end_time;
    return metadata;
}

// One result of a bucket as one usage record.
void expand_result(const Json& result, const std::string& path, const std::string& unknown_prefix,
                   const Bucket& bucket, ImportedRecords& out) {
    report_unknown(result, unknown_prefix, kResultMembers, out);
    size_t errors = out.errors.size();
    const ResultKind* kind = result_kind(result, path, out);
    if (kind == nullptr) return;
    auto input = required_count(result, "input_tokens", path, out);
    auto output = kind->output_required ? required_count(result, "output_tokens", path, out)
                                        : count_or_zero(result, "output_tokens", path, out);
    auto cached = count_or_zero(result, "input_cached_tokens", path, out);
    auto written = count_or_zero(result, "input_cache_write_tokens", path, out);
    auto model = required_text(result, "model", path,
                               " (fetch the usage grouped by model: group_by=model)", out);
    auto tier = result_tier(result, path, out);
    auto project = text_member(result, "project_id", path, out);
    auto user = text_member(result, "user_id", path, out);
    if (errors != out.errors.size()) return;
    Json record = {{"timestamp", bucket.timestamp},
                   {"provider", "openai"},
                   {"model", *model},
                   {"request_id",
                    bucket_request_id(kind->id_source, bucket.start_time, result, kKeyDimensions)},
                   {"prompt_tokens", *input},
                   {"completion_tokens", *output},
                   {"cached_tokens", *cached},
                   {"cache_write_tokens", *written},
                   {"metadata", result_metadata(result, bucket)}};
    if (project) record["project_id"] = *project;
    if (user) record["user_id"] = *user;
    if (tier) record["service_tier"] = *tier;
    out.records.push_back(std::move(record));
}

// Every result of one time bucket.
void expand_bucket(const Json& bucket, const std::string& path, const std::string& unknown_prefix,
                   ImportedRecords& out) {
    const Json* start = required_member(bucket, "start_time", path, out);
    if (start == nullptr) return;
    auto timestamp = unix_time_text(*start, member_path(path, "start_time"), out);
    if (!timestamp) return;
    Bucket context{json_scalar_text(*start), *timestamp, find_member(bucket, "end_time")};
    for_each_result(bucket, path, unknown_prefix, out,
                    [&](const Json& result, const std::string& at, const std::string& prefix) {
                        expand_result(result, at, prefix, context, out);
                    });
}

}  // namespace

void expand_openai_usage(const Json& source, ImportedRecords& out) {
    for_each_bucket(source, {kPageMembers, kBucketMembers}, out,
                    [&](const Json& bucket, const std::string& path, const std::string& prefix) {
                        expand_bucket(bucket, path, prefix, out);
                    });
}

}  // namespace costops::cli
