// Raw provider response bodies as saved from the API (OpenAI Chat Completions and Responses,
// Anthropic Messages, Gemini generateContent), bare or wrapped with the facts a body lacks
// ({"timestamp": ..., "organization_id": ..., "response": {...}}). The body's usage object is
// passed through with its usage_format, so the shared usage-shape code converts it.
#include "bucket_fields.hpp"
#include "usage_importer.hpp"

namespace costops::cli {

namespace {

// The members of a wrapper record; "response" holds the body.
const std::vector<std::string_view> kWrapperMembers = {"timestamp",  "provider", "organization_id",
                                                       "project_id", "user_id",  "latency_ms",
                                                       "metadata",   "response"};

// The wrapper members that are cost-ops fields already, copied as given.
const std::vector<std::string_view> kWrapperFields = {"provider", "organization_id", "project_id",
                                                      "user_id",  "latency_ms",      "metadata"};

// How one kind of response body is read.
struct Shape {
    const char* provider;      // unless the wrapper names one
    const char* usage_format;  // for the usage-shape code
    const char* usage_member;
    const char* id_member;
    const char* model_member;
    const char* time_member;  // nullptr when the body carries no time
    bool unix_time;           // time_member holds unix seconds, not RFC 3339 text
    const char* tier_parent;  // the object holding "service_tier": "" the body, nullptr none
    const std::vector<std::string_view>& members;  // the body's published top-level members
};

const std::vector<std::string_view> kChatCompletionMembers = {
    // what the response is
    "id", "object", "created", "model", "usage", "service_tier", "system_fingerprint",
    // what was answered (prompt_filter_results: Azure OpenAI)
    "choices", "prompt_filter_results"};

const std::vector<std::string_view> kResponseMembers = {
    // what the response is
    "id", "object", "created_at", "completed_at", "status", "error", "incomplete_details", "model",
    "service_tier", "usage", "billing",
    // what was asked
    "background", "conversation", "instructions", "max_output_tokens", "max_tool_calls", "metadata",
    "parallel_tool_calls", "previous_response_id", "prompt", "prompt_cache_key",
    "prompt_cache_retention", "reasoning", "safety_identifier", "store", "temperature", "text",
    "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user",
    // what was answered
    "output", "output_text"};

const std::vector<std::string_view> kMessageMembers = {
    "id",          "type",          "role",  "content",   "model",
    "stop_reason", "stop_sequence", "usage", "container", "context_management"};

const std::vector<std::string_view> kGenerateContentMembers = {
    "candidates", "promptFeedback", "usageMetadata", "modelVersion", "responseId", "createTime"};

// {"object": "chat.completion", "created": <unix s>, "usage": {"prompt_tokens", ...}}
const Shape kChatCompletion{
    "openai", "openai", "usage", "id", "model", "created", true, "", kChatCompletionMembers};
// {"object": "response", "created_at": <unix s>, "usage": {"input_tokens", ...}}
const Shape kResponse{"openai", "openai", "usage",         "id", "model", "created_at",
                      true,     "",       kResponseMembers};
// {"type": "message", "usage": {"input_tokens", ...}}: no time of its own
const Shape kMessage{"anthropic", "anthropic", "usage", "id",           "model",
                     nullptr,     false,       "usage", kMessageMembers};
// {"usageMetadata": {...}, "modelVersion", "responseId", "createTime" (Vertex AI only)}
const Shape kGenerateContent{"google",     "gemini",       "usageMetadata",
                             "responseId", "modelVersion", "createTime",
                             false,        nullptr,        kGenerateContentMembers};

// The shape of `body`, from its "object" or "type" member (Gemini's has neither, but a
// usageMetadata); nullptr when it is none of these.
const Shape* shape_of(const Json& body) {
    const Json* object = find_member(body, "object");
    const Json* type = find_member(body, "type");
    std::string object_text = object != nullptr ? json_scalar_text(*object) : "";
    if (object_text == "chat.completion") return &kChatCompletion;
    if (object_text == "response") return &kResponse;
    if (type != nullptr && json_scalar_text(*type) == "message") return &kMessage;
    if (object == nullptr && type == nullptr && find_member(body, "usageMetadata") != nullptr) {
        return &kGenerateContent;
    }
    return nullptr;
}

// When the request happened: the body's own time, else the wrapper's "timestamp".
std::optional<std::string> response_time(const Shape& shape, const Json& body,
                                         const std::string& at, const Json* wrapper,
                                         ImportedRecords& out) {
    const Json* own = shape.time_member ? find_member(body, shape.time_member) : nullptr;
    if (own != nullptr) {
        std::string path = member_path(at, shape.time_member);
        return shape.unix_time ? unix_time_text(*own, path, out) : timestamp_value(*own, path, out);
    }
    const Json* given = wrapper != nullptr ? find_member(*wrapper, "timestamp") : nullptr;
    if (given != nullptr) return timestamp_value(*given, "timestamp", out);
    fail_field(out, "timestamp",
               "the response has no time; wrap it as {\"timestamp\": ..., \"response\": ...}");
    return std::nullopt;
}

// The service tier the body reports, if it reports one.
std::optional<std::string> response_tier(const Shape& shape, const Json& body,
                                         const std::string& at, ImportedRecords& out) {
    if (shape.tier_parent == nullptr) return std::nullopt;
    bool in_body = *shape.tier_parent == '\0';
    const Json* parent = in_body ? &body : find_member(body, shape.tier_parent);
    const Json* tier = parent != nullptr ? find_member(*parent, "service_tier") : nullptr;
    if (tier == nullptr) return std::nullopt;
    std::string parent_path = in_body ? at : member_path(at, shape.tier_parent);
    return service_tier_text(*tier, member_path(parent_path, "service_tier"), out);
}

}  // namespace

void expand_provider_response(const Json& source, ImportedRecords& out) {
    const Json* wrapper = find_member(source, "response") != nullptr ? &source : nullptr;
    const Json& body = wrapper != nullptr ? *find_member(source, "response") : source;
    std::string at = wrapper != nullptr ? "response" : "";
    const Shape* shape = shape_of(body);
    if (shape == nullptr) {
        fail_field(out, member_path(at, "object"),
                   "not a response this importer reads (an OpenAI chat.completion or response, an "
                   "Anthropic message or a Gemini generateContent response)");
        return;
    }
    if (wrapper != nullptr) report_unknown(source, "", kWrapperMembers, out);
    report_unknown(body, wrapper != nullptr ? "response." : "", shape->members, out);
    size_t errors = out.errors.size();
    auto timestamp = response_time(*shape, body, at, wrapper, out);
    auto id = required_text(body, shape->id_member, at, "", out);
    auto model = required_text(body, shape->model_member, at, "", out);
    const Json* usage = required_member(body, shape->usage_member, at, out);
    auto tier = response_tier(*shape, body, at, out);
    if (errors != out.errors.size()) return;
    Json record = {{"timestamp", *timestamp},
                   {"provider", shape->provider},
                   {"model", *model},
                   {"request_id", *id},
                   {shape->usage_member, *usage},
                   {"usage_format", shape->usage_format}};
    if (wrapper != nullptr) copy_members(*wrapper, kWrapperFields, record);
    if (tier) record["service_tier"] = *tier;
    out.records.push_back(std::move(record));
}

}  // namespace costops::cli
