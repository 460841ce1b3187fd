// The litellm importer: LiteLLM proxy spend-log rows (LiteLLM_SpendLogs) as usage records.
#include <catch2/catch.hpp>

#include <string>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// A spend-log row as the /spend/logs API returns it, with `changes` (", \"name\": value...")
// added or replacing members.
std::string row_with(const std::string& changes = "") {
    Json row = costops::parse_json_exact(R"({
        "request_id": "chatcmpl-BkX1", "call_type": "acompletion", "api_key": "88dc28d0f030c5",
        "spend": 0.00472, "total_tokens": 1500, "prompt_tokens": 1200, "completion_tokens": 300,
        "startTime": "2025-08-01T10:00:00.481+00:00", "endTime": "2025-08-01T10:00:02.9+00:00",
        "completionStartTime": "2025-08-01T10:00:01.2+00:00", "request_duration_ms": 2419,
        "model": "gpt-4o", "model_id": "a1b2", "model_group": "gpt-4o",
        "custom_llm_provider": "openai", "api_base": "https://api.openai.com/v1",
        "user": "u-17", "team_id": "team-search", "organization_id": null, "end_user": "",
        "cache_hit": "False", "cache_key": "Cache OFF", "request_tags": [],
        "requester_ip_address": "", "messages": {}, "response": {}, "session_id": "s-9",
        "status": "success", "mcp_namespaced_tool_name": null, "agent_id": null,
        "proxy_server_request": {},
        "metadata": {"user_api_key_team_id": "team-search", "status": "success",
          "usage_object": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500,
            "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": null},
            "completion_tokens_details": {"reasoning_tokens": 0}}}})");
    if (!changes.empty()) {
        Json more = costops::parse_json_exact("{" + changes.substr(changes.find(',') + 1) + "}");
        for (auto it = more.begin(); it != more.end(); ++it) row[it.key()] = *it;
    }
    return costops::dump_exact(row);
}

// The usage_object of an Anthropic call as LiteLLM logs it (prompt_tokens including the cache
// reads and writes), as a metadata member.
const std::string kAnthropicMetadata = R"(, "metadata": {"usage_object": {
    "prompt_tokens": 12010, "completion_tokens": 500, "total_tokens": 12510,
    "cache_read_input_tokens": 10000, "cache_creation_input_tokens": 2000,
    "prompt_tokens_details": {"cached_tokens": 10000, "cache_creation_tokens": 2000,
      "cache_creation_token_details": {"ephemeral_5m_input_tokens": 500,
                                       "ephemeral_1h_input_tokens": 1500},
      "text_tokens": 10},
    "completion_tokens_details": {"reasoning_tokens": 120, "text_tokens": 380}}})";

}  // namespace

TEST_CASE("litellm importer maps a spend-log row from the API", "[cli][usage_import][litellm]") {
    const UsageRecord r = only_record(expand_litellm, row_with());
    CHECK(r.timestamp == "2025-08-01T10:00:00.481+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o");
    CHECK(r.organization_id == "org-default");
    CHECK(r.project_id == "team-search");
    CHECK(r.user_id == "u-17");
    CHECK(r.request_id == "chatcmpl-BkX1");
    CHECK(r.prompt_tokens == 1200);
    CHECK(r.cached_tokens == 1024);
    CHECK(r.cache_write_tokens == 0);
    CHECK(r.completion_tokens == 300);
    CHECK(r.reasoning_tokens == 0);
    CHECK(r.total_tokens == 1500);
    CHECK(r.latency_ms == 2419);
    CHECK(r.service_tier == "standard");
    Json metadata = metadata_of(r);
    CHECK(metadata["source_cost"] == "0.00472");
    CHECK(metadata["call_type"] == "acompletion");
    CHECK(metadata["model_group"] == "gpt-4o");
    CHECK(metadata["api_key"] == "88dc28d0f030c5");
}

TEST_CASE("litellm importer splits Anthropic cache reads and 5-minute and 1-hour writes",
          "[cli][usage_import][litellm]") {
    const UsageRecord r = only_record(
        expand_litellm,
        row_with(R"(, "custom_llm_provider": "anthropic", "model": "claude-sonnet-4-20250514",
                    "prompt_tokens": 12010, "completion_tokens": 500, "total_tokens": 12510)" +
                 kAnthropicMetadata));
    CHECK(r.provider == "anthropic");
    CHECK(r.prompt_tokens == 12010);
    CHECK(r.cached_tokens == 10000);
    CHECK(r.cache_write_tokens == 500);
    CHECK(r.cache_write_1h_tokens == 1500);
    CHECK(r.completion_tokens == 500);
    CHECK(r.reasoning_tokens == 120);
}

TEST_CASE("litellm importer reads the cache counts of older rows' additional_usage_values",
          "[cli][usage_import][litellm]") {
    const UsageRecord r = only_record(
        expand_litellm,
        row_with(R"(, "custom_llm_provider": "anthropic", "model": "claude-3-5-haiku-20241022",
                    "prompt_tokens": 2100, "completion_tokens": 400, "total_tokens": 2500,
                    "metadata": {"additional_usage_values": {"cache_read_input_tokens": 0,
                                 "cache_creation_input_tokens": 2000}})"));
    CHECK(r.prompt_tokens == 2100);
    CHECK(r.cached_tokens == 0);
    CHECK(r.cache_write_tokens == 2000);
    CHECK(r.cache_write_1h_tokens == 0);
}

TEST_CASE("litellm importer reads a CSV copy of the table, every value a string",
          "[cli][usage_import][litellm]") {
    const UsageRecord r = only_record(expand_litellm, R"({
        "request_id": "msg_01XFDUDYJgAACzvnptvVoYEL", "call_type": "acompletion",
        "api_key": "88dc28d0f030c5", "spend": "1.23e-05", "total_tokens": "12510",
        "prompt_tokens": "12010", "completion_tokens": "500",
        "startTime": "2025-08-01 10:00:00.481", "endTime": "2025-08-01 10:00:03.02",
        "request_duration_ms": "2539", "model": "claude-sonnet-4-20250514",
        "model_group": "claude-sonnet", "custom_llm_provider": "anthropic", "user": null,
        "team_id": null, "end_user": "customer-42", "cache_hit": "False", "status": "success",
        "metadata": "{\"usage_object\": {\"prompt_tokens\": 12010, \"cache_read_input_tokens\": 10000, \"cache_creation_input_tokens\": 2000, \"prompt_tokens_details\": {\"cached_tokens\": 10000, \"cache_creation_tokens\": 2000}}}"})");
    CHECK(r.timestamp == "2025-08-01T10:00:00.481+00:00");
    CHECK(r.provider == "anthropic");
    CHECK(r.request_id == "msg_01XFDUDYJgAACzvnptvVoYEL");
    CHECK(r.prompt_tokens == 12010);
    CHECK(r.cached_tokens == 10000);
    CHECK(r.cache_write_tokens == 2000);
    CHECK(r.completion_tokens == 500);
    CHECK(r.total_tokens == 12510);
    CHECK(r.latency_ms == 2539);
    CHECK_FALSE(r.project_id);
    CHECK(r.user_id == "customer-42");
    Json metadata = metadata_of(r);
    CHECK(metadata["source_cost"] == "1.23e-05");
    CHECK(metadata["end_user"] == "customer-42");
}

TEST_CASE("litellm importer takes the provider from a model's route prefix",
          "[cli][usage_import][litellm]") {
    UsageRecord r = only_record(
        expand_litellm, row_with(R"(, "custom_llm_provider": "", "model": "openai/gpt-4o-mini")"));
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o-mini");
    r = only_record(expand_litellm,
                    row_with(R"(, "custom_llm_provider": "azure", "model": "azure/gpt-4o")"));
    CHECK(r.provider == "azure");
    CHECK(r.model == "gpt-4o");
    r = only_record(expand_litellm, row_with(R"(, "custom_llm_provider": "openrouter",
                                              "model": "anthropic/claude-3.5-sonnet")"));
    CHECK(r.provider == "openrouter");
    CHECK(r.model == "anthropic/claude-3.5-sonnet");
    ImportedRecords imported =
        expanded(expand_litellm, row_with(R"(, "custom_llm_provider": null, "model": "gpt-4o")"));
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"custom_llm_provider: missing, and the model has no "
                                   "\"provider/\" prefix that names it"});
}

TEST_CASE("litellm importer skips LiteLLM cache hits and failed calls without tokens",
          "[cli][usage_import][litellm]") {
    ImportedRecords imported = expanded(
        expand_litellm,
        row_with(R"(, "request_id": "chatcmpl-BkX1_cache_hit1754042400.12", "cache_hit": "True",
                    "spend": 0.0)"));
    CHECK(imported.records.empty());
    CHECK(imported.errors.empty());
    imported = expanded(expand_litellm, row_with(R"(, "status": "failure", "prompt_tokens": 0,
                                    "completion_tokens": 0, "total_tokens": 0, "spend": 0.0,
                                    "metadata": {"status": "failure"})"));
    CHECK(imported.records.empty());
    CHECK(imported.errors.empty());
    const UsageRecord billed_failure =
        only_record(expand_litellm, row_with(R"(, "status": "failure", "completion_tokens": 0,
                                   "total_tokens": 1200)"));
    CHECK(billed_failure.prompt_tokens == 1200);
}

TEST_CASE("litellm importer names a missing required field", "[cli][usage_import][litellm]") {
    ImportedRecords imported =
        expanded(expand_litellm, row_with(R"(, "request_id": "", "startTime": null)"));
    CHECK(imported.records.empty());
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"request_id: missing", "startTime: missing"});
    imported = expanded(expand_litellm, R"({"request_id": "r1", "startTime": "2025-08-01",
                                           "model": "gpt-4o", "custom_llm_provider": "openai"})");
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"prompt_tokens: missing", "completion_tokens: missing"});
}

TEST_CASE("litellm importer rejects bad token values naming the field",
          "[cli][usage_import][litellm]") {
    ImportedRecords imported = expanded(expand_litellm, row_with(R"(, "prompt_tokens": "1,200")"));
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"prompt_tokens: must be a non-negative integer, got \"1,200\""});
    std::string bad_cache = kAnthropicMetadata;
    bad_cache.replace(bad_cache.find("\"cached_tokens\": 10000"), 22, "\"cached_tokens\": -1");
    imported = expanded(expand_litellm, row_with(bad_cache));
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"metadata.usage_object.prompt_tokens_details.cached_tokens: "
                                   "must be a non-negative integer, got -1"});
    imported = expanded(expand_litellm, row_with(R"(, "metadata": "{not json")"));
    REQUIRE(imported.errors.size() == 1);
    CHECK(imported.errors[0].field == "metadata");
    imported = expanded(expand_litellm, row_with(R"(, "startTime": "01/08/2025 10:00")"));
    REQUIRE(imported.errors.size() == 1);
    CHECK(imported.errors[0].field == "startTime");
}

TEST_CASE("litellm importer leaves cache counts beyond prompt_tokens to the validator",
          "[cli][usage_import][litellm]") {
    // Some LiteLLM versions left cache writes out of prompt_tokens for Anthropic: such a row
    // is refused, never silently repriced.
    ImportedRecords imported = expanded(
        expand_litellm,
        row_with(R"(, "custom_llm_provider": "anthropic", "model": "claude-sonnet-4-20250514",
                    "prompt_tokens": 31, "completion_tokens": 467, "total_tokens": 498,
                    "metadata": {"usage_object": {"prompt_tokens": 31,
                      "prompt_tokens_details": {"cached_tokens": 0},
                      "cache_creation_input_tokens": 1253, "cache_read_input_tokens": 0}})"));
    REQUIRE(imported.records.size() == 1);
    UsageRecord out;
    CHECK_FALSE(mapping_errors(imported.records[0], out).empty());
}

TEST_CASE("litellm importer reports unknown columns", "[cli][usage_import][litellm]") {
    ImportedRecords imported =
        expanded(expand_litellm, row_with(R"(, "spend_currency": "USD", "region": "eu")"));
    CHECK(imported.errors.empty());
    CHECK(imported.unknown == std::vector<std::string>{"region", "spend_currency"});
}

TEST_CASE("litellm importer keeps the request_id of a row, so a re-import is recognised",
          "[cli][usage_import][litellm]") {
    const UsageRecord first = only_record(expand_litellm, row_with());
    const UsageRecord again = only_record(expand_litellm, row_with());
    CHECK(first.request_id == again.request_id);
    CHECK(first.request_id == "chatcmpl-BkX1");
}
