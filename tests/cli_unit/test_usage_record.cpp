// map_usage_record: checking and normalizing one source record, and its COPY row.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ingest/usage_record.hpp"

using namespace costops;
using namespace costops::cli;

namespace {

// A valid record's members without the closing brace; tests append or override members.
const std::string kBase =
    R"({"timestamp": "2025-01-15T10:00:00Z", "provider": "openai", "model": "gpt-4o",
        "organization_id": "org-1", "prompt_tokens": 10, "completion_tokens": 5)";

// A source record from a JSON object text.
SourceRecord source(const std::string& json) {
    return SourceRecord{parse_json_exact(json), {"in.json", 1, 1}, "", ""};
}

// The base record with `members` (", \"name\": value...") added; a repeated name overrides.
std::string with(const std::string& members) {
    Json record = parse_json_exact(kBase + "}");
    Json changes = parse_json_exact("{" + members.substr(members.find(',') + 1) + "}");
    for (auto it = changes.begin(); it != changes.end(); ++it) record[it.key()] = *it;
    return dump_exact(record);
}

// The error messages of mapping `json`.
std::vector<std::string> errors_of(const std::string& json, const MappingOptions& options = {}) {
    UsageRecord out;
    std::vector<std::string> messages;
    for (const FieldError& e : map_usage_record(source(json), options, out)) {
        messages.push_back(e.message);
    }
    return messages;
}

// The record mapped from `json`, which must be valid.
UsageRecord mapped(const std::string& json, const MappingOptions& options = {}) {
    UsageRecord out;
    std::vector<FieldError> errors = map_usage_record(source(json), options, out);
    std::string messages;
    for (const FieldError& e : errors) messages += e.message + "; ";
    INFO("errors: " << messages);
    REQUIRE(errors.empty());
    return out;
}

// The only error message of mapping `json`.
std::string only_error(const std::string& json) {
    std::vector<std::string> errors = errors_of(json);
    REQUIRE(errors.size() == 1);
    return errors[0];
}

}  // namespace

TEST_CASE("map_usage_record normalizes a complete record", "[cli][usage_record]") {
    const UsageRecord r = mapped(
        R"({"timestamp": "2025-01-15 10:00:00.5+05:30", "provider": " OpenAI ",
            "model": "gpt-4o-2024-08-06", "organization_id": "org-1", "project_id": "proj",
            "user_id": "\tu-7 ", "request_id": "req-1", "prompt_tokens": 2006,
            "completion_tokens": 300, "total_tokens": 2306, "cached_tokens": 1920,
            "cache_write_tokens": 6, "reasoning_tokens": 100, "latency_ms": 850,
            "metadata": {"b": 1.50, "a": "x"}})");
    CHECK(r.timestamp == "2025-01-15T04:30:00.5+00:00");  // stored in UTC
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o-2024-08-06");
    CHECK(r.organization_id == "org-1");
    CHECK(r.project_id == "proj");
    CHECK(r.user_id == "u-7");
    CHECK(r.request_id == "req-1");
    CHECK(r.prompt_tokens == 2006);
    CHECK(r.completion_tokens == 300);
    CHECK(r.total_tokens == 2306);
    CHECK(r.cached_tokens == 1920);
    CHECK(r.cache_write_tokens == 6);
    CHECK(r.reasoning_tokens == 100);
    CHECK(r.latency_ms == 850);
    CHECK(r.metadata == R"({"a":"x","b":1.50})");

    REQUIRE(usage_copy_columns().size() == 21);
    CHECK(usage_copy_columns().front() == "timestamp");
    CHECK(usage_copy_columns().back() == "period_end");
    const Row expected = {"2025-01-15T04:30:00.5+00:00",
                          "openai",
                          "gpt-4o-2024-08-06",
                          "org-1",
                          "proj",
                          "u-7",
                          "req-1",
                          "2006",
                          "300",
                          "2306",
                          "1920",
                          "6",
                          "100",
                          "850",
                          R"({"a":"x","b":1.50})",
                          "0",
                          "standard",
                          "1",
                          std::nullopt,
                          std::nullopt,
                          std::nullopt};
    CHECK(usage_copy_row(r) == expected);
}

TEST_CASE("map_usage_record leaves optional fields NULL in the COPY row", "[cli][usage_record]") {
    const UsageRecord r = mapped(kBase + "}");
    CHECK(r.timestamp == "2025-01-15T10:00:00+00:00");
    CHECK_FALSE(r.project_id);
    CHECK_FALSE(r.total_tokens);
    CHECK_FALSE(r.latency_ms);
    CHECK_FALSE(r.metadata);
    const Row expected = {"2025-01-15T10:00:00+00:00",
                          "openai",
                          "gpt-4o",
                          "org-1",
                          std::nullopt,
                          std::nullopt,
                          std::nullopt,
                          "10",
                          "5",
                          std::nullopt,
                          "0",
                          "0",
                          "0",
                          std::nullopt,
                          std::nullopt,
                          "0",
                          "standard",
                          "1",
                          std::nullopt,
                          std::nullopt,
                          std::nullopt};
    CHECK(usage_copy_row(r) == expected);
    // null and blank values are missing values too.
    const UsageRecord blank = mapped(with(R"(, "project_id": null, "user_id": "  ",
                                             "latency_ms": null, "metadata": null)"));
    CHECK_FALSE(blank.project_id);
    CHECK_FALSE(blank.user_id);
    CHECK_FALSE(blank.latency_ms);
    CHECK_FALSE(blank.metadata);
}

TEST_CASE("map_usage_record: model as a string or {\"name\": ...}", "[cli][usage_record]") {
    CHECK(mapped(with(R"(, "model": {"name": "claude-3-5-sonnet", "version": 2})")).model ==
          "claude-3-5-sonnet");
    CHECK(mapped(with(R"(, "model": " gpt-4o ")")).model == "gpt-4o");
    CHECK(only_error(with(R"(, "model": {"id": "x"})")) ==
          R"(model: an object without a "name" string)");
    CHECK(only_error(with(R"(, "model": {"name": ""})")) ==
          R"(model: an object without a "name" string)");
    CHECK(only_error(with(R"(, "model": {"name": 5})")) ==
          R"(model: an object without a "name" string)");
    CHECK(only_error(with(R"(, "model": ["gpt-4o"])")) == "model: expected a string");
    CHECK(only_error(with(R"(, "model": "")")) == "model: missing");
}

TEST_CASE("map_usage_record reports every missing field", "[cli][usage_record]") {
    CHECK(errors_of("{}") ==
          std::vector<std::string>{
              "timestamp: missing", "provider: missing", "model: missing",
              "organization_id: missing (or pass --default-organization ORG)",
              "prompt_tokens: missing (give prompt_tokens and completion_tokens)",
              "completion_tokens: missing (give prompt_tokens and completion_tokens)"});
    CHECK(errors_of(R"({"timestamp": true, "provider": {}, "model": null})") ==
          std::vector<std::string>{
              "timestamp: expected a string", "provider: expected a string", "model: missing",
              "organization_id: missing (or pass --default-organization ORG)",
              "prompt_tokens: missing (give prompt_tokens and completion_tokens)",
              "completion_tokens: missing (give prompt_tokens and completion_tokens)"});
}

TEST_CASE("map_usage_record: the default organization fills a missing one", "[cli][usage_record]") {
    MappingOptions options;
    options.default_organization = "acme";
    const std::string no_org =
        R"({"timestamp": "2025-01-15", "provider": "openai", "model": "m",
            "prompt_tokens": 1, "completion_tokens": 1})";
    CHECK(mapped(no_org, options).organization_id == "acme");
    CHECK(mapped(with(""), options).organization_id == "org-1");
    CHECK(mapped(with(R"(, "organization_id": 42)")).organization_id == "42");
    CHECK(
        errors_of(no_org) ==
        std::vector<std::string>{"organization_id: missing (or pass --default-organization ORG)"});
    CHECK(errors_of(with(R"(, "organization_id": ["x"])"), options) ==
          std::vector<std::string>{"organization_id: expected a string"});
}

TEST_CASE("map_usage_record derives prompt or completion from total_tokens",
          "[cli][usage_record]") {
    const std::string head =
        R"({"timestamp": "2025-01-15", "provider": "openai", "model": "m",
            "organization_id": "o")";
    UsageRecord r = mapped(head + R"(, "prompt_tokens": 7, "total_tokens": 10})");
    CHECK(r.prompt_tokens == 7);
    CHECK(r.completion_tokens == 3);
    CHECK(r.total_tokens == 10);
    r = mapped(head + R"(, "completion_tokens": 4, "total_tokens": "10"})");
    CHECK(r.prompt_tokens == 6);
    CHECK(r.completion_tokens == 4);
    CHECK(errors_of(head + R"(, "total_tokens": 10})") ==
          std::vector<std::string>{
              "prompt_tokens: missing (give prompt_tokens and completion_tokens)",
              "completion_tokens: missing (give prompt_tokens and completion_tokens)"});
    CHECK(errors_of(head + R"(, "completion_tokens": 1})") ==
          std::vector<std::string>{
              "prompt_tokens: missing (give prompt_tokens and completion_tokens)"});
    CHECK(only_error(head + R"(, "completion_tokens": 11, "total_tokens": 10})") ==
          "prompt_tokens is negative (-1)");
    CHECK(only_error(with(R"(, "total_tokens": 16)")) ==
          "total_tokens (16) differs from prompt_tokens + completion_tokens (10 + 5)");
    // total - completion past the int64 range is an error, not a wrapped-around count.
    CHECK(only_error(head + R"(, "completion_tokens": 1, "total_tokens": -9223372036854775808})") ==
          "prompt_tokens: total_tokens minus the other count is out of range for bigint");
    CHECK(only_error(head + R"(, "prompt_tokens": -1, "total_tokens": 9223372036854775807})") ==
          "completion_tokens: total_tokens minus the other count is out of range for bigint");
}

TEST_CASE("map_usage_record: counts must be whole numbers", "[cli][usage_record]") {
    const std::vector<std::pair<std::string, int64_t>> whole = {
        {"100", 100},
        {"\"100\"", 100},
        {"\"100.0\"", 100},
        {"100.0", 100},
        {"\"1e2\"", 100},
        {"1.00e2", 100},
        {"\" 7 \"", 7},
        {"\"+7\"", 7},
        {"\"0\"", 0},
        {"\"007\"", 7},
        {"1.000000000000000000000000000", 1},
        {"9223372036854775807", INT64_MAX},
        {"\"9223372036854775807\"", INT64_MAX},
        {"\"-0\"", 0},
        {"\"170141183460469\"", 170141183460469},
        {"\"1000000000000000\"", 1000000000000000},
    };
    for (const auto& [value, expected] : whole) {
        INFO("latency_ms: " << value);
        CHECK(mapped(with(", \"latency_ms\": " + value)).latency_ms == expected);
    }
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"\"1.5\"", R"(cached_tokens: expected a whole number, got "1.5")"},
        {"1.5", R"(cached_tokens: expected a whole number, got "1.5")"},
        {"\"abc\"", R"(cached_tokens: expected a whole number, got "abc")"},
        {"\"1e-30\"", R"(cached_tokens: expected a whole number, got "1e-30")"},
        {"\"1,000\"", R"(cached_tokens: expected a whole number, got "1,000")"},
        {"true", R"(cached_tokens: expected a whole number, got "true")"},
        {"[1]", R"(cached_tokens: expected a whole number, got "[1]")"},
        {"9223372036854775808", "cached_tokens: too large"},
        {"18446744073709551615", "cached_tokens: too large"},
        {"\"9223372036854775808\"", "cached_tokens: too large"},
        {"\"-9223372036854775809\"", "cached_tokens: too large"},
        {"-1", "cached_tokens is negative (-1)"},
        {"\"11\"",
         "cached_tokens (11) plus cache_write_tokens (0) exceed prompt_tokens (10), "
         "which must include them"},
    };
    for (const auto& [value, message] : bad) {
        INFO("cached_tokens: " << value);
        CHECK(only_error(with(", \"cached_tokens\": " + value)) == message);
    }
    CHECK(only_error(with(R"(, "latency_ms": -1)")) == "latency_ms: negative");
    CHECK(only_error(with(R"(, "reasoning_tokens": "6")")) ==
          "reasoning_tokens (6) exceed completion_tokens (5), which must include them");
}

TEST_CASE("map_usage_record: metadata is an object or a string holding one",
          "[cli][usage_record]") {
    CHECK(mapped(with(R"(, "metadata": {"k": [1, 2.50], "e": {}})")).metadata ==
          R"({"e":{},"k":[1,2.50]})");
    CHECK(mapped(with(R"(, "metadata": "{\"k\": 0.10000000000000000000001}")")).metadata ==
          R"({"k":0.10000000000000000000001})");
    for (const char* bad : {R"("[1]")", "5", "[{}]", "true"}) {
        INFO("metadata: " << bad);
        CHECK(only_error(with(std::string(", \"metadata\": ") + bad)) ==
              "metadata: expected a JSON object");
    }
    for (const char* bad : {R"("not json")", R"("")"}) {
        INFO("metadata: " << bad);
        CHECK(only_error(with(std::string(", \"metadata\": ") + bad))
                  .rfind("metadata: not valid JSON: parse error at line 1", 0) == 0);
    }
}

TEST_CASE("map_usage_record: identifiers are UTF-8 text of at most 1000 bytes",
          "[cli][usage_record]") {
    CHECK(only_error(with(R"(, "user_id": ")" + std::string(1001, 'u') + "\"")) ==
          "user_id: longer than 1000 bytes");
    CHECK(mapped(with(R"(, "user_id": ")" + std::string(1000, 'u') + "\"")).user_id->size() ==
          1000);
    SourceRecord csv{Json::object(), {"u.csv", 2, 1}, {}, {}};
    csv.fields = parse_json_exact(kBase + "}");
    csv.fields["project_id"] = std::string("caf\xe9");  // Latin-1, not UTF-8
    UsageRecord out;
    std::vector<FieldError> errors = map_usage_record(csv, {}, out);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "project_id: not valid UTF-8 text");
    CHECK(only_error(with(R"(, "user_id": "a\u0000b")")) ==
          "user_id: contains a NUL character (\\u0000), which PostgreSQL text cannot hold");
}

TEST_CASE("map_usage_record: timestamps and read errors", "[cli][usage_record]") {
    CHECK(only_error(with(R"(, "timestamp": "2025-02-30")")) ==
          R"(timestamp: no such date, got "2025-02-30")");
    CHECK(only_error(with(R"(, "timestamp": "yesterday")")) ==
          "timestamp: expected a timestamp like 2025-01-15T10:00:00Z or a date like 2025-01-15, "
          R"(got "yesterday")");
    CHECK(mapped(with(R"(, "timestamp": "2024-02-29T23:59:59-0800")")).timestamp ==
          "2024-03-01T07:59:59+00:00");

    SourceRecord broken = source(kBase + "}");
    broken.error = "the row has 3 fields, the header has 2";
    UsageRecord out;
    out.model = "stale";
    std::vector<FieldError> errors = map_usage_record(broken, {}, out);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field.empty());
    CHECK(errors[0].message == "the row has 3 fields, the header has 2");
    CHECK(out.model.empty());  // the output is reset
}

TEST_CASE("map_usage_record maps CSV records, where every value is text", "[cli][usage_record]") {
    std::istringstream in(
        "timestamp,provider,model,organization_id,prompt_tokens,completion_tokens,metadata\n"
        "2025-01-15T10:00:00Z,Anthropic,claude,org,100.0,5,\"{\"\"team\"\": \"\"a\"\"}\"\n"
        "2025-01-15,openai,gpt-4o,org,1.5,5,\n");
    std::vector<std::vector<std::string>> results;
    read_csv_records(in, "u.csv", [&](SourceRecord&& record) {
        UsageRecord r;
        std::vector<std::string> row;
        for (const FieldError& e : map_usage_record(record, {}, r)) row.push_back(e.message);
        if (row.empty()) row = {r.provider, std::to_string(r.prompt_tokens), *r.metadata};
        results.push_back(row);
    });
    CHECK(results == std::vector<std::vector<std::string>>{
                         {"anthropic", "100", R"({"team":"a"})"},
                         {R"(prompt_tokens: expected a whole number, got "1.5")"}});
}

TEST_CASE("is_known_usage_field lists the record's fields", "[cli][usage_record]") {
    for (const std::string& column : usage_copy_columns()) CHECK(is_known_usage_field(column));
    CHECK_FALSE(is_known_usage_field("colour"));
    CHECK_FALSE(is_known_usage_field("Prompt_tokens"));
    CHECK_FALSE(is_known_usage_field(""));
}

namespace {

// A record's members without counts and without the closing brace, for provider `provider`.
std::string usage_record(const std::string& provider, const std::string& members) {
    return R"({"timestamp": "2025-07-01T00:00:00Z", "provider": ")" + provider +
           R"(", "model": "m", "organization_id": "o", )" + members + "}";
}

// "field | message" of each error of mapping `json`.
std::vector<std::string> field_errors(const std::string& json) {
    UsageRecord out;
    std::vector<std::string> errors;
    for (const FieldError& e : map_usage_record(source(json), {}, out)) {
        errors.push_back(e.field + " | " + e.message);
    }
    return errors;
}

// prompt, cached, write, write_1h, completion, reasoning of a valid record, space-separated.
std::string counts_of(const std::string& json) {
    const UsageRecord r = mapped(json);
    return std::to_string(r.prompt_tokens) + " " + std::to_string(r.cached_tokens) + " " +
           std::to_string(r.cache_write_tokens) + " " + std::to_string(r.cache_write_1h_tokens) +
           " " + std::to_string(r.completion_tokens) + " " + std::to_string(r.reasoning_tokens);
}

using Errors = std::vector<std::string>;

}  // namespace

TEST_CASE("map_usage_record reads a provider usage object by provider or usage_format",
          "[cli][usage_record]") {
    CHECK(counts_of(usage_record("openai", R"("usage": {"prompt_tokens": 2006,
              "completion_tokens": 300, "prompt_tokens_details": {"cached_tokens": 1920},
              "completion_tokens_details": {"reasoning_tokens": 100}})")) ==
          "2006 1920 0 0 300 100");
    CHECK(counts_of(usage_record("Anthropic", R"("usage": {"input_tokens": 3,
              "cache_creation_input_tokens": 12304, "output_tokens": 550})")) ==
          "12307 0 12304 0 550 0");
    CHECK(counts_of(usage_record("anthropic", R"("usage": {"input_tokens": 10,
              "cache_read_input_tokens": 20, "cache_creation_input_tokens": 30,
              "cache_creation": {"ephemeral_5m_input_tokens": 10, "ephemeral_1h_input_tokens": 20},
              "output_tokens": 5})")) == "60 20 10 20 5 0");
    CHECK(counts_of(usage_record("google", R"("usageMetadata": {"promptTokenCount": 1000,
              "cachedContentTokenCount": 400, "candidatesTokenCount": 100,
              "thoughtsTokenCount": 50, "totalTokenCount": 1150})")) == "1000 400 0 0 150 50");
    // usage_format names the convention where the provider does not, or overrides it.
    CHECK(counts_of(usage_record("mistral", R"("usage_format": "openai",
              "usage": {"prompt_tokens": 7, "completion_tokens": 3})")) == "7 0 0 0 3 0");
    CHECK(counts_of(usage_record("openrouter", R"("usage_format": "Anthropic",
              "usage": {"input_tokens": 100, "cache_read_input_tokens": 1000,
                        "output_tokens": 10})")) == "1100 1000 0 0 10 0");
    // total_tokens is left for the database to fill in.
    CHECK_FALSE(mapped(usage_record("openai", R"("usage": {"prompt_tokens": 7,
              "completion_tokens": 3, "total_tokens": 10})"))
                    .total_tokens);
}

TEST_CASE("map_usage_record names the field of a usage object that is wrong",
          "[cli][usage_record]") {
    CHECK(field_errors(usage_record("openai", R"("usage": {"prompt_tokens": 100,
              "completion_tokens": 10, "prompt_tokens_details": {"cached_tokens": 200}})")) ==
          Errors{"usage.prompt_tokens_details.cached_tokens | "
                 "usage.prompt_tokens_details.cached_tokens (200) exceeds usage.prompt_tokens "
                 "(100), which includes it"});
    CHECK(field_errors(usage_record("anthropic", R"("usage": {"input_tokens": 3,
              "cache_creation_input_tokens": 10, "cache_creation":
              {"ephemeral_5m_input_tokens": 4, "ephemeral_1h_input_tokens": 4},
              "output_tokens": 1})")) ==
          Errors{"usage.cache_creation_input_tokens | usage.cache_creation_input_tokens (10) "
                 "differs from usage.cache_creation.ephemeral_5m_input_tokens + "
                 "usage.cache_creation.ephemeral_1h_input_tokens (4 + 4 = 8)"});
    CHECK(field_errors(usage_record("google", R"("usageMetadata": {"promptTokenCount": 10,
              "candidatesTokenCount": 5, "totalTokenCount": 99})")) ==
          Errors{"usageMetadata.totalTokenCount | usageMetadata.totalTokenCount (99) differs "
                 "from usageMetadata.promptTokenCount + usageMetadata.candidatesTokenCount "
                 "(10 + 5 = 15)"});
    CHECK(field_errors(usage_record("openai", R"("usage": {"completion_tokens": 1})")) ==
          Errors{"usage.prompt_tokens | usage.prompt_tokens is missing"});
    CHECK(field_errors(usage_record("openai", R"("usage": {"input_tokens": 1,
              "cache_read_input_tokens": 1, "output_tokens": 1})")) ==
          Errors{"usage.cache_read_input_tokens | usage.cache_read_input_tokens is a member of "
                 "Anthropic usage, which the openai usage format does not describe"});
    CHECK(field_errors(usage_record("openai", R"("usage": "{\"prompt_tokens\": 1}")")) ==
          Errors{R"(usage | usage must be a JSON object, got "{\"prompt_tokens\": 1}")"});
}

TEST_CASE("map_usage_record: a usage object is the only source of counts", "[cli][usage_record]") {
    const std::string usage = R"("usage": {"prompt_tokens": 100, "completion_tokens": 10})";
    for (const char* count : {"prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
                              "cache_write_tokens", "cache_write_1h_tokens", "reasoning_tokens"}) {
        INFO(count);
        CHECK(field_errors(usage_record("openai", std::string("\"") + count + "\": 0, " + usage)) ==
              Errors{std::string(count) + " | " + count +
                     ": given with a provider usage object: give one or the other"});
    }
    CHECK(field_errors(usage_record("google", R"("prompt_tokens": 1,
              "usageMetadata": {"promptTokenCount": 1})")) ==
          Errors{"prompt_tokens | prompt_tokens: given with a provider usageMetadata object: give "
                 "one or the other"});
    // Both members: which one holds the counts would be a guess.
    CHECK(field_errors(usage_record("google", usage + R"(, "usageMetadata":
              {"promptTokenCount": 1})")) ==
          Errors{"usageMetadata | usageMetadata: given with a provider usage object: give one or "
                 "the other"});
    CHECK(field_errors(usage_record("mistral", usage)) ==
          Errors{R"(usage_format | usage_format: missing: the format of the usage object of )"
                 R"(provider "mistral" is not known (give usage_format: openai, anthropic or )"
                 "gemini)"});
    CHECK(field_errors(usage_record("openai", R"("usage_format": "cohere", )" + usage)) ==
          Errors{R"(usage_format | usage_format: expected openai, anthropic or gemini, got )"
                 R"("cohere")"});
}

TEST_CASE("map_usage_record: service_tier and cache_write_1h_tokens", "[cli][usage_record]") {
    const UsageRecord r = mapped(with(R"(, "prompt_tokens": 1010, "cache_write_1h_tokens": 1000,
                                          "service_tier": "batch")"));
    CHECK(r.cache_write_1h_tokens == 1000);
    CHECK(r.service_tier == "batch");
    const Row row = usage_copy_row(r);
    CHECK(row[15] == "1000");
    CHECK(row[16] == "batch");
    // OpenAI's names of the standard tier are stored as standard.
    for (const char* tier : {"standard", "default", "auto", "scale"}) {
        INFO(tier);
        CHECK(mapped(with(std::string(R"(, "service_tier": ")") + tier + "\"")).service_tier ==
              "standard");
    }
    CHECK(mapped(with(R"(, "service_tier": " priority ")")).service_tier == "priority");
    CHECK(mapped(with(R"(, "service_tier": "")")).service_tier == "standard");
    CHECK(only_error(with(R"(, "service_tier": "premium")")) ==
          R"(service_tier: expected standard, batch, priority or flex, got "premium")");
    CHECK(only_error(with(R"(, "service_tier": 2)")) ==
          R"(service_tier: expected standard, batch, priority or flex, got "2")");
    CHECK(only_error(with(R"(, "cache_write_1h_tokens": 11)")) ==
          "cached_tokens (0) plus cache_write_tokens (0) plus cache_write_1h_tokens (11) exceed "
          "prompt_tokens (10), which must include them");
    CHECK(only_error(with(R"(, "cache_write_1h_tokens": -1)")) ==
          "cache_write_1h_tokens is negative (-1)");
}

TEST_CASE("map_usage_record: the requests a record sums", "[cli][usage_record]") {
    // Left out: one request, as every record of a request log.
    const UsageRecord single = mapped(kBase + "}");
    CHECK(single.requests.count == 1);
    CHECK_FALSE(single.requests.prompt_tokens_min);
    CHECK_FALSE(single.requests.prompt_tokens_max);
    // Given as null (an empty CSV cell, an export of an unknown count): unknown.
    CHECK_FALSE(mapped(with(R"(, "request_count": null)")).requests.count);
    const UsageRecord bucket =
        mapped(with(R"(, "request_count": "4", "request_prompt_tokens_min": 1,
                                              "request_prompt_tokens_max": 5)"));
    CHECK(bucket.requests.count == 4);
    CHECK(bucket.requests.prompt_tokens_min == 1);
    CHECK(bucket.requests.prompt_tokens_max == 5);
    const Row row = usage_copy_row(bucket);
    CHECK(std::vector<Cell>(row.end() - 4, row.end()) ==
          std::vector<Cell>{"4", "1", "5", std::nullopt});
    // A bucket's period ends after it starts (the base record starts 2025-01-15T10:00:00Z).
    CHECK(mapped(with(R"(, "period_end": "2025-01-15T12:00:00+01:00")")).period_end ==
          "2025-01-15T11:00:00+00:00");
    CHECK(mapped(with(R"(, "period_end": "2025-01-16")")).period_end ==
          "2025-01-16T00:00:00+00:00");
    CHECK(only_error(with(R"(, "period_end": "2025-01-15T10:00:00Z")")) ==
          "period_end: not after the record's timestamp 2025-01-15T10:00:00+00:00");
    CHECK(only_error(with(R"(, "period_end": "soon")")).rfind("period_end: ", 0) == 0);
    CHECK(only_error(with(R"(, "request_count": 0)")) == "request_count (0) is not at least 1");
    CHECK(only_error(with(R"(, "request_count": 1.5)")) ==
          R"(request_count: expected a whole number, got "1.5")");
    // The base record has 10 prompt tokens: one request of at most 5 cannot hold them.
    CHECK(only_error(with(R"(, "request_prompt_tokens_max": 5)")) ==
          "prompt_tokens (10) exceed 1 request(s) of at most request_prompt_tokens_max (5)");
}
