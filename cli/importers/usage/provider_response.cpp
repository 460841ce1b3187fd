// Raw provider response bodies as saved from the API (OpenAI Chat Completions and Responses,
// Anthropic Messages, Gemini generateContent), bare or wrapped with the facts a body lacks
// ({"timestamp": ..., "organization_id": ..., "response": {...}}). The body's usage object is
// passed through with its usage_format, so the shared usage-shape code converts it.
#include "importer_fields.hpp"

namespace costops::cli {

namespace {

// The members of a wrapper record; "response" holds the body.
const KnownFields kWrapperMembers = {"timestamp", "provider",   "organization_id", "project_id",
                                     "user_id",   "latency_ms", "metadata",        "response"};

// The wrapper members that are cost-ops fields already, copied as given.
const KnownFields kWrapperFields = {"provider", "organization_id", "project_id",
                                    "user_id",  "latency_ms",      "metadata"};

// How one kind of response body is read.
struct Shape {
    const char* provider;      // unless the wrapper names one
    const char* usage_format;  // for the usage-shape code
    const char* usage_member;
    const char* id_member;
    const char* model_member;
    const char* time_member;     // nullptr when the body carries no time
    bool unix_time;              // time_member holds unix seconds, not RFC 3339 text
    const char* tier_parent;     // the object holding "service_tier": "" the body, nullptr none
    const KnownFields& members;  // the body's published top-level members
};

const KnownFields kChatCompletionMembers = {
    // what the response is
    "id", "object", "created", "model", "usage", "service_tier", "system_fingerprint",
    // what was answered (prompt_filter_results: Azure OpenAI)
    "choices", "prompt_filter_results"};

const KnownFields kResponseMembers = {
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

const KnownFields kMessageMembers = {
    "id",          "type",          "role",  "content",   "model",
    "stop_reason", "stop_sequence", "usage", "container", "context_management"};

const KnownFields kGenerateContentMembers = {"candidates",   "promptFeedback", "usageMetadata",
                                             "modelVersion", "responseId",     "createTime"};

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
const Shape* shape_of(const SourceObject& body) {
    const Json* object = body.find("object");
    const Json* type = body.find("type");
    std::string object_text = object != nullptr ? json_scalar_text(*object) : "";
    if (object_text == "chat.completion") return &kChatCompletion;
    if (object_text == "response") return &kResponse;
    if (type != nullptr && json_scalar_text(*type) == "message") return &kMessage;
    if (object == nullptr && type == nullptr && body.has("usageMetadata")) {
        return &kGenerateContent;
    }
    return nullptr;
}

// When the request happened: the body's own time, else the wrapper's "timestamp".
std::optional<std::string> response_time(const Shape& shape, SourceObject& body,
                                         SourceObject& wrapper) {
    if (shape.time_member != nullptr && body.has(shape.time_member)) {
        return shape.unix_time ? body.unix_seconds(shape.time_member)
                               : body.timestamp(shape.time_member);
    }
    if (wrapper.has("timestamp")) return wrapper.timestamp("timestamp");
    wrapper.fail("timestamp",
                 "the response has no time; wrap it as {\"timestamp\": ..., \"response\": ...}");
    return std::nullopt;
}

// The service tier the body reports, if it reports one.
std::optional<std::string> response_tier(const Shape& shape, const SourceObject& body) {
    if (shape.tier_parent == nullptr) return std::nullopt;
    SourceObject parent = *shape.tier_parent == '\0' ? body : body.members_of(shape.tier_parent);
    return parent.service_tier("service_tier");
}

}  // namespace

void expand_provider_response(const Json& source, ImportedRecords& out) {
    SourceObject given = SourceObject::members_of(&source, {}, out);
    bool wrapped = given.has("response");
    SourceObject wrapper = wrapped ? given : SourceObject::members_of(nullptr, {}, out);
    SourceObject body = wrapped ? given.members_of("response") : given;
    const Shape* shape = shape_of(body);
    if (shape == nullptr) {
        body.fail("object",
                  "not a response this importer reads (an OpenAI chat.completion or response, an "
                  "Anthropic message or a Gemini generateContent response)");
        return;
    }
    wrapper.report_unknown(kWrapperMembers, NullMembers::reported);
    body.report_unknown(shape->members, NullMembers::reported);
    auto timestamp = response_time(*shape, body, wrapper);
    auto id = body.required_text(shape->id_member, TextRule::identifier);
    auto model = body.required_text(shape->model_member, TextRule::identifier);
    const Json* usage = body.find(shape->usage_member);
    if (usage == nullptr) body.fail(shape->usage_member, "missing");
    auto tier = response_tier(*shape, body);
    if (body.has_errors()) return;
    Json record = {{"timestamp", *timestamp},
                   {"provider", shape->provider},
                   {"model", *model},
                   {"request_id", *id},
                   {shape->usage_member, *usage},
                   {"usage_format", shape->usage_format}};
    wrapper.copy_members(kWrapperFields, record);
    put_text(record, "service_tier", tier);
    out.records.push_back(std::move(record));
}

}  // namespace costops::cli
