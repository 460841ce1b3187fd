// LiteLLM proxy spend logs: rows of its LiteLLM_SpendLogs table, from the /spend/logs API (JSON)
// or a CSV copy of the table (every value a string, metadata a JSON text). LiteLLM reports every
// provider's usage in the OpenAI convention (prompt_tokens includes cache reads and writes); the
// cache split is read from the usage LiteLLM keeps in the row's metadata.
#include "bucket_fields.hpp"
#include "usage_importer.hpp"

namespace costops::cli {

namespace {

// The columns of LiteLLM_SpendLogs (schema.prisma).
const std::vector<std::string_view> kColumns = {
    // the call
    "request_id", "call_type", "startTime", "endTime", "completionStartTime", "request_duration_ms",
    "status", "session_id", "cache_hit", "cache_key",
    // what it used and cost
    "spend", "total_tokens", "prompt_tokens", "completion_tokens", "metadata",
    // where it went
    "model", "model_id", "model_group", "custom_llm_provider", "api_base",
    "mcp_namespaced_tool_name", "agent_id",
    // who made it
    "api_key", "user", "team_id", "organization_id", "end_user", "requester_ip_address",
    "request_tags",
    // what was sent and answered (when the proxy stores them)
    "messages", "response", "proxy_server_request"};

// Columns kept in the record's metadata as given.
const std::vector<std::string_view> kMetadataColumns = {"call_type", "model_group", "api_key",
                                                        "end_user", "session_id"};

// The parts of prompt_tokens and completion_tokens that the row's metadata splits out.
struct UsageParts {
    int64_t cached = 0, write_5m = 0, write_1h = 0, reasoning = 0;
};

// One place a count may be read from: the member `key` of `object`, at `path`.
struct CountPlace {
    const Json* object;
    std::string path;
    std::string_view key;
};

// The count of the first place that has one; 0 when none does.
std::optional<int64_t> first_count(const std::vector<CountPlace>& places, ImportedRecords& out) {
    for (const CountPlace& place : places) {
        const Json* value = place.object ? find_member(*place.object, place.key) : nullptr;
        if (value != nullptr) return count_value(*value, member_path(place.path, place.key), out);
    }
    return 0;
}

// Whether the row records no billed provider call: a hit of LiteLLM's own cache (the provider
// was not called), or a failed call that used no tokens.
bool without_provider_usage(const Json& row, int64_t prompt, int64_t completion) {
    const Json* hit = find_member(row, "cache_hit");
    bool cache_hit = hit != nullptr && (hit->is_boolean() ? hit->get<bool>()
                                                          : json_scalar_text(*hit) == "True" ||
                                                                json_scalar_text(*hit) == "true");
    const Json* status = find_member(row, "status");
    bool failed = status != nullptr && json_scalar_text(*status) == "failure";
    return cache_hit || (failed && prompt == 0 && completion == 0);
}

// The row's provider and model: custom_llm_provider, and the model without a "provider/" route
// prefix, which names the provider when custom_llm_provider is empty.
bool provider_and_model(const Json& row, std::string& provider, std::string& model,
                        ImportedRecords& out) {
    auto given = text_member(row, "custom_llm_provider", "", out);
    auto name = required_text(row, "model", "", "", out);
    if (!name) return false;
    model = *name;
    size_t slash = model.find('/');
    if (slash != std::string::npos && slash > 0 && (!given || *given == model.substr(0, slash))) {
        given = model.substr(0, slash);
        model.erase(0, slash + 1);
    }
    if (!given) {
        fail_field(out, "custom_llm_provider",
                   "missing, and the model has no \"provider/\" prefix that names it");
        return false;
    }
    provider = *given;
    return true;
}

// The metadata column as an object (CSV: a JSON text); an empty object when it is absent.
std::optional<Json> metadata_object(const Json& row, ImportedRecords& out) {
    const Json* value = find_member(row, "metadata");
    if (value == nullptr) return Json::object();
    if (value->is_object()) return *value;
    if (value->is_string()) {
        try {
            Json parsed = parse_json_exact(value->get<std::string>());
            if (parsed.is_object()) return parsed;
        } catch (const JsonSyntaxError& e) {
            fail_field(out, "metadata", std::string("not valid JSON: ") + e.what());
            return std::nullopt;
        }
    }
    fail_field(out, "metadata", "expected a JSON object");
    return std::nullopt;
}

// The cache and reasoning parts from the usage LiteLLM logs in metadata: usage_object (the whole
// usage), else additional_usage_values (what older versions keep besides the three totals).
std::optional<UsageParts> usage_parts(const Json& metadata, ImportedRecords& out) {
    std::string member =
        find_member(metadata, "usage_object") ? "usage_object" : "additional_usage_values";
    const Json* usage = find_member(metadata, member);
    if (usage == nullptr) return UsageParts{};
    std::string path = "metadata." + member;
    std::string details_path = path + ".prompt_tokens_details";
    const Json* details = find_member(*usage, "prompt_tokens_details");
    const Json* split = details ? find_member(*details, "cache_creation_token_details") : nullptr;
    const Json* completion = find_member(*usage, "completion_tokens_details");
    size_t errors = out.errors.size();
    auto cached = first_count(
        {{details, details_path, "cached_tokens"}, {usage, path, "cache_read_input_tokens"}}, out);
    auto written = first_count({{details, details_path, "cache_creation_tokens"},
                                {usage, path, "cache_creation_input_tokens"}},
                               out);
    auto write_1h = first_count(
        {{split, details_path + ".cache_creation_token_details", "ephemeral_1h_input_tokens"}},
        out);
    auto reasoning =
        first_count({{completion, path + ".completion_tokens_details", "reasoning_tokens"}}, out);
    if (errors != out.errors.size()) return std::nullopt;
    if (*write_1h > *written) {
        fail_field(out, details_path + ".cache_creation_token_details.ephemeral_1h_input_tokens",
                   "exceeds the cache writes it is a part of (" + std::to_string(*written) + ")");
        return std::nullopt;
    }
    return UsageParts{*cached, *written - *write_1h, *write_1h, *reasoning};
}

// What the record keeps of the row that cost-ops does not price, LiteLLM's own cost as exact text.
Json row_metadata(const Json& row) {
    Json metadata = Json::object();
    copy_members(row, kMetadataColumns, metadata);
    if (const Json* spend = find_member(row, "spend")) {
        metadata["source_cost"] = json_scalar_text(*spend);
    }
    return metadata;
}

// The tenant fields of the record: LiteLLM's organization, its team as the project, its internal
// user (else the end user) as the user.
void tenant_fields(const Json& row, Json& record, ImportedRecords& out) {
    if (auto org = text_member(row, "organization_id", "", out)) record["organization_id"] = *org;
    if (auto team = text_member(row, "team_id", "", out)) record["project_id"] = *team;
    auto user = text_member(row, "user", "", out);
    if (!user) user = text_member(row, "end_user", "", out);
    if (user) record["user_id"] = *user;
}

// Puts the count `column` of the row into record[field] when the row has one.
void copy_count(const Json& row, std::string_view column, const char* field, Json& record,
                ImportedRecords& out) {
    const Json* value = find_member(row, column);
    auto count = value ? count_value(*value, std::string(column), out) : std::nullopt;
    if (count) record[field] = *count;
}

// The record's identity and tenant fields: request_id, timestamp, provider, model and tenants.
void identity_fields(const Json& row, Json& record, ImportedRecords& out) {
    if (auto id = required_text(row, "request_id", "", "", out)) record["request_id"] = *id;
    if (auto start = required_timestamp(row, "startTime", "", out)) record["timestamp"] = *start;
    std::string provider, model;
    if (provider_and_model(row, provider, model, out)) {
        record["provider"] = provider;
        record["model"] = model;
    }
    tenant_fields(row, record, out);
}

// The record's counts: the row's totals, its duration and the parts its metadata splits out.
void count_fields(const Json& row, int64_t prompt, int64_t completion, Json& record,
                  ImportedRecords& out) {
    record["prompt_tokens"] = prompt;
    record["completion_tokens"] = completion;
    copy_count(row, "total_tokens", "total_tokens", record, out);
    copy_count(row, "request_duration_ms", "latency_ms", record, out);
    auto metadata = metadata_object(row, out);
    auto parts = metadata ? usage_parts(*metadata, out) : std::nullopt;
    if (!parts) return;
    record["cached_tokens"] = parts->cached;
    record["cache_write_tokens"] = parts->write_5m;
    record["cache_write_1h_tokens"] = parts->write_1h;
    record["reasoning_tokens"] = parts->reasoning;
}

}  // namespace

void expand_litellm(const Json& row, ImportedRecords& out) {
    report_unknown(row, "", kColumns, out);
    size_t errors = out.errors.size();
    auto prompt = required_count(row, "prompt_tokens", "", out);
    auto completion = required_count(row, "completion_tokens", "", out);
    if (prompt && completion && without_provider_usage(row, *prompt, *completion)) return;
    Json record = Json::object();
    identity_fields(row, record, out);
    if (prompt && completion) count_fields(row, *prompt, *completion, record, out);
    if (errors != out.errors.size()) return;
    record["metadata"] = row_metadata(row);
    out.records.push_back(std::move(record));
}

}  // namespace costops::cli
