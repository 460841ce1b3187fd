// LiteLLM proxy spend logs: rows of its LiteLLM_SpendLogs table, from the /spend/logs API (JSON)
// or a CSV copy of the table (every value a string, metadata a JSON text). LiteLLM reports every
// provider's usage in the OpenAI convention (prompt_tokens includes cache reads and writes); the
// cache split is read from the usage LiteLLM keeps in the row's metadata.
#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The columns of LiteLLM_SpendLogs (schema.prisma).
const KnownFields kColumns = {
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
const KnownFields kMetadataColumns = {"call_type", "model_group", "api_key", "end_user",
                                      "session_id"};

// The parts of prompt_tokens and completion_tokens that the row's metadata splits out.
struct UsageParts {
    int64_t cached = 0, write_5m = 0, write_1h = 0, reasoning = 0;
};

// One place a count may be read from: the member `key` of `object`.
struct CountPlace {
    SourceObject* object;
    std::string_view key;
};

// The count of the first place that has one; 0 when none does.
std::optional<int64_t> first_count(std::initializer_list<CountPlace> places) {
    for (const CountPlace& place : places) {
        if (place.object->has(place.key)) return place.object->count(place.key);
    }
    return 0;
}

// Whether the row records no billed provider call: a hit of LiteLLM's own cache (the provider
// was not called), or a failed call that used no tokens.
bool without_provider_usage(const SourceObject& row, int64_t prompt, int64_t completion) {
    const Json* hit = row.find("cache_hit");
    bool cache_hit = hit != nullptr && (hit->is_boolean() ? hit->get<bool>()
                                                          : json_scalar_text(*hit) == "True" ||
                                                                json_scalar_text(*hit) == "true");
    const Json* status = row.find("status");
    bool failed = status != nullptr && json_scalar_text(*status) == "failure";
    return cache_hit || (failed && prompt == 0 && completion == 0);
}

// The row's provider and model: custom_llm_provider, and the model without a "provider/" route
// prefix, which names the provider when custom_llm_provider is empty.
bool provider_and_model(SourceObject& row, std::string& provider, std::string& model) {
    auto given = row.text("custom_llm_provider", TextRule::identifier);
    auto name = row.required_text("model", TextRule::identifier);
    if (!name) return false;
    model = *name;
    size_t slash = model.find('/');
    if (slash != std::string::npos && slash > 0 && (!given || *given == model.substr(0, slash))) {
        given = model.substr(0, slash);
        model.erase(0, slash + 1);
    }
    if (!given) {
        row.fail("custom_llm_provider",
                 "missing, and the model has no \"provider/\" prefix that names it");
        return false;
    }
    provider = *given;
    return true;
}

// The cache and reasoning parts from the usage LiteLLM logs in metadata: usage_object (the whole
// usage), else additional_usage_values (what older versions keep besides the three totals).
std::optional<UsageParts> usage_parts(const SourceObject& metadata) {
    SourceObject usage = metadata.members_of(
        metadata.has("usage_object") ? "usage_object" : "additional_usage_values");
    SourceObject details = usage.members_of("prompt_tokens_details");
    SourceObject split = details.members_of("cache_creation_token_details");
    SourceObject completion = usage.members_of("completion_tokens_details");
    auto cached = first_count({{&details, "cached_tokens"}, {&usage, "cache_read_input_tokens"}});
    auto written =
        first_count({{&details, "cache_creation_tokens"}, {&usage, "cache_creation_input_tokens"}});
    auto write_1h = first_count({{&split, "ephemeral_1h_input_tokens"}});
    auto reasoning = first_count({{&completion, "reasoning_tokens"}});
    if (usage.has_errors()) return std::nullopt;
    if (*write_1h > *written) {
        split.fail("ephemeral_1h_input_tokens",
                   "exceeds the cache writes it is a part of (" + std::to_string(*written) + ")");
        return std::nullopt;
    }
    return UsageParts{*cached, *written - *write_1h, *write_1h, *reasoning};
}

// What the record keeps of the row that cost-ops does not price, LiteLLM's own cost as exact text.
Json row_metadata(const SourceObject& row) {
    Json metadata = Json::object();
    row.copy_members(kMetadataColumns, metadata);
    if (const Json* spend = row.find("spend")) metadata["source_cost"] = json_scalar_text(*spend);
    return metadata;
}

// The tenant fields of the record: LiteLLM's organization, its team as the project, its internal
// user (else the end user) as the user.
void tenant_fields(SourceObject& row, Json& record) {
    put_text(record, "organization_id", row.text("organization_id", TextRule::identifier));
    put_text(record, "project_id", row.text("team_id", TextRule::identifier));
    auto user = row.text("user", TextRule::identifier);
    if (!user) user = row.text("end_user", TextRule::identifier);
    put_text(record, "user_id", user);
}

// Puts the count `column` of the row into record[field] when the row has one.
void copy_count(SourceObject& row, std::string_view column, const char* field, Json& record) {
    if (auto count = row.count(column)) record[field] = *count;
}

// The record's identity and tenant fields: request_id, timestamp, provider, model and tenants.
void identity_fields(SourceObject& row, Json& record) {
    put_text(record, "request_id", row.required_text("request_id", TextRule::identifier));
    put_text(record, "timestamp", row.timestamp("startTime"));
    std::string provider, model;
    if (provider_and_model(row, provider, model)) {
        record["provider"] = provider;
        record["model"] = model;
    }
    tenant_fields(row, record);
}

// The record's counts: the row's totals, its duration and the parts its metadata splits out.
void count_fields(SourceObject& row, int64_t prompt, int64_t completion, Json& record) {
    record["prompt_tokens"] = prompt;
    record["completion_tokens"] = completion;
    copy_count(row, "total_tokens", "total_tokens", record);
    copy_count(row, "request_duration_ms", "latency_ms", record);
    auto metadata = row.object("metadata");
    if (row.has("metadata") && !metadata) return;  // not a JSON object: reported
    std::optional<UsageParts> parts = metadata ? usage_parts(*metadata) : UsageParts{};
    if (!parts) return;
    record["cached_tokens"] = parts->cached;
    record["cache_write_tokens"] = parts->write_5m;
    record["cache_write_1h_tokens"] = parts->write_1h;
    record["reasoning_tokens"] = parts->reasoning;
}

}  // namespace

void expand_litellm(const Json& source, ImportedRecords& out) {
    SourceObject row = SourceObject::members_of(&source, {}, out);
    row.report_unknown(kColumns, NullMembers::reported);
    auto prompt = row.required_count("prompt_tokens");
    auto completion = row.required_count("completion_tokens");
    if (prompt && completion && without_provider_usage(row, *prompt, *completion)) return;
    Json record = Json::object();
    identity_fields(row, record);
    if (prompt && completion) count_fields(row, *prompt, *completion, record);
    if (row.has_errors()) return;
    record["metadata"] = row_metadata(row);
    out.records.push_back(std::move(record));
}

}  // namespace costops::cli
