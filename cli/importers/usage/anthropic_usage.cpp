// Anthropic Admin API usage report (GET /v1/organizations/usage_report/messages): every result of
// every time bucket becomes one usage record whose request_id is the bucket's natural key, so
// that a re-fetched bucket adds nothing when unchanged and is flagged as a conflict when its
// counts changed.
#include "bucket_fields.hpp"
#include "usage_importer.hpp"

namespace costops::cli {

namespace {

// The members of a report page, of its time buckets, of their results and of a result's
// cache_creation.
const std::vector<std::string_view> kPageMembers = {"data", "has_more", "next_page"};
const std::vector<std::string_view> kBucketMembers = {"starting_at", "ending_at", "results"};
const std::vector<std::string_view> kResultMembers = {
    // the counts
    "uncached_input_tokens", "cache_creation", "cache_read_input_tokens", "output_tokens",
    "server_tool_use",
    // the grouping dimensions (null unless grouped by)
    "api_key_id", "workspace_id", "account_id", "service_account_id", "model", "service_tier",
    "context_window", "inference_geo", "speed"};
const std::vector<std::string_view> kCacheCreationMembers = {"ephemeral_1h_input_tokens",
                                                             "ephemeral_5m_input_tokens"};

// The grouping dimensions of a result, in the order of its request id.
const std::vector<std::string_view> kKeyDimensions = {
    "workspace_id",   "api_key_id",    "account_id", "service_account_id", "model", "service_tier",
    "context_window", "inference_geo", "speed"};

// The dimensions and counts cost-ops does not price, kept in metadata.
const std::vector<std::string_view> kMetadataMembers = {"api_key_id",     "service_account_id",
                                                        "context_window", "inference_geo",
                                                        "speed",          "server_tool_use"};

// The token counts of one result, in Anthropic's terms: the four input counts are disjoint.
struct ResultCounts {
    int64_t uncached = 0, cache_read = 0, write_5m = 0, write_1h = 0, output = 0;
};

// The counts of `result`, all required by the published schema; nullopt after an error.
std::optional<ResultCounts> result_counts(const Json& result, const std::string& path,
                                          const std::string& unknown_prefix, ImportedRecords& out) {
    size_t errors = out.errors.size();
    auto uncached = required_count(result, "uncached_input_tokens", path, out);
    auto read = required_count(result, "cache_read_input_tokens", path, out);
    auto output = required_count(result, "output_tokens", path, out);
    const Json* creation = find_member(result, "cache_creation");
    std::string creation_path = member_path(path, "cache_creation");
    if (creation == nullptr || !creation->is_object()) {
        fail_field(out, creation_path,
                   creation == nullptr ? "missing" : "expected an object of cache write counts");
        return std::nullopt;
    }
    report_unknown(*creation, unknown_prefix + "cache_creation.", kCacheCreationMembers, out);
    auto write_5m = required_count(*creation, "ephemeral_5m_input_tokens", creation_path, out);
    auto write_1h = required_count(*creation, "ephemeral_1h_input_tokens", creation_path, out);
    if (errors != out.errors.size()) return std::nullopt;
    return ResultCounts{*uncached, *read, *write_5m, *write_1h, *output};
}

// One result of a bucket starting at `starting_at` (and ending at `ending_at`, may be null) as
// one usage record.
void expand_result(const Json& result, const std::string& path, const std::string& unknown_prefix,
                   const std::string& starting_at, const Json* ending_at, ImportedRecords& out) {
    report_unknown(result, unknown_prefix, kResultMembers, out);
    size_t errors = out.errors.size();
    auto counts = result_counts(result, path, unknown_prefix, out);
    auto model = required_text(result, "model", path,
                               " (fetch the report grouped by model: group_by[]=model)", out);
    std::optional<std::string> tier;
    if (const Json* given = find_member(result, "service_tier")) {
        tier = service_tier_text(*given, member_path(path, "service_tier"), out);
    }
    auto workspace = text_member(result, "workspace_id", path, out);
    auto account = text_member(result, "account_id", path, out);
    if (errors != out.errors.size()) return;
    auto prompt = checked_sum(
        {counts->uncached, counts->cache_read, counts->write_5m, counts->write_1h}, path, out);
    if (!prompt) return;
    Json metadata = Json::object();
    copy_members(result, kMetadataMembers, metadata);
    if (ending_at != nullptr) metadata["bucket_ending_at"] = *ending_at;
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
        {"metadata", std::move(metadata)}};
    if (workspace) record["project_id"] = *workspace;
    if (account) record["user_id"] = *account;
    if (tier) record["service_tier"] = *tier;
    out.records.push_back(std::move(record));
}

// Every result of one time bucket.
void expand_bucket(const Json& bucket, const std::string& path, const std::string& unknown_prefix,
                   ImportedRecords& out) {
    auto starting_at = required_timestamp(bucket, "starting_at", path, out);
    if (!starting_at) return;
    const Json* ending_at = find_member(bucket, "ending_at");
    for_each_result(bucket, path, unknown_prefix, out,
                    [&](const Json& result, const std::string& at, const std::string& prefix) {
                        expand_result(result, at, prefix, *starting_at, ending_at, out);
                    });
}

}  // namespace

void expand_anthropic_usage(const Json& source, ImportedRecords& out) {
    for_each_bucket(source, {kPageMembers, kBucketMembers}, out,
                    [&](const Json& bucket, const std::string& path, const std::string& prefix) {
                        expand_bucket(bucket, path, prefix, out);
                    });
}

}  // namespace costops::cli
