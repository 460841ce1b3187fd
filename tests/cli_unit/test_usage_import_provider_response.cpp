// The provider-response importer: raw OpenAI, Anthropic and Gemini response bodies, bare or
// wrapped with the facts a body lacks, as usage records.
#include <catch2/catch.hpp>

#include <string>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

const std::string kChatCompletion = R"({
    "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion",
    "created": 1746885801, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi.",
                 "refusal": null, "annotations": []}, "logprobs": null,
                 "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1500, "completion_tokens": 200, "total_tokens": 1700,
              "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
    "service_tier": "default", "system_fingerprint": "fp_06737a9306"})";

const std::string kResponse = R"({
    "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", "object": "response",
    "created_at": 1746886065, "status": "completed", "error": null,
    "incomplete_details": null, "instructions": null, "max_output_tokens": null,
    "model": "o3", "output": [], "parallel_tool_calls": true, "previous_response_id": null,
    "reasoning": {"effort": "medium", "summary": null}, "store": true, "temperature": 1.0,
    "text": {"format": {"type": "text"}}, "tool_choice": "auto", "tools": [], "top_p": 1.0,
    "truncation": "disabled", "user": null, "metadata": {}, "service_tier": "flex",
    "usage": {"input_tokens": 2000, "input_tokens_details": {"cached_tokens": 1000},
              "output_tokens": 3000, "output_tokens_details": {"reasoning_tokens": 2500},
              "total_tokens": 5000}})";

const std::string kMessage = R"({
    "id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
    "content": [{"type": "text", "text": "Hello!"}], "model": "claude-sonnet-4-20250514",
    "stop_reason": "end_turn", "stop_sequence": null,
    "usage": {"input_tokens": 30, "cache_creation_input_tokens": 5000,
              "cache_read_input_tokens": 0,
              "cache_creation": {"ephemeral_5m_input_tokens": 0,
                                 "ephemeral_1h_input_tokens": 5000},
              "output_tokens": 700, "service_tier": "standard"}})";

const std::string kGenerateContent = R"({
    "candidates": [{"content": {"parts": [{"text": "Hi"}], "role": "model"},
                    "finishReason": "STOP", "index": 0}],
    "usageMetadata": {"promptTokenCount": 4000, "candidatesTokenCount": 500,
                      "totalTokenCount": 6000, "cachedContentTokenCount": 2000,
                      "thoughtsTokenCount": 1500,
                      "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 4000}]},
    "modelVersion": "gemini-2.5-flash", "responseId": "9Y4eaOTGLY2Xz7IPxLfG2A4"})";

// `body` wrapped with a timestamp and tenant fields, plus `more` (", \"name\": value...").
std::string wrapped(const std::string& body, const std::string& more = "") {
    return R"({"timestamp": "2025-05-10T14:05:00Z", "organization_id": "org-acme",
               "project_id": "proj-chat", "user_id": "u-1")" +
           more + R"(, "response": )" + body + "}";
}

}  // namespace

TEST_CASE("provider-response importer maps an OpenAI chat completion",
          "[cli][usage_import][provider_response]") {
    const UsageRecord r = only_record(expand_provider_response, kChatCompletion);
    CHECK(r.timestamp == "2025-05-10T14:03:21+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o-mini");
    CHECK(r.organization_id == "org-default");
    CHECK(r.request_id == "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    CHECK(r.prompt_tokens == 1500);
    CHECK(r.cached_tokens == 1024);
    CHECK(r.completion_tokens == 200);
    CHECK(r.reasoning_tokens == 0);
    CHECK(r.service_tier == "standard");
}

TEST_CASE("provider-response importer maps an OpenAI Responses API response",
          "[cli][usage_import][provider_response]") {
    const UsageRecord r = only_record(expand_provider_response, kResponse);
    CHECK(r.timestamp == "2025-05-10T14:07:45+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "o3");
    CHECK(r.request_id == "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");
    CHECK(r.prompt_tokens == 2000);
    CHECK(r.cached_tokens == 1000);
    CHECK(r.completion_tokens == 3000);
    CHECK(r.reasoning_tokens == 2500);
    CHECK(r.service_tier == "flex");
}

TEST_CASE("provider-response importer maps a wrapped Anthropic message with its cache writes",
          "[cli][usage_import][provider_response]") {
    const UsageRecord r = only_record(expand_provider_response, wrapped(kMessage));
    CHECK(r.timestamp == "2025-05-10T14:05:00+00:00");
    CHECK(r.provider == "anthropic");
    CHECK(r.model == "claude-sonnet-4-20250514");
    CHECK(r.organization_id == "org-acme");
    CHECK(r.project_id == "proj-chat");
    CHECK(r.user_id == "u-1");
    CHECK(r.request_id == "msg_01XFDUDYJgAACzvnptvVoYEL");
    CHECK(r.prompt_tokens == 5030);
    CHECK(r.cached_tokens == 0);
    CHECK(r.cache_write_tokens == 0);
    CHECK(r.cache_write_1h_tokens == 5000);
    CHECK(r.completion_tokens == 700);
    CHECK(r.service_tier == "standard");
}

TEST_CASE("provider-response importer maps a wrapped Gemini generateContent response",
          "[cli][usage_import][provider_response]") {
    const UsageRecord r = only_record(expand_provider_response, wrapped(kGenerateContent));
    CHECK(r.provider == "google");
    CHECK(r.model == "gemini-2.5-flash");
    CHECK(r.request_id == "9Y4eaOTGLY2Xz7IPxLfG2A4");
    CHECK(r.prompt_tokens == 4000);
    CHECK(r.cached_tokens == 2000);
    CHECK(r.completion_tokens == 2000);
    CHECK(r.reasoning_tokens == 1500);
    CHECK(r.timestamp == "2025-05-10T14:05:00+00:00");
}

TEST_CASE(
    "provider-response importer takes a Vertex response's createTime and the wrapper's "
    "provider",
    "[cli][usage_import][provider_response]") {
    std::string vertex = kGenerateContent;
    vertex.insert(vertex.rfind('}'), R"(, "createTime": "2025-05-10T14:09:30.123Z")");
    const UsageRecord r = only_record(expand_provider_response, vertex);
    CHECK(r.timestamp == "2025-05-10T14:09:30.123+00:00");
    const UsageRecord azure =
        only_record(expand_provider_response, wrapped(kChatCompletion, R"(, "provider": "azure")"));
    CHECK(azure.provider == "azure");
    CHECK(azure.timestamp == "2025-05-10T14:03:21+00:00");
    CHECK(azure.prompt_tokens == 1500);
}

TEST_CASE("provider-response importer asks for a wrapper when the body has no time",
          "[cli][usage_import][provider_response]") {
    ImportedRecords imported = expanded(expand_provider_response, kMessage);
    CHECK(imported.records.empty());
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"timestamp: the response has no time; wrap it as "
                                   "{\"timestamp\": ..., \"response\": ...}"});
}

TEST_CASE("provider-response importer names a missing required field",
          "[cli][usage_import][provider_response]") {
    std::string no_id = kChatCompletion;
    no_id.erase(no_id.find(R"("id": )"),
                std::string(R"("id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", )").size());
    ImportedRecords imported = expanded(expand_provider_response, no_id);
    CHECK(error_messages(imported) == std::vector<std::string>{"id: missing"});
    std::string no_usage = kMessage;
    no_usage.replace(no_usage.find(R"("usage": )"), 9, R"("usage_": )");
    imported = expanded(expand_provider_response, wrapped(no_usage));
    CHECK(error_messages(imported) == std::vector<std::string>{"response.usage: missing"});
    CHECK(imported.unknown == std::vector<std::string>{"response.usage_"});
    imported = expanded(expand_provider_response, R"({"object": "list", "data": []})");
    REQUIRE(imported.errors.size() == 1);
    CHECK(imported.errors[0].field == "object");
}

TEST_CASE("provider-response importer leaves a bad usage count to the usage-shape code",
          "[cli][usage_import][provider_response]") {
    std::string bad = kResponse;
    bad.replace(bad.find(R"("input_tokens": 2000)"), 20, R"("input_tokens": -2)");
    ImportedRecords imported = expanded(expand_provider_response, bad);
    REQUIRE(imported.records.size() == 1);
    UsageRecord out;
    std::vector<std::string> errors = mapping_errors(imported.records[0], out);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == "usage.input_tokens is negative (-2)");
    std::string bad_tier = kMessage;
    bad_tier.replace(bad_tier.find(R"("standard")"), 10, R"("priority_on_demand")");
    imported = expanded(expand_provider_response, wrapped(bad_tier));
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"response.usage.service_tier: expected a service tier "
                                   "cost-ops prices (standard, batch, priority or flex), got "
                                   "\"priority_on_demand\""});
}

TEST_CASE("provider-response importer reports unknown fields of the wrapper and the body",
          "[cli][usage_import][provider_response]") {
    std::string body = kMessage;
    body.insert(body.rfind('}'), R"(, "stop_details": null)");
    ImportedRecords imported =
        expanded(expand_provider_response, wrapped(body, R"(, "saved_by": "proxy")"));
    CHECK(imported.errors.empty());
    CHECK(imported.unknown == std::vector<std::string>{"saved_by", "response.stop_details"});
}

TEST_CASE("provider-response importer keeps the response id, so a re-import is recognised",
          "[cli][usage_import][provider_response]") {
    const UsageRecord bare = only_record(expand_provider_response, kChatCompletion);
    const UsageRecord again = only_record(expand_provider_response, wrapped(kChatCompletion));
    CHECK(bare.request_id == again.request_id);
    CHECK(bare.timestamp == again.timestamp);
}
