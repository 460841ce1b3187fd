// The Langfuse importer: generation and embedding observations as usage records.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// A GENERATION recorded by Langfuse's LangChain handler (v1 API), without its closing brace.
const std::string kGeneration = R"({
    "id": "a1b2c3d4e5f60002", "traceId": "4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99",
    "type": "GENERATION", "name": "ChatOpenAI", "level": "DEFAULT",
    "startTime": "2025-05-12T10:00:00.150Z", "endTime": "2025-05-12T10:00:02.020Z",
    "model": "gpt-4o", "modelParameters": {"temperature": "0"},
    "metadata": {"ls_provider": "openai", "ls_model_name": "gpt-4o", "ls_model_type": "chat"},
    "usage": {"input": 900, "output": 350, "total": 2350, "unit": "TOKENS"},
    "usageDetails": {"input": 900, "input_cache_read": 1100, "output": 350,
                     "output_reasoning": 0, "total": 2350},
    "costDetails": {"input": 0.00225, "input_cache_read": 0.001375, "output": 0.0035,
                    "total": 0.007125},
    "calculatedTotalCost": 0.007125, "environment": "production")";

// kGeneration with `members` (", \"name\": value...") added; a repeated name overrides.
std::string generation_with(const std::string& members) {
    Json observation = parse_json_exact(kGeneration + "}");
    Json changes = parse_json_exact("{" + members.substr(members.find(',') + 1) + "}");
    for (auto it = changes.begin(); it != changes.end(); ++it) observation[it.key()] = *it;
    return dump_exact(observation);
}

// kGeneration with usageDetails `details`.
std::string with_details(const std::string& details) {
    return generation_with(R"(, "usageDetails": )" + details);
}

}  // namespace

TEST_CASE("langfuse importer: prompt_tokens is the sum of the input usage types",
          "[cli][usage_import]") {
    const UsageRecord r =
        only_record(expand_langfuse, kGeneration + "}", with_organization("org-test"));
    CHECK(r.timestamp == "2025-05-12T10:00:00.15+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o");
    CHECK(r.organization_id == "org-test");
    CHECK(r.request_id == "a1b2c3d4e5f60002");
    CHECK(r.prompt_tokens == 2000);
    CHECK(r.cached_tokens == 1100);
    CHECK(r.completion_tokens == 350);
    CHECK(r.reasoning_tokens == 0);
    CHECK(r.metadata ==
          R"({"environment":"production","name":"ChatOpenAI","observation_type":"GENERATION",)"
          R"("source":"langfuse","source_cost":"0.007125",)"
          R"("trace_id":"4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99"})");
}

TEST_CASE("langfuse importer: the usage type spellings of its integrations",
          "[cli][usage_import]") {
    // OpenAI usage as Langfuse's ingestion stores it: details taken out of input and output.
    const UsageRecord openai =
        only_record(expand_langfuse, with_details(R"({"input": 700, "input_cached_tokens": 300,
                                          "output": 800, "output_reasoning_tokens": 1600,
                                          "total": 3400})"));
    CHECK(openai.prompt_tokens == 1000);
    CHECK(openai.cached_tokens == 300);
    CHECK(openai.completion_tokens == 2400);
    CHECK(openai.reasoning_tokens == 1600);
    // LangChain's Anthropic details, split by cache lifetime.
    const UsageRecord langchain = only_record(
        expand_langfuse,
        with_details(R"({"input": 300, "input_cache_read": 6000, "input_cache_creation": 0,
                         "input_ephemeral_5m_input_tokens": 1200,
                         "input_ephemeral_1h_input_tokens": 800, "output": 450, "total": 8750})"));
    CHECK(langchain.prompt_tokens == 8300);
    CHECK(langchain.cached_tokens == 6000);
    CHECK(langchain.cache_write_tokens == 1200);
    CHECK(langchain.cache_write_1h_tokens == 800);
    // Anthropic's own names, as Langfuse's model prices list them.
    const UsageRecord anthropic =
        only_record(expand_langfuse, with_details(R"({"input": 100, "cache_read_input_tokens": 50,
                         "cache_creation_input_tokens": 20, "input_cache_creation_1h": 10,
                         "output": 5})"));
    CHECK(anthropic.prompt_tokens == 180);
    CHECK(anthropic.cached_tokens == 50);
    CHECK(anthropic.cache_write_tokens == 20);
    CHECK(anthropic.cache_write_1h_tokens == 10);
    CHECK(anthropic.completion_tokens == 5);
}

TEST_CASE("langfuse importer: v2 fields, embeddings and the deprecated usage object",
          "[cli][usage_import]") {
    const UsageRecord v2 = only_record(
        expand_langfuse, generation_with(R"(, "model": null, "providedModelName": "gpt-4o-mini",
                                            "projectId": "proj-7", "userId": "user-3")"));
    CHECK(v2.model == "gpt-4o-mini");
    CHECK(v2.project_id == "proj-7");
    CHECK(v2.user_id == "user-3");
    const UsageRecord embedding =
        only_record(expand_langfuse,
                    generation_with(R"(, "type": "EMBEDDING", "model": "text-embedding-3-small",
                                            "usageDetails": {"input": 5000, "total": 5000})"));
    CHECK(embedding.prompt_tokens == 5000);
    CHECK(embedding.completion_tokens == 0);
    const UsageRecord legacy = only_record(expand_langfuse, generation_with(R"(, "usageDetails": {},
                           "usage": {"input": 1200, "output": 80, "total": 1280, "unit": "TOKENS"})"));
    CHECK(legacy.prompt_tokens == 1200);
    CHECK(legacy.completion_tokens == 80);
    CHECK(only_error(expand_langfuse, generation_with(R"(, "usageDetails": {},
                                        "usage": {"input": 1200, "output": 80, "unit": "CHARACTERS"})")) ==
          "usage.unit: counts CHARACTERS, not tokens");
}

TEST_CASE("langfuse importer: a page yields a record per usage observation",
          "[cli][usage_import]") {
    const Expanded page = expand_and_map(
        expand_langfuse,
        R"({"data": [)" + kGeneration + "}, " +
            generation_with(R"(, "id": "span-1", "type": "SPAN")") +
            R"(], "meta": {"page": 1, "limit": 50, "totalItems": 2, "totalPages": 1}})");
    CHECK(page.errors.empty());
    REQUIRE(page.records.size() == 1);
    CHECK(page.records[0].request_id == "a1b2c3d4e5f60002");
}

TEST_CASE("langfuse importer: spans, events and failed calls without usage are not usage",
          "[cli][usage_import]") {
    for (const char* type :
         {"SPAN", "EVENT", "AGENT", "TOOL", "CHAIN", "RETRIEVER", "EVALUATOR", "GUARDRAIL"}) {
        INFO(type);
        CHECK(yields_nothing(expand_langfuse,
                             generation_with(R"(, "type": ")" + std::string(type) + "\"")));
    }
    CHECK(yields_nothing(expand_langfuse, generation_with(R"(, "level": "ERROR",
                                                             "usageDetails": {}, "usage": {})")));
    CHECK(only_error(expand_langfuse, generation_with(R"(, "type": "SCORE")")) ==
          R"(type: unknown observation type "SCORE")");
}

TEST_CASE("langfuse importer: missing required data is an error naming the source field",
          "[cli][usage_import]") {
    CHECK(only_error(expand_langfuse, generation_with(R"(, "metadata": {"ls_model_name": "x"})")) ==
          "metadata.ls_provider: missing: Langfuse observations have no provider field, and this "
          "one has no LangChain ls_provider in its metadata");
    CHECK(only_error(expand_langfuse, generation_with(R"(, "startTime": null)")) ==
          "startTime: missing");
    CHECK(only_error(expand_langfuse, generation_with(R"(, "model": null)")) == "model: missing");
    CHECK(only_error(expand_langfuse, generation_with(R"(, "type": null)")) == "type: missing");
    CHECK(only_error(expand_langfuse, generation_with(R"(, "usageDetails": {}, "usage": null)")) ==
          "usageDetails: missing (and so is usage)");
}

TEST_CASE("langfuse importer: usage types must be non-negative integers that add up",
          "[cli][usage_import]") {
    CHECK(only_error(expand_langfuse, with_details(R"({"input": 12.5, "output": 1})")) ==
          "usageDetails.input: must be a non-negative integer, got 12.5");
    CHECK(only_error(expand_langfuse, with_details(R"({"input": -3, "output": 1})")) ==
          "usageDetails.input: must be a non-negative integer, got -3");
    CHECK(only_error(expand_langfuse, with_details(R"({"input": 10, "output": 1, "total": 12})")) ==
          "usageDetails.total: (12) differs from the sum of the input and output usage types (11)");
}

TEST_CASE("langfuse importer: a CSV row carries its objects as JSON text", "[cli][usage_import]") {
    const UsageRecord r =
        only_record(expand_langfuse,
                    R"({"id": "c3d4e5f6a7b80001", "traceId": "6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e",
            "type": "GENERATION", "startTime": "2025-05-14T19:22:00.000Z", "model": "gpt-4o",
            "metadata": "{\"ls_provider\": \"azure\"}",
            "usageDetails": "{\"input\": 1000, \"output\": 100, \"total\": 1100}",
            "calculatedTotalCost": "0.0035"})");
    CHECK(r.provider == "azure");
    CHECK(r.prompt_tokens == 1000);
    CHECK(r.completion_tokens == 100);
    CHECK(r.metadata->find(R"("source_cost":"0.0035")") != std::string::npos);
    CHECK(only_error(expand_langfuse,
                     R"({"type": "GENERATION", "startTime": "2025-05-14", "model": "gpt-4o",
                         "metadata": "{\"ls_provider\": \"openai\"}",
                         "usageDetails": "{\"input\": \"12.5\", \"output\": 1}"})") ==
          R"(usageDetails.input: must be a non-negative integer, got "12.5")");
}

TEST_CASE("langfuse importer: unknown fields and usage types are listed", "[cli][usage_import]") {
    const Expanded result = expand_and_map(
        expand_langfuse, generation_with(R"(, "mystery": true, "usageDetails": {"input": 900,
                           "input_image_tokens": 100, "output": 350, "web_searches": 2})"));
    CHECK(result.errors.empty());
    CHECK(result.imported.unknown == std::vector<std::string>{"mystery",
                                                              "usageDetails.input_image_tokens",
                                                              "usageDetails.web_searches"});
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].prompt_tokens == 1000);  // an input type counts as input
    CHECK(result.records[0].completion_tokens == 350);
}
