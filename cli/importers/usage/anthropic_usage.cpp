// Anthropic Admin API usage report (GET /v1/organizations/usage_report/messages): every result of
// every time bucket becomes one usage record whose request_id is the bucket's natural key, so
// that a re-fetched bucket adds nothing when unchanged and is flagged as a conflict when its
// counts changed.
#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of a report page, of its time buckets, of their results and of a result's
// cache_creation.
const KnownFields kPageMembers = {"has_more", "next_page"};
const KnownFields kBucketMembers = {"starting_at", "ending_at", "results"};
const KnownFields kResultMembers = {
    // the counts
    "uncached_input_tokens", "cache_creation", "cache_read_input_tokens", "output_tokens",
    "server_tool_use",
    // the grouping dimensions (null unless grouped by)
    "api_key_id", "workspace_id", "account_id", "service_account_id", "model", "service_tier",
    "context_window", "inference_geo", "speed"};
const KnownFields kCacheCreationMembers = {"ephemeral_1h_input_tokens",
                                           "ephemeral_5m_input_tokens"};

// The grouping dimensions of a result, in the order of its request id.
const KnownFields kKeyDimensions = {"workspace_id",       "api_key_id",    "account_id",
                                    "service_account_id", "model",         "service_tier",
                                    "context_window",     "inference_geo", "speed"};

// The dimensions and counts cost-ops does not price, kept in metadata.
const KnownFields kMetadataMembers = {"api_key_id",     "service_account_id",
                                      "context_window", "inference_geo",
                                      "speed",          "server_tool_use"};

// The token counts of one result, in Anthropic's terms: the four input counts are disjoint.
struct ResultCounts {
    int64_t uncached = 0, cache_read = 0, write_5m = 0, write_1h = 0, output = 0;
};

// The counts of `result`, all required by the published schema; nullopt after an error.
std::optional<ResultCounts> result_counts(SourceObject& result) {
    auto uncached = result.required_count("uncached_input_tokens");
    auto read = result.required_count("cache_read_input_tokens");
    auto output = result.required_count("output_tokens");
    const Json* value = result.find("cache_creation");
    if (value == nullptr || !value->is_object()) {
        result.fail("cache_creation",
                    value == nullptr ? "missing" : "expected an object of cache write counts");
        return std::nullopt;
    }
    SourceObject creation = result.members_of("cache_creation");
    creation.report_unknown(kCacheCreationMembers, NullMembers::reported);
    auto write_5m = creation.required_count("ephemeral_5m_input_tokens");
    auto write_1h = creation.required_count("ephemeral_1h_input_tokens");
    if (result.has_errors()) return std::nullopt;
    return ResultCounts{*uncached, *read, *write_5m, *write_1h, *output};
}

// The prompt-token bounds of each request a result sums, from its context_window: "0-200k"
// (at most 200,000 each) or "200k-1M" (more than 200,000, at most 1,000,000); none when the
// report is not grouped by it. Any other window is an error naming the field.
std::optional<std::pair<std::optional<int64_t>, int64_t>> context_window_bounds(
    SourceObject& result) {
    auto window = result.text("context_window", TextRule::identifier);
    if (!window) return std::nullopt;
    if (*window == "0-200k")
        return std::pair<std::optional<int64_t>, int64_t>{std::nullopt, 200000};
    if (*window == "200k-1M") return std::pair<std::optional<int64_t>, int64_t>{200001, 1000000};
    result.fail("context_window", "expected \"0-200k\" or \"200k-1M\", got " +
                                      json_quoted(*window) +
                                      ": which context tier its requests were in is unknown");
    return std::nullopt;
}

// One result of a bucket starting at `starting_at` (and ending at `ending_at`, when given) as
// one usage record.
void expand_result(const Json& value, const SourcePath& at, const std::string& starting_at,
                   const std::optional<std::string>& ending_at, ImportedRecords& out) {
    SourceObject result = SourceObject::members_of(&value, at, out);
    result.report_unknown(kResultMembers, NullMembers::reported);
    auto counts = result_counts(result);
    auto model = result.required_text("model", TextRule::identifier,
                                      " (fetch the report grouped by model: group_by[]=model)");
    auto tier = result.service_tier("service_tier");
    auto workspace = result.text("workspace_id", TextRule::identifier);
    auto account = result.text("account_id", TextRule::identifier);
    auto bounds = context_window_bounds(result);
    if (result.has_errors()) return;
    auto prompt =
        sum_counts({counts->uncached, counts->cache_read, counts->write_5m, counts->write_1h});
    if (!prompt) {
        fail_at(out, at, kSumBeyondBigint);
        return;
    }
    if (bounds && bounds->first && *prompt < *bounds->first) {
        result.fail("context_window", "200k-1M, but the result has " + std::to_string(*prompt) +
                                          " input tokens: not one request above 200k");
        return;
    }
    Json metadata = Json::object();
    result.copy_members(kMetadataMembers, metadata);

    Json record = {
        {"timestamp", starting_at},
        {"provider", "anthropic"},
        {"model", *model},
        {"request_id", bucket_request_id("anthropic-usage", starting_at, result, kKeyDimensions)},
        {"prompt_tokens", *prompt},
        {"completion_tokens", counts->output},
        {"cached_tokens", counts->cache_read},
        {"cache_write_tokens", counts->write_5m},
        {"cache_write_1h_tokens", counts->write_1h},
        // The report does not count requests.
        {"request_count", nullptr},
        {"metadata", std::move(metadata)}};
    if (bounds) {
        if (bounds->first) record["request_prompt_tokens_min"] = *bounds->first;
        record["request_prompt_tokens_max"] = bounds->second;
    }
    put_text(record, "project_id", workspace);
    put_text(record, "user_id", account);
    put_text(record, "service_tier", tier);
    put_text(record, "period_end", ending_at);
    out.records.push_back(std::move(record));
}

// Every result of one time bucket.
void expand_bucket(const Json& value, const SourcePath& at, ImportedRecords& out) {
    SourceObject bucket = SourceObject::members_of(&value, at, out);
    auto starting_at = bucket.timestamp("starting_at");
    if (!starting_at) return;
    std::optional<std::string> ending_at;
    const Json* end = bucket.find("ending_at");
    if (end != nullptr && !end->is_null()) {
        ending_at = bucket.timestamp("ending_at");
        if (!ending_at) return;
    }
    for_each_result(bucket, out, [&](const Json& result, const SourcePath& result_at) {
        expand_result(result, result_at, *starting_at, ending_at, out);
    });
}

}  // namespace

void expand_anthropic_usage(const Json& source, ImportedRecords& out) {
    for_each_bucket(
        source, {kPageMembers, kBucketMembers}, out,
        [&](const Json& bucket, const SourcePath& at) { expand_bucket(bucket, at, out); });
}

}  // namespace costops::cli
