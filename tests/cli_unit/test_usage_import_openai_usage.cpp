// The openai-usage importer: OpenAI organization Usage API pages and buckets as usage records.
#include <catch2/catch.hpp>

#include <string>

#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// A page with one 1d bucket (2025-03-01) holding `results` (a JSON array's members).
std::string page_of(const std::string& results) {
    return R"({"object": "page", "has_more": false, "next_page": null, "data": [
        {"object": "bucket", "start_time": 1740787200, "end_time": 1740873600,
         "results": [)" +
           results + "]}]}";
}

// A completions result grouped by project, model and batch, with the given counts.
std::string result(const std::string& project, const std::string& model, const std::string& batch,
                   const std::string& counts) {
    return R"({"object": "organization.usage.completions.result", )" + counts +
           R"(, "num_model_requests": 12, "project_id": )" + project +
           R"(, "user_id": null, "api_key_id": null, "model": )" + model + R"(, "batch": )" +
           batch + "}";
}

const std::string kCounts =
    R"("input_tokens": 1000, "output_tokens": 200, "input_cached_tokens": 400,
       "input_audio_tokens": 0, "output_audio_tokens": 0)";

}  // namespace

TEST_CASE("openai-usage importer maps each result of a page to one record",
          "[cli][usage_import][openai_usage]") {
    const UsageRecord r = only_record(
        expand_openai_usage, page_of(result(R"("proj_a")", R"("gpt-4o")", "false", kCounts)));
    CHECK(r.timestamp == "2025-03-01T00:00:00+00:00");
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o");
    CHECK(r.organization_id == "org-default");
    CHECK(r.project_id == "proj_a");
    CHECK_FALSE(r.user_id);
    CHECK(r.request_id == "openai-usage:1740787200:proj_a:::gpt-4o:false:");
    CHECK(r.prompt_tokens == 1000);
    CHECK(r.cached_tokens == 400);
    CHECK(r.cache_write_tokens == 0);
    CHECK(r.completion_tokens == 200);
    CHECK(r.reasoning_tokens == 0);
    CHECK(r.service_tier == "standard");
    CHECK(r.requests.count == 12);
    CHECK_FALSE(r.requests.prompt_tokens_max);
    Json metadata = metadata_of(r);
    CHECK_FALSE(metadata.contains("num_model_requests"));
    CHECK(r.period_end == "2025-03-02T00:00:00+00:00");
    CHECK_FALSE(metadata.contains("bucket_end_time"));
    CHECK(metadata["input_audio_tokens"] == 0);
    CHECK_FALSE(metadata.contains("api_key_id"));
}

TEST_CASE("openai-usage importer keeps cached and cache-write tokens as parts of input_tokens",
          "[cli][usage_import][openai_usage]") {
    const UsageRecord r = only_record(
        expand_openai_usage,
        page_of(result(R"("proj_a")", R"("gpt-4o")", "false",
                       R"("input_tokens": 5000, "output_tokens": 10, "input_cached_tokens": 3000,
                          "input_cache_write_tokens": 1500, "input_uncached_tokens": 500)")));
    CHECK(r.prompt_tokens == 5000);
    CHECK(r.cached_tokens == 3000);
    CHECK(r.cache_write_tokens == 1500);
    CHECK(r.cache_write_1h_tokens == 0);
    CHECK(metadata_of(r)["input_uncached_tokens"] == 500);
}

TEST_CASE("openai-usage importer maps every result of every bucket, batch results as batch",
          "[cli][usage_import][openai_usage]") {
    const std::string page = R"({"object": "page", "data": [
        {"object": "bucket", "start_time": 1740787200, "end_time": 1740873600, "results": [
          {"object": "organization.usage.completions.result", "input_tokens": 10,
           "output_tokens": 1, "num_model_requests": 1, "project_id": null, "user_id": "user_1",
           "api_key_id": "key_1", "model": "gpt-4o-mini", "batch": false},
          {"object": "organization.usage.completions.result", "input_tokens": 20,
           "output_tokens": 2, "num_model_requests": 1, "project_id": null, "user_id": "user_1",
           "api_key_id": "key_1", "model": "gpt-4o-mini", "batch": true}]},
        {"object": "bucket", "start_time": 1740873600, "end_time": 1740960000, "results": []},
        {"object": "bucket", "start_time": 1740960000, "end_time": 1741046400, "results": [
          {"object": "organization.usage.completions.result", "input_tokens": 30,
           "output_tokens": 3, "num_model_requests": 1, "project_id": null, "user_id": null,
           "api_key_id": null, "model": "o3", "batch": null, "service_tier": "flex"}]}],
        "has_more": false, "next_page": null})";
    std::vector<UsageRecord> records = mapped(expanded(expand_openai_usage, page));
    REQUIRE(records.size() == 3);
    CHECK(records[0].request_id == "openai-usage:1740787200::user_1:key_1:gpt-4o-mini:false:");
    CHECK(records[0].service_tier == "standard");
    CHECK(records[0].user_id == "user_1");
    CHECK(metadata_of(records[0])["api_key_id"] == "key_1");
    CHECK(records[1].request_id == "openai-usage:1740787200::user_1:key_1:gpt-4o-mini:true:");
    CHECK(records[1].service_tier == "batch");
    CHECK(records[1].prompt_tokens == 20);
    CHECK(records[2].timestamp == "2025-03-03T00:00:00+00:00");
    CHECK(records[2].request_id == "openai-usage:1740960000::::o3::flex");
    CHECK(records[2].service_tier == "flex");
    CHECK(records[2].completion_tokens == 3);
}

TEST_CASE("openai-usage importer reads a single bucket and embeddings results",
          "[cli][usage_import][openai_usage]") {
    const UsageRecord r = only_record(expand_openai_usage, R"(
        {"object": "bucket", "start_time": 1740787200, "end_time": 1740873600, "results": [
          {"object": "organization.usage.embeddings.result", "input_tokens": 750000,
           "num_model_requests": 30, "project_id": "proj_b", "user_id": null,
           "api_key_id": null, "model": "text-embedding-3-small"}]})");
    CHECK(r.request_id == "openai-usage-embeddings:1740787200:proj_b:::text-embedding-3-small::");
    CHECK(r.model == "text-embedding-3-small");
    CHECK(r.prompt_tokens == 750000);
    CHECK(r.completion_tokens == 0);
}

TEST_CASE("openai-usage importer gives a re-fetched bucket the same request_id",
          "[cli][usage_import][openai_usage]") {
    const UsageRecord first = only_record(
        expand_openai_usage, page_of(result(R"("proj_a")", R"("gpt-4o")", "false",
                                            R"("input_tokens": 100, "output_tokens": 10)")));
    const UsageRecord refetched = only_record(
        expand_openai_usage, page_of(result(R"("proj_a")", R"("gpt-4o")", "false",
                                            R"("input_tokens": 180, "output_tokens": 25)")));
    CHECK(first.request_id == refetched.request_id);
    CHECK(first.prompt_tokens != refetched.prompt_tokens);
    const UsageRecord other_project = only_record(
        expand_openai_usage, page_of(result(R"("proj_b")", R"("gpt-4o")", "false",
                                            R"("input_tokens": 100, "output_tokens": 10)")));
    CHECK(other_project.request_id != first.request_id);
}

TEST_CASE("openai-usage importer percent-encodes colons of fine-tuned model names in its ids",
          "[cli][usage_import][openai_usage]") {
    const UsageRecord r = only_record(
        expand_openai_usage, page_of(result("null", R"("ft:gpt-4o-mini:acme::B1x")", "false",
                                            R"("input_tokens": 1, "output_tokens": 1)")));
    CHECK(r.request_id == "openai-usage:1740787200::::ft%3Agpt-4o-mini%3Aacme%3A%3AB1x:false:");
    CHECK(r.model == "ft:gpt-4o-mini:acme::B1x");
}

TEST_CASE("openai-usage importer names a missing required field",
          "[cli][usage_import][openai_usage]") {
    ImportedRecords imported =
        expanded(expand_openai_usage,
                 page_of(result(R"("proj_a")", "null", "false", R"("output_tokens": 10)")));
    CHECK(imported.records.empty());
    CHECK(error_messages(imported) ==
          std::vector<std::string>{
              "data[0].results[0].input_tokens: missing",
              "data[0].results[0].model: missing (fetch the usage grouped by model: "
              "group_by=model)"});
    CHECK(imported.errors[0].field == "data[0].results[0].input_tokens");

    imported = expanded(expand_openai_usage,
                        R"({"object": "page", "data": [{"object": "bucket", "results": []}]})");
    CHECK(error_messages(imported) == std::vector<std::string>{"data[0].start_time: missing"});

    imported = expanded(expand_openai_usage, R"({"object": "list", "items": []})");
    REQUIRE(imported.errors.size() == 1);
    CHECK(imported.errors[0].field == "data");
}

TEST_CASE("openai-usage importer rejects a bad token count and keeps the other results",
          "[cli][usage_import][openai_usage]") {
    for (const std::string bad : {"-5", "1.5", R"("12x")", "true"}) {
        ImportedRecords imported =
            expanded(expand_openai_usage,
                     page_of(result(R"("proj_a")", R"("gpt-4o")", "false",
                                    R"("input_tokens": )" + bad + R"(, "output_tokens": 1)") +
                             "," +
                             result(R"("proj_b")", R"("gpt-4o")", "false",
                                    R"("input_tokens": 7, "output_tokens": 1)")));
        CHECK(error_messages(imported) ==
              std::vector<std::string>{"data[0].results[0].input_tokens: must be a non-negative "
                                       "integer, got " +
                                       bad});
        REQUIRE(imported.records.size() == 1);
        CHECK(imported.records[0]["project_id"] == "proj_b");
    }
}

TEST_CASE("openai-usage importer rejects tiers it cannot price and conflicting batch flags",
          "[cli][usage_import][openai_usage]") {
    ImportedRecords imported =
        expanded(expand_openai_usage,
                 page_of(R"({"object": "organization.usage.completions.result", "input_tokens": 1,
                    "output_tokens": 1, "model": "gpt-4o", "batch": true,
                    "service_tier": "priority"})"));
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"data[0].results[0].batch: true, but service_tier says "
                                   "priority: which tier applies is unknown"});
    imported =
        expanded(expand_openai_usage,
                 page_of(R"({"object": "organization.usage.completions.result", "input_tokens": 1,
                    "output_tokens": 1, "model": "gpt-4o", "service_tier": "turbo"})"));
    CHECK(error_messages(imported) ==
          std::vector<std::string>{"data[0].results[0].service_tier: expected a service tier "
                                   "cost-ops prices (standard, batch, priority or flex), got "
                                   "\"turbo\""});
    imported = expanded(expand_openai_usage,
                        page_of(R"({"object": "organization.usage.images.result", "images": 3})"));
    REQUIRE(imported.errors.size() == 1);
    CHECK(imported.errors[0].field == "data[0].results[0].object");
}

TEST_CASE("openai-usage importer reports unknown fields by their path",
          "[cli][usage_import][openai_usage]") {
    ImportedRecords imported = expanded(
        expand_openai_usage,
        R"({"object": "page", "has_more": false, "next_page": null, "cursor": "x", "data": [
            {"object": "bucket", "start_time": 1740787200, "end_time": 1740873600, "width": "1d",
             "results": [{"object": "organization.usage.completions.result",
                          "input_tokens": 1, "output_tokens": 1, "model": "gpt-4o",
                          "input_video_tokens": 0}]}]})");
    CHECK(imported.errors.empty());
    CHECK(imported.records.size() == 1);
    CHECK(imported.unknown == std::vector<std::string>{"cursor", "data[].width",
                                                       "data[].results[].input_video_tokens"});
}

TEST_CASE("openai-usage importer converts unix seconds to UTC exactly",
          "[cli][usage_import][openai_usage]") {
    auto start_of = [](const std::string& seconds) {
        return expanded(expand_openai_usage,
                        R"({"object": "bucket", "start_time": )" + seconds + R"(, "results": [
                {"object": "organization.usage.completions.result", "input_tokens": 1,
                 "output_tokens": 1, "model": "gpt-4o"}]})");
    };
    CHECK(start_of("0").records[0]["timestamp"] == "1970-01-01T00:00:00Z");
    CHECK(start_of("951825600").records[0]["timestamp"] == "2000-02-29T12:00:00Z");
    CHECK(start_of("1709251199").records[0]["timestamp"] == "2024-02-29T23:59:59Z");
    CHECK(start_of("253402300799").records[0]["timestamp"] == "9999-12-31T23:59:59Z");
    CHECK(error_messages(start_of("253402300800")) ==
          std::vector<std::string>{"start_time: unix seconds beyond the year 9999: 253402300800"});
    CHECK(error_messages(start_of("1.7e9")) ==
          std::vector<std::string>{"start_time: expected unix seconds (an integer), got 1.7e9"});
}

TEST_CASE("openai-usage importer: a bucket of 0 requests with tokens is an error",
          "[cli][usage_import][openai_usage]") {
    std::string zero = result(R"("proj_a")", R"("gpt-4o")", "false", kCounts);
    zero.replace(zero.find("\"num_model_requests\": 12"), 24, "\"num_model_requests\": 0");
    CHECK(only_error(expand_openai_usage, page_of(zero)) ==
          "data[0].results[0].num_model_requests: 0, with tokens: how many requests the bucket "
          "sums is unknown");
}
