// The Helicone importer: request rows of the query API and @helicone/export, as usage records.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// A query-clickhouse row (OpenAI, with cache reads) without its closing brace.
const std::string kRow = R"({
    "request_id": "9f1c2b3a-5e01-4c1e-9a00-00000000a001",
    "request_created_at": "2025-03-03T09:15:02.311Z",
    "response_id": "7e2d2b3a-5e01-4c1e-9a00-00000000a001",
    "response_status": 200, "provider": "OPENAI", "model": "gpt-4o",
    "request_model": "gpt-4o", "response_model": "gpt-4o-2024-08-06",
    "request_user_id": "user-1042", "delay_ms": 800, "total_tokens": 2300,
    "prompt_tokens": 1200, "prompt_cache_read_tokens": 800, "prompt_cache_write_tokens": 0,
    "completion_tokens": 300, "reasoning_tokens": 0, "prompt_audio_tokens": 0,
    "completion_audio_tokens": 0, "cost": 0.0070000,
    "request_properties": {"App": "support-bot"},
    "cache_reference_id": "00000000-0000-0000-0000-000000000000")";

// kRow with `members` (", \"name\": value...") added; a repeated name overrides.
std::string row_with(const std::string& members) {
    Json row = parse_json_exact(kRow + "}");
    Json changes = parse_json_exact("{" + members.substr(members.find(',') + 1) + "}");
    for (auto it = changes.begin(); it != changes.end(); ++it) row[it.key()] = *it;
    return dump_exact(row);
}

}  // namespace

TEST_CASE("helicone importer: a row with cache reads adds them back to prompt_tokens",
          "[cli][usage_import]") {
    const UsageRecord r = only_record(expand_helicone, kRow + "}", with_organization("org-test"));
    CHECK(r.timestamp == "2025-03-03T09:15:02.311+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o");
    CHECK(r.organization_id == "org-test");
    CHECK(r.request_id == "9f1c2b3a-5e01-4c1e-9a00-00000000a001");
    CHECK(r.user_id == "user-1042");
    CHECK(r.prompt_tokens == 2000);
    CHECK(r.cached_tokens == 800);
    CHECK(r.cache_write_tokens == 0);
    CHECK(r.completion_tokens == 300);
    CHECK(r.reasoning_tokens == 0);
    CHECK_FALSE(r.total_tokens);  // Helicone's total follows the provider's convention
    CHECK(r.latency_ms == 800);
    CHECK(r.metadata ==
          R"({"properties":{"App":"support-bot"},)"
          R"("response_id":"7e2d2b3a-5e01-4c1e-9a00-00000000a001","source":"helicone",)"
          R"("source_cost":"0.0070000"})");
}

TEST_CASE("helicone importer: Anthropic cache reads and writes and audio are summed",
          "[cli][usage_import]") {
    const UsageRecord r = only_record(
        expand_helicone, row_with(R"(, "provider": "ANTHROPIC", "model": "claude-sonnet-4-20250514",
                    "prompt_tokens": 150, "prompt_cache_read_tokens": 4000,
                    "prompt_cache_write_tokens": 1000, "completion_tokens": 500,
                    "total_tokens": 650)"));
    CHECK(r.provider == "anthropic");
    CHECK(r.prompt_tokens == 5150);
    CHECK(r.cached_tokens == 4000);
    CHECK(r.cache_write_tokens == 1000);
    CHECK(r.completion_tokens == 500);
    const UsageRecord audio = only_record(
        expand_helicone, row_with(R"(, "prompt_audio_tokens": 40, "completion_audio_tokens": 7,
                                     "reasoning_tokens": 100)"));
    CHECK(audio.prompt_tokens == 2040);
    CHECK(audio.completion_tokens == 307);
    CHECK(audio.reasoning_tokens == 100);
}

TEST_CASE("helicone importer: the model is Helicone's, else the response's, else the request's",
          "[cli][usage_import]") {
    CHECK(only_record(expand_helicone, row_with(R"(, "model": "")")).model == "gpt-4o-2024-08-06");
    CHECK(only_record(expand_helicone, row_with(R"(, "model": null, "response_model": null)"))
              .model == "gpt-4o");
}

TEST_CASE("helicone importer: a query response page yields a record per row",
          "[cli][usage_import]") {
    const Expanded page = expand_and_map(expand_helicone, R"({"data": [)" + kRow + "}, " +
                                                              row_with(R"(, "request_id": "r2")") +
                                                              R"(], "error": null})");
    REQUIRE(page.errors.empty());
    REQUIRE(page.records.size() == 2);
    CHECK(page.records[1].request_id == "r2");
    const Expanded bad =
        expand_and_map(expand_helicone, R"({"data": [)" + kRow + "}, " +
                                            row_with(R"(, "prompt_tokens": "x")") + "]}");
    CHECK(bad.records.size() == 1);
    CHECK(bad.errors == std::vector<std::string>{
                            R"(data[1].prompt_tokens: must be a non-negative integer, got "x")"});
}

TEST_CASE("helicone importer: cache hits and failed calls without tokens are not usage",
          "[cli][usage_import]") {
    CHECK(yields_nothing(expand_helicone, row_with(R"(, "cache_reference_id":
                                                         "9f1c2b3a-5e01-4c1e-9a00-00000000a000")")));
    CHECK(
        yields_nothing(expand_helicone, row_with(R"(, "response_status": 429, "prompt_tokens": null,
                                     "completion_tokens": null)")));
    // As the export writes a failed call: counts of 0.
    CHECK(yields_nothing(expand_helicone, row_with(R"(, "response_status": 500, "prompt_tokens": 0,
                                     "prompt_cache_read_tokens": 0, "completion_tokens": "0")")));
    // A failed call that reports tokens is usage.
    CHECK(only_record(expand_helicone, row_with(R"(, "response_status": 500)")).prompt_tokens ==
          2000);
}

TEST_CASE("helicone importer: missing required data is an error naming the source field",
          "[cli][usage_import]") {
    CHECK(only_error(expand_helicone, row_with(R"(, "request_created_at": null)")) ==
          "request_created_at: missing");
    CHECK(only_error(expand_helicone, row_with(R"(, "provider": null)")) == "provider: missing");
    CHECK(only_error(expand_helicone,
                     row_with(R"(, "model": null, "response_model": null, "request_model": "")")) ==
          "model: missing (and so are response_model and request_model)");
    CHECK(only_error(expand_helicone, row_with(R"(, "prompt_tokens": null)")) ==
          "prompt_tokens: missing");
    CHECK(only_error(expand_helicone, row_with(R"(, "request_created_at": "03/03/2025")")) ==
          "request_created_at: expected a timestamp like 2025-01-15T10:00:00Z or a date like "
          "2025-01-15, got \"03/03/2025\"");
    // No tenant field at all: --default-organization fills it, else ingest reports it.
    CHECK(
        expand_and_map(expand_helicone, kRow + "}", MappingOptions{}).errors ==
        std::vector<std::string>{"organization_id: missing (or pass --default-organization ORG)"});
}

TEST_CASE("helicone importer: token counts must be non-negative integers", "[cli][usage_import]") {
    CHECK(only_error(expand_helicone, row_with(R"(, "prompt_tokens": 12.5)")) ==
          "prompt_tokens: must be a non-negative integer, got 12.5");
    CHECK(only_error(expand_helicone, row_with(R"(, "completion_tokens": -3)")) ==
          "completion_tokens: must be a non-negative integer, got -3");
    CHECK(only_error(expand_helicone, row_with(R"(, "prompt_cache_read_tokens": "12.5")")) ==
          R"(prompt_cache_read_tokens: must be a non-negative integer, got "12.5")");
    CHECK(only_error(expand_helicone, row_with(R"(, "prompt_tokens": "-3")")) ==
          R"(prompt_tokens: must be a non-negative integer, got "-3")");
    CHECK(only_error(expand_helicone, row_with(R"(, "prompt_tokens": "abc")")) ==
          R"(prompt_tokens: must be a non-negative integer, got "abc")");
    CHECK(only_error(expand_helicone, row_with(R"(, "prompt_tokens": 9223372036854775807)")) ==
          "prompt_tokens: the token counts add up to more than a bigint holds");
}

TEST_CASE("helicone importer: a CSV row of @helicone/export (strings) is read the same way",
          "[cli][usage_import]") {
    const std::string csv_row =
        R"({"response_id": "7e2d2b3a-5e01-4c1e-9a00-00000000a007",
            "response_created_at": "2025-03-06T16:20:46.611Z", "response_status": "200",
            "request_created_at": "2025-03-06T16:20:45.661Z", "request_body": null,
            "request_properties": "{\"App\":\"support-bot\"}", "request_user_id": "user-0007",
            "model": "gpt-4o", "prompt_tokens": "1920", "completion_tokens": "90",
            "latency": "950", "cost": "0.0041")";
    // The export's CSV has no provider column: that is missing data, never guessed.
    CHECK(only_error(expand_helicone, csv_row + "}") == "provider: missing");
    const UsageRecord r = only_record(expand_helicone, csv_row + R"(, "provider": "AZURE"})");
    CHECK(r.provider == "azure");
    CHECK(r.request_id == "7e2d2b3a-5e01-4c1e-9a00-00000000a007");  // no request_id column
    CHECK(r.prompt_tokens == 1920);
    CHECK(r.completion_tokens == 90);
    CHECK(r.latency_ms == 950);
    CHECK(r.metadata == R"({"properties":{"App":"support-bot"},)"
                        R"("response_id":"7e2d2b3a-5e01-4c1e-9a00-00000000a007",)"
                        R"("source":"helicone","source_cost":"0.0041"})");
}

TEST_CASE("helicone importer: unknown fields are listed, known ones are not",
          "[cli][usage_import]") {
    const Expanded result =
        expand_and_map(expand_helicone, R"({"data": [)" + row_with(R"(, "mystery_tokens": 5)") +
                                            R"(], "error": null, "next_cursor": "abc"})");
    CHECK(result.errors.empty());
    CHECK(result.imported.unknown == std::vector<std::string>{"next_cursor", "mystery_tokens"});
}
