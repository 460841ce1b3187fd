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
    return SourceRecord{parse_json_exact(json), {"in.json", 1, 1}, ""};
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
    CHECK(r.timestamp == "2025-01-15T10:00:00.5+05:30");
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

    REQUIRE(usage_copy_columns().size() == 17);
    CHECK(usage_copy_columns().front() == "timestamp");
    CHECK(usage_copy_columns().back() == "service_tier");
    const Row expected = {"2025-01-15T10:00:00.5+05:30",
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
                          "standard"};
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
                          "standard"};
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
    CHECK(mapped(with(R"(, "user_id": ")" + std::string(1000, 'u') + "\"")).user_id->size() == 1000);
    SourceRecord csv{Json::object(), {"u.csv", 2, 1}, {}};
    csv.fields = parse_json_exact(kBase + "}");
    csv.fields["project_id"] = std::string("caf\xe9");  // Latin-1, not UTF-8
    UsageRecord out;
    std::vector<FieldError> errors = map_usage_record(csv, {}, out);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "project_id: not valid UTF-8 text");
}

TEST_CASE("map_usage_record: timestamps and read errors", "[cli][usage_record]") {
    CHECK(only_error(with(R"(, "timestamp": "2025-02-30")")) ==
          R"(timestamp: no such date, got "2025-02-30")");
    CHECK(only_error(with(R"(, "timestamp": "yesterday")")) ==
          "timestamp: expected a timestamp like 2025-01-15T10:00:00Z or a date like 2025-01-15, "
          R"(got "yesterday")");
    CHECK(mapped(with(R"(, "timestamp": "2024-02-29T23:59:59-0800")")).timestamp ==
          "2024-02-29T23:59:59-08:00");

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
