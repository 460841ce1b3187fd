// The LangSmith importer: LLM runs as usage records, other runs skipped.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// An LLM run of ChatOpenAI as the runs API returns it, without its closing brace.
const std::string kRun = R"({
    "id": "0195b3e0-1a2b-7c3d-8e4f-000000000101", "name": "ChatOpenAI", "run_type": "llm",
    "start_time": "2025-04-02T08:00:00.210000", "end_time": "2025-04-02T08:00:02.001000",
    "trace_id": "0195b3e0-1a2b-7c3d-8e4f-000000000100",
    "parent_run_id": "0195b3e0-1a2b-7c3d-8e4f-000000000100",
    "session_id": "7c1d9a40-3b2e-4f6a-9d1c-5e8f00a1b2c3", "status": "success", "error": null,
    "extra": {"invocation_params": {"model": "gpt-4o", "stream": false},
              "metadata": {"ls_provider": "openai", "ls_model_name": "gpt-4o",
                           "ls_model_type": "chat"}},
    "prompt_tokens": 2600, "completion_tokens": 400, "total_tokens": 3000,
    "prompt_token_details": {"cache_read": 1024, "audio": 0},
    "completion_token_details": {"reasoning": 0, "audio": 0},
    "total_cost": "0.00922")";

// kRun with `members` (", \"name\": value...") added; a repeated name overrides.
std::string run_with(const std::string& members) {
    Json run = parse_json_exact(kRun + "}");
    Json changes = parse_json_exact("{" + members.substr(members.find(',') + 1) + "}");
    for (auto it = changes.begin(); it != changes.end(); ++it) run[it.key()] = *it;
    return dump_exact(run);
}

// An Anthropic run whose prompt_token_details are `details`.
std::string anthropic_run(const std::string& details) {
    return run_with(R"(, "extra": {"metadata": {"ls_provider": "anthropic",
                                                "ls_model_name": "claude-sonnet-4-20250514"}},
                      "prompt_tokens": 12000, "completion_tokens": 700, "total_tokens": 12700,
                      "prompt_token_details": )" +
                    details + R"(, "completion_token_details": {})");
}

}  // namespace

TEST_CASE("langsmith importer: an LLM run keeps LangSmith's inclusive counts",
          "[cli][usage_import]") {
    const UsageRecord r = only_record(expand_langsmith, kRun + "}", with_organization("org-test"));
    CHECK(r.timestamp == "2025-04-02T08:00:00.21+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o");
    CHECK(r.organization_id == "org-test");
    CHECK(r.project_id == "7c1d9a40-3b2e-4f6a-9d1c-5e8f00a1b2c3");
    CHECK(r.request_id == "0195b3e0-1a2b-7c3d-8e4f-000000000101");
    CHECK(r.prompt_tokens == 2600);
    CHECK(r.cached_tokens == 1024);
    CHECK(r.completion_tokens == 400);
    CHECK(r.reasoning_tokens == 0);
    CHECK(r.total_tokens == 3000);
    CHECK(r.metadata ==
          R"({"run_name":"ChatOpenAI","source":"langsmith",)"
          R"("source_cost":"0.00922","trace_id":"0195b3e0-1a2b-7c3d-8e4f-000000000100"})");
    const UsageRecord o3 =
        only_record(expand_langsmith, run_with(R"(, "completion_tokens": 3000, "total_tokens": 5600,
                                                  "completion_token_details": {"reasoning": 2200},
                                                  "total_cost": 0.0258)"));
    CHECK(o3.completion_tokens == 3000);
    CHECK(o3.reasoning_tokens == 2200);
    CHECK(o3.metadata->find(R"("source_cost":"0.0258")") != std::string::npos);
}

TEST_CASE("langsmith importer: Anthropic cache writes split by lifetime", "[cli][usage_import]") {
    // langchain-anthropic sets cache_creation to 0 when it gives the split ...
    const UsageRecord r =
        only_record(expand_langsmith, anthropic_run(R"({"cache_read": 8000, "cache_creation": 0,
                          "ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 2000})"));
    CHECK(r.provider == "anthropic");
    CHECK(r.prompt_tokens == 12000);
    CHECK(r.cached_tokens == 8000);
    CHECK(r.cache_write_tokens == 1500);
    CHECK(r.cache_write_1h_tokens == 2000);
    // ... older versions repeat the sum there.
    const UsageRecord old =
        only_record(expand_langsmith, anthropic_run(R"({"cache_read": 8000, "cache_creation": 3500,
                          "ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 2000})"));
    CHECK(old.cache_write_tokens == 1500);
    CHECK(old.cache_write_1h_tokens == 2000);
    // Without the split, cache_creation is the 5-minute writes.
    CHECK(only_record(expand_langsmith, anthropic_run(R"({"cache_creation": 3500})"))
              .cache_write_tokens == 3500);
    CHECK(only_error(expand_langsmith,
                     anthropic_run(R"({"cache_creation": 3000, "ephemeral_5m_input_tokens": 1500,
                                       "ephemeral_1h_input_tokens": 2000})")) ==
          "prompt_token_details.cache_creation: (3000) is neither 0 nor "
          "ephemeral_5m_input_tokens + ephemeral_1h_input_tokens (3500)");
}

TEST_CASE("langsmith importer: a run without counts uses outputs.usage_metadata",
          "[cli][usage_import]") {
    const UsageRecord r = only_record(
        expand_langsmith,
        run_with(R"(, "prompt_tokens": null, "completion_tokens": null, "total_tokens": null,
                    "prompt_token_details": null, "completion_token_details": null,
                    "extra": {"metadata": {"ls_provider": "anthropic",
                                           "ls_model_name": "claude-3-5-haiku-20241022"}},
                    "outputs": {"usage_metadata": {"input_tokens": 3000, "output_tokens": 250,
                        "total_tokens": 3250,
                        "input_token_details": {"cache_read": 2000, "cache_creation": 600}}})"));
    CHECK(r.model == "claude-3-5-haiku-20241022");
    CHECK(r.prompt_tokens == 3000);
    CHECK(r.cached_tokens == 2000);
    CHECK(r.cache_write_tokens == 600);
    CHECK(r.completion_tokens == 250);
    CHECK(r.total_tokens == 3250);
}

TEST_CASE("langsmith importer: provider ids, model fallbacks and pages", "[cli][usage_import]") {
    const UsageRecord gemini = only_record(
        expand_langsmith, run_with(R"(, "extra": {"metadata": {"ls_provider": "google_genai",
                                             "ls_model_name": "gemini-2.5-flash"}})"));
    CHECK(gemini.provider == "google");
    CHECK(
        only_record(expand_langsmith, run_with(R"(, "extra": {"metadata": {"ls_provider": "openai"},
                                              "invocation_params": {"model_name": "o3"}})"))
            .model == "o3");
    const Expanded page = expand_and_map(
        expand_langsmith, R"({"runs": [)" + kRun + "}, " + run_with(R"(, "run_type": "chain")") +
                              R"(], "cursors": {"next": null}})");
    CHECK(page.errors.empty());
    CHECK(page.records.size() == 1);
}

TEST_CASE("langsmith importer: runs other than LLM calls are not usage", "[cli][usage_import]") {
    // A chain's counts are the sums of its children's: counting it would count them twice.
    CHECK(yields_nothing(expand_langsmith, run_with(R"(, "run_type": "chain")")));
    CHECK(yields_nothing(expand_langsmith, run_with(R"(, "run_type": "tool")")));
    CHECK(yields_nothing(expand_langsmith, run_with(R"(, "run_type": "retriever")")));
    CHECK(
        yields_nothing(expand_langsmith, run_with(R"(, "status": "error", "error": "RateLimitError",
                                     "prompt_tokens": null, "completion_tokens": null)")));
}

TEST_CASE("langsmith importer: missing required data is an error naming the source field",
          "[cli][usage_import]") {
    CHECK(only_error(expand_langsmith, run_with(R"(, "run_type": null)")) == "run_type: missing");
    CHECK(only_error(expand_langsmith, run_with(R"(, "start_time": null)")) ==
          "start_time: missing");
    CHECK(only_error(expand_langsmith,
                     run_with(R"(, "extra": {"metadata": {"ls_model_name": "gpt-4o"}})")) ==
          "extra.metadata.ls_provider: missing");
    CHECK(only_error(expand_langsmith, run_with(R"(, "extra": {"metadata": {"ls_provider":
                                                  "openai"}, "invocation_params": {}})")) ==
          "extra.metadata.ls_model_name: missing (and extra.invocation_params has no model or "
          "model_name)");
    CHECK(only_error(expand_langsmith,
                     run_with(R"(, "prompt_tokens": null, "completion_tokens": null)")) ==
          "prompt_tokens: missing (and the run has no outputs.usage_metadata)");
    CHECK(only_error(expand_langsmith, run_with(R"(, "completion_tokens": null)")) ==
          "completion_tokens: missing");
}

TEST_CASE("langsmith importer: token counts must be non-negative integers", "[cli][usage_import]") {
    CHECK(only_error(expand_langsmith, run_with(R"(, "prompt_tokens": "12.5")")) ==
          R"(prompt_tokens: must be a non-negative integer, got "12.5")");
    CHECK(only_error(expand_langsmith, run_with(R"(, "prompt_tokens": -3)")) ==
          "prompt_tokens: must be a non-negative integer, got -3");
    CHECK(only_error(expand_langsmith,
                     run_with(R"(, "prompt_token_details": {"cache_read": "abc"})")) ==
          R"(prompt_token_details.cache_read: must be a non-negative integer, got "abc")");
    // Counts that contradict each other are rejected by ingest's own checks.
    CHECK(only_error(expand_langsmith, run_with(R"(, "total_tokens": 3001)")) ==
          "total_tokens (3001) differs from prompt_tokens + completion_tokens (2600 + 400)");
}

TEST_CASE("langsmith importer: unknown fields and token details are listed",
          "[cli][usage_import]") {
    const Expanded result = expand_and_map(
        expand_langsmith, run_with(R"(, "mystery": 1, "prompt_token_details": {"cache_read": 1024,
                                                            "cache_read_over_200k": 0})"));
    CHECK(result.errors.empty());
    CHECK(result.imported.unknown ==
          std::vector<std::string>{"mystery", "prompt_token_details.cache_read_over_200k"});
}
