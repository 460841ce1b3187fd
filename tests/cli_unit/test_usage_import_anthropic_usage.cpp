// The anthropic-usage importer: Anthropic Admin API usage reports as usage records.
#include <catch2/catch.hpp>

#include <string>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// A report with one 1d bucket (2025-08-01) holding `results` (a JSON array's members).
std::string report_of(const std::string& results) {
    return R"({"data": [{"starting_at": "2025-08-01T00:00:00Z",
                         "ending_at": "2025-08-02T00:00:00Z", "results": [)" +
           results + R"(]}], "has_more": false, "next_page": null})";
}

// A result grouped by workspace, model and service tier, with the given token counts.
std::string result(const std::string& workspace, const std::string& model, const std::string& tier,
                   const std::string& counts) {
    return "{" + counts + R"(, "server_tool_use": {"web_search_requests": 0},
             "api_key_id": null, "workspace_id": )" +
           workspace + R"(, "model": )" + model + R"(, "service_tier": )" + tier +
           R"(, "context_window": null})";
}

const std::string kCounts = R"("uncached_input_tokens": 1500,
    "cache_creation": {"ephemeral_1h_input_tokens": 1000, "ephemeral_5m_input_tokens": 2000},
    "cache_read_input_tokens": 40000, "output_tokens": 700)";

}  // namespace

TEST_CASE("anthropic-usage importer adds cache reads and writes to the uncached input",
          "[cli][usage_import][anthropic_usage]") {
    const UsageRecord r = only_record(
        expand_anthropic_usage, report_of(result(R"("wrkspc_01")", R"("claude-sonnet-4-20250514")",
                                                 R"("standard")", kCounts)));
    CHECK(r.timestamp == "2025-08-01T00:00:00+00:00");
    CHECK(r.provider == "anthropic");
    CHECK(r.model == "claude-sonnet-4-20250514");
    CHECK(r.organization_id == "org-default");
    CHECK(r.project_id == "wrkspc_01");
    CHECK(r.prompt_tokens == 1500 + 40000 + 2000 + 1000);
    CHECK(r.cached_tokens == 40000);
    CHECK(r.cache_write_tokens == 2000);
    CHECK(r.cache_write_1h_tokens == 1000);
    CHECK(r.completion_tokens == 700);
    CHECK(r.reasoning_tokens == 0);
    CHECK(r.service_tier == "standard");
    CHECK(r.request_id ==
          "anthropic-usage:2025-08-01T00%3A00%3A00Z:wrkspc_01::::claude-sonnet-4-20250514:"
          "standard:::");
    Json metadata = metadata_of(r);
    CHECK(r.period_end == "2025-08-02T00:00:00+00:00");
    CHECK_FALSE(metadata.contains("bucket_ending_at"));
    CHECK(metadata["server_tool_use"]["web_search_requests"] == 0);
}

TEST_CASE("anthropic-usage importer maps every result and the service tiers",
          "[cli][usage_import][anthropic_usage]") {
    const std::string counts = R"("uncached_input_tokens": 10,
        "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
        "cache_read_input_tokens": 0, "output_tokens": 5)";
    std::vector<UsageRecord> records = mapped(expanded(
        expand_anthropic_usage,
        report_of(result("null", R"("claude-3-5-haiku-20241022")", R"("standard")", counts) + "," +
                  result("null", R"("claude-3-5-haiku-20241022")", R"("batch")", counts) + "," +
                  result("null", R"("claude-3-5-haiku-20241022")", R"("priority")", counts) + "," +
                  result("null", R"("claude-3-5-haiku-20241022")", "null", counts))));
    REQUIRE(records.size() == 4);
    CHECK(records[0].service_tier == "standard");
    CHECK(records[1].service_tier == "batch");
    CHECK(records[2].service_tier == "priority");
    CHECK(records[3].service_tier == "standard");
    CHECK_FALSE(records[0].project_id);
    CHECK(records[1].request_id ==
          "anthropic-usage:2025-08-01T00%3A00%3A00Z:::::claude-3-5-haiku-20241022:batch:::");
    CHECK(records[3].request_id ==
          "anthropic-usage:2025-08-01T00%3A00%3A00Z:::::claude-3-5-haiku-20241022::::");
    for (const UsageRecord& r : records) {
        CHECK(r.prompt_tokens == 10);
        CHECK(r.completion_tokens == 5);
    }
}

TEST_CASE("anthropic-usage importer reads a single bucket with every grouping dimension",
          "[cli][usage_import][anthropic_usage]") {
    const UsageRecord r = only_record(expand_anthropic_usage, R"(
        {"starting_at": "2025-08-01T10:00:00Z", "ending_at": "2025-08-01T11:00:00Z",
         "results": [{"uncached_input_tokens": 3, "cache_read_input_tokens": 0,
           "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
           "output_tokens": 4, "server_tool_use": {"web_search_requests": 2},
           "api_key_id": "apikey_01", "workspace_id": "wrkspc_01", "account_id": "user_01",
           "service_account_id": null, "model": "claude-sonnet-4-20250514",
           "service_tier": "standard", "context_window": "0-200k", "inference_geo": "global",
           "speed": null}]})");
    CHECK(r.request_id ==
          "anthropic-usage:2025-08-01T10%3A00%3A00Z:wrkspc_01:apikey_01:user_01::"
          "claude-sonnet-4-20250514:standard:0-200k:global:");
    CHECK(r.user_id == "user_01");
    CHECK(r.project_id == "wrkspc_01");
    Json metadata = metadata_of(r);
    CHECK(metadata["api_key_id"] == "apikey_01");
    CHECK(metadata["context_window"] == "0-200k");
    CHECK(metadata["inference_geo"] == "global");
    CHECK(metadata["server_tool_use"]["web_search_requests"] == 2);
    // "0-200k": each request had at most 200,000 prompt tokens; the report counts no requests.
    CHECK_FALSE(r.requests.count);
    CHECK_FALSE(r.requests.prompt_tokens_min);
    CHECK(r.requests.prompt_tokens_max == 200000);
}

TEST_CASE("anthropic-usage importer: context_window bounds each request's prompt",
          "[cli][usage_import][anthropic_usage]") {
    auto grouped = [](const std::string& window, const std::string& uncached) {
        return report_of(R"({"uncached_input_tokens": )" + uncached + R"(,
            "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
            "cache_read_input_tokens": 0, "output_tokens": 7, "workspace_id": null,
            "model": "claude-sonnet-4-20250514", "service_tier": "standard",
            "context_window": )" +
                         window + "}");
    };
    const UsageRecord long_context =
        only_record(expand_anthropic_usage, grouped(R"("200k-1M")", "600000"));
    CHECK_FALSE(long_context.requests.count);
    CHECK(long_context.requests.prompt_tokens_min == 200001);
    CHECK(long_context.requests.prompt_tokens_max == 1000000);
    const UsageRecord ungrouped = only_record(expand_anthropic_usage, grouped("null", "600000"));
    CHECK_FALSE(ungrouped.requests.count);
    CHECK_FALSE(ungrouped.requests.prompt_tokens_min);
    CHECK_FALSE(ungrouped.requests.prompt_tokens_max);
    CHECK(only_error(expand_anthropic_usage, grouped(R"("1M-2M")", "600000")) ==
          R"(data[0].results[0].context_window: expected "0-200k" or "200k-1M", got "1M-2M": )"
          "which context tier its requests were in is unknown");
    // A "200k-1M" bucket cannot hold fewer prompt tokens than one such request.
    CHECK(only_error(expand_anthropic_usage, grouped(R"("200k-1M")", "1000")) ==
          "data[0].results[0].context_window: 200k-1M, but the result has 1000 input tokens: not "
          "one request above 200k");
}

TEST_CASE("anthropic-usage importer gives a re-fetched bucket the same request_id",
          "[cli][usage_import][anthropic_usage]") {
    std::string model = R"("claude-sonnet-4-20250514")";
    const UsageRecord first =
        only_record(expand_anthropic_usage,
                    report_of(result(R"("wrkspc_01")", model, R"("standard")", kCounts)));
    std::string more = kCounts;
    more.replace(more.find("700"), 3, "950");
    const UsageRecord refetched = only_record(
        expand_anthropic_usage, report_of(result(R"("wrkspc_01")", model, R"("standard")", more)));
    CHECK(first.request_id == refetched.request_id);
    CHECK(refetched.completion_tokens == 950);
}

TEST_CASE("anthropic-usage importer names a missing required field",
          "[cli][usage_import][anthropic_usage]") {
    ImportedRecords imported =
        expanded(expand_anthropic_usage,
                 report_of(result("null", "null", "null",
                                  R"("uncached_input_tokens": 1, "cache_read_input_tokens": 0,
                            "output_tokens": 1)")));
    CHECK(imported.records.empty());
    CHECK(error_messages(imported) ==
          std::vector<std::string>{
              "data[0].results[0].cache_creation: missing",
              "data[0].results[0].model: missing (fetch the report grouped by model: "
              "group_by[]=model)"});
    imported = expanded(expand_anthropic_usage, R"({"data": [{"results": []}]})");
    CHECK(error_messages(imported) == std::vector<std::string>{"data[0].starting_at: missing"});
    imported = expanded(expand_anthropic_usage,
                        R"({"data": [{"starting_at": "yesterday", "results": []}]})");
    REQUIRE(imported.errors.size() == 1);
    CHECK(imported.errors[0].field == "data[0].starting_at");
}

TEST_CASE("anthropic-usage importer rejects bad token counts and tiers it cannot price",
          "[cli][usage_import][anthropic_usage]") {
    std::string bad = kCounts;
    bad.replace(bad.find("2000"), 4, R"("2k")");
    ImportedRecords imported = expanded(
        expand_anthropic_usage,
        report_of(result("null", R"("claude-sonnet-4-20250514")", R"("flex_discount")", bad)));
    CHECK(imported.records.empty());
    CHECK(error_messages(imported) ==
          std::vector<std::string>{
              "data[0].results[0].cache_creation.ephemeral_5m_input_tokens: must be a "
              "non-negative integer, got \"2k\"",
              "data[0].results[0].service_tier: expected a service tier cost-ops prices "
              "(standard, batch, priority or flex), got \"flex_discount\""});
}

TEST_CASE("anthropic-usage importer reports unknown fields by their path",
          "[cli][usage_import][anthropic_usage]") {
    ImportedRecords imported = expanded(
        expand_anthropic_usage,
        R"({"data": [{"starting_at": "2025-08-01T00:00:00Z", "ending_at": "2025-08-02T00:00:00Z",
             "results": [{"uncached_input_tokens": 1, "cache_read_input_tokens": 0,
               "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0,
                                  "ephemeral_24h_input_tokens": 0},
               "output_tokens": 1, "model": "claude-sonnet-4-20250514",
               "cost_usd": "0.01"}]}],
            "has_more": false, "next_page": null, "request_id": "req_1"})");
    CHECK(imported.errors.empty());
    CHECK(imported.records.size() == 1);
    CHECK(imported.unknown ==
          std::vector<std::string>{"request_id", "data[].results[].cost_usd",
                                   "data[].results[].cache_creation.ephemeral_24h_input_tokens"});
}
