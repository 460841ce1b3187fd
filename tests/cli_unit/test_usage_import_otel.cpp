// The OpenTelemetry importer: GenAI spans of OTLP/JSON exports as usage records.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "importers/usage/importer_fields.hpp"
#include "usage_import_support.hpp"

using namespace costops;
using namespace costops::cli;
using namespace costops::cli::testing;

namespace {

// An OTLP string attribute.
std::string text_attribute(const std::string& key, const std::string& value) {
    return R"({"key": ")" + key + R"(", "value": {"stringValue": ")" + value + R"("}})";
}

// An OTLP integer attribute (OTLP/JSON writes int64 values as strings).
std::string int_attribute(const std::string& key, const std::string& value) {
    return R"({"key": ")" + key + R"(", "value": {"intValue": ")" + value + R"("}})";
}

// The attributes of a chat span of gpt-4o with cache reads, then `more` (", {...}").
std::string chat_attributes(const std::string& more = "") {
    return "[" + text_attribute("gen_ai.operation.name", "chat") + ", " +
           text_attribute("gen_ai.provider.name", "openai") + ", " +
           text_attribute("gen_ai.request.model", "gpt-4o") + ", " +
           text_attribute("gen_ai.response.id", "chatcmpl-b1azmx9o4x2wq3e") + ", " +
           int_attribute("gen_ai.usage.input_tokens", "3000") + ", " +
           int_attribute("gen_ai.usage.cache_read.input_tokens", "2048") + ", " +
           int_attribute("gen_ai.usage.output_tokens", "500") + more + "]";
}

// A span with `attributes`, started at 2025-06-10T09:00:00.123456789Z.
std::string span(const std::string& attributes, const std::string& more = "") {
    return R"({"traceId": "5b8aa5a2d2c872e8321cf37308d69df2", "spanId": "c1a2b3c4d5e6f701",
               "name": "chat gpt-4o", "kind": 3, "startTimeUnixNano": "1749546000123456789",
               "endTimeUnixNano": "1749546002433456789", "attributes": )" +
           attributes + more + "}";
}

// An export document of `spans` ("{...}, {...}") from service support-bot.
std::string document(const std::string& spans) {
    return R"({"resourceSpans": [{"resource": {"attributes": [)" +
           text_attribute("service.name", "support-bot") +
           R"(]}, "scopeSpans": [{"scope": {"name": "opentelemetry.instrumentation.openai_v2"},
               "spans": [)" +
           spans + "]}]}]}";
}

}  // namespace

TEST_CASE("otel importer: a chat span of an export document", "[cli][usage_import]") {
    const UsageRecord r =
        only_record(expand_otel, document(span(chat_attributes())), with_organization("org-test"));
    CHECK(r.timestamp == "2025-06-10T09:00:00.123457+00:00");  // stored to the microsecond
    CHECK(r.provider == "openai");
    CHECK(r.model == "gpt-4o");
    CHECK(r.organization_id == "org-test");
    CHECK(r.request_id == "chatcmpl-b1azmx9o4x2wq3e");
    CHECK(r.prompt_tokens == 3000);
    CHECK(r.cached_tokens == 2048);
    CHECK(r.completion_tokens == 500);
    CHECK(r.metadata == R"({"operation":"chat","service_name":"support-bot","source":"otel",)"
                        R"("span_id":"c1a2b3c4d5e6f701","span_name":"chat gpt-4o",)"
                        R"("trace_id":"5b8aa5a2d2c872e8321cf37308d69df2"})");
}

TEST_CASE("otel importer: input_tokens includes cache reads and writes, for Anthropic too",
          "[cli][usage_import]") {
    const std::string anthropic =
        "[" + text_attribute("gen_ai.operation.name", "chat") + ", " +
        text_attribute("gen_ai.provider.name", "anthropic") + ", " +
        text_attribute("gen_ai.request.model", "claude-sonnet-4-20250514") + ", " +
        int_attribute("gen_ai.usage.input_tokens", "10000") + ", " +
        int_attribute("gen_ai.usage.cache_read.input_tokens", "7000") + ", " +
        int_attribute("gen_ai.usage.cache_creation.input_tokens", "2500") + ", " +
        int_attribute("gen_ai.usage.output_tokens", "600");
    const UsageRecord r = only_record(expand_otel, document(span(anthropic + "]")));
    CHECK(r.provider == "anthropic");
    CHECK(r.prompt_tokens == 10000);
    CHECK(r.cached_tokens == 7000);
    CHECK(r.cache_write_tokens == 2500);
    CHECK(r.completion_tokens == 600);
    CHECK(r.request_id == "c1a2b3c4d5e6f701");  // no gen_ai.response.id: the span's id
    // An SDK that wrote Anthropic's exclusive input_tokens: never re-added by guess.
    const std::string exclusive =
        "[" + text_attribute("gen_ai.operation.name", "chat") + ", " +
        text_attribute("gen_ai.provider.name", "anthropic") + ", " +
        text_attribute("gen_ai.request.model", "claude-sonnet-4-20250514") + ", " +
        int_attribute("gen_ai.usage.input_tokens", "500") + ", " +
        int_attribute("gen_ai.usage.cache_read.input_tokens", "7000") + ", " +
        int_attribute("gen_ai.usage.output_tokens", "600") + "]";
    CHECK(only_error(expand_otel, document(span(exclusive))) ==
          "resourceSpans[0].scopeSpans[0].spans[0].attributes.gen_ai.usage.input_tokens: (500) "
          "is less than its cache reads and writes: the span does not follow the semantic "
          "conventions, whose input_tokens includes them");
}

TEST_CASE("otel importer: flat spans, plain attributes, older attribute names",
          "[cli][usage_import]") {
    const UsageRecord r = only_record(
        expand_otel, span(R"({"gen_ai.system": "az.ai.openai", "gen_ai.request.model": "gpt-4o",
                 "gen_ai.response.model": "gpt-4o", "gen_ai.usage.prompt_tokens": 2200,
                 "gen_ai.usage.completion_tokens": 150,
                 "gen_ai.usage.cache_read_input_tokens": 1000})",
                          R"(, "resource": {"attributes": {"service.name": "ingest-worker"}})"));
    CHECK(r.provider == "azure");
    CHECK(r.model == "gpt-4o");
    CHECK(r.prompt_tokens == 2200);
    CHECK(r.cached_tokens == 1000);
    CHECK(r.completion_tokens == 150);
    CHECK(r.metadata->find(R"("service_name":"ingest-worker")") != std::string::npos);
    const UsageRecord gemini = only_record(
        expand_otel,
        span(R"({"gen_ai.operation.name": "generate_content", "gen_ai.provider.name": "gcp.gemini",
                 "gen_ai.request.model": "gemini-2.5-flash", "gen_ai.usage.input_tokens": "6000",
                 "gen_ai.usage.output_tokens": "900", "gen_ai.usage.total_tokens": "6900"})"));
    CHECK(gemini.provider == "google");
    CHECK(gemini.total_tokens == 6900);
    const UsageRecord embedding = only_record(
        expand_otel,
        span(R"({"gen_ai.operation.name": "embeddings", "gen_ai.provider.name": "openai",
                 "gen_ai.request.model": "text-embedding-3-small",
                 "gen_ai.usage.input_tokens": 800})"));
    CHECK(embedding.prompt_tokens == 800);
    CHECK(embedding.completion_tokens == 0);
}

TEST_CASE("otel importer: agent, tool and other spans are not usage", "[cli][usage_import]") {
    // An agent span's usage is the sum of its model calls': counting it would count them twice.
    CHECK(yields_nothing(
        expand_otel,
        document(span(R"({"gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name":
                          "anthropic", "gen_ai.usage.input_tokens": 15000,
                          "gen_ai.usage.output_tokens": 3600})"))));
    CHECK(yields_nothing(expand_otel,
                         document(span(R"({"gen_ai.operation.name": "execute_tool"})"))));
    CHECK(yields_nothing(expand_otel, document(span(R"([{"key": "http.request.method",
                                                         "value": {"stringValue": "POST"}}])"))));
    CHECK(yields_nothing(expand_otel,
                         span(R"({"gen_ai.operation.name": "chat", "gen_ai.provider.name":
                                  "openai", "gen_ai.request.model": "gpt-4o"})",
                              R"(, "status": {"code": 2, "message": "rate limited"})")));
    CHECK(yields_nothing(expand_otel, R"({"resourceSpans": []})"));
}

TEST_CASE("otel importer: missing required data is an error naming the source field",
          "[cli][usage_import]") {
    CHECK(only_error(expand_otel,
                     span(R"({"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
                              "gen_ai.usage.input_tokens": 1, "gen_ai.usage.output_tokens": 1})")) ==
          "attributes.gen_ai.provider.name: missing (and so is gen_ai.system)");
    CHECK(only_error(expand_otel,
                     span(R"({"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
                              "gen_ai.usage.input_tokens": 1, "gen_ai.usage.output_tokens": 1})")) ==
          "attributes.gen_ai.request.model: missing (and so is gen_ai.response.model)");
    CHECK(only_error(expand_otel,
                     span(R"({"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
                              "gen_ai.request.model": "gpt-4o",
                              "gen_ai.usage.output_tokens": 1})")) ==
          "attributes.gen_ai.usage.input_tokens: missing");
    CHECK(only_error(expand_otel, R"({"spanId": "ab", "attributes": )" + chat_attributes() + "}") ==
          "startTimeUnixNano: missing");
    CHECK(only_error(expand_otel, R"({"resource": {}})") ==
          "resourceSpans: missing: the record is neither an OTLP export nor a span (no spanId)");
}

TEST_CASE("otel importer: token counts must be non-negative integers", "[cli][usage_import]") {
    CHECK(only_error(
              expand_otel,
              document(span(chat_attributes(
                  ", " + int_attribute("gen_ai.usage.cache_creation.input_tokens", "12.5"))))) ==
          "resourceSpans[0].scopeSpans[0].spans[0].attributes.gen_ai.usage.cache_creation."
          R"(input_tokens: must be a non-negative integer, got "12.5")");
    CHECK(only_error(
              expand_otel,
              document(span(chat_attributes(R"(, {"key": "gen_ai.usage.cache_creation.input_tokens",
                                                        "value": {"doubleValue": 500.0}})")))) ==
          "resourceSpans[0].scopeSpans[0].spans[0].attributes.gen_ai.usage.cache_creation."
          "input_tokens: must be a non-negative integer, got 500.0");
    CHECK(only_error(expand_otel,
                     span(R"({"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
                              "gen_ai.usage.input_tokens": 3.5, "gen_ai.usage.output_tokens": 1})")) ==
          "attributes.gen_ai.usage.input_tokens: must be a non-negative integer, got 3.5");
    CHECK(only_error(expand_otel,
                     span(R"({"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
                              "gen_ai.usage.input_tokens": 1, "gen_ai.usage.output_tokens": -3})")) ==
          "attributes.gen_ai.usage.output_tokens: must be a non-negative integer, got -3");
    CHECK(only_error(expand_otel, R"({"spanId": "ab", "startTimeUnixNano": "yesterday",
                                      "attributes": )" +
                                      chat_attributes() + "}") ==
          R"(startTimeUnixNano: must be a non-negative integer, got "yesterday")");
}

TEST_CASE("otel importer: unknown fields and gen_ai.usage attributes are listed",
          "[cli][usage_import]") {
    const Expanded result = expand_and_map(
        expand_otel,
        R"({"mystery": 1, )" +
            document(
                span(chat_attributes(", " + int_attribute("gen_ai.usage.reasoning_tokens", "300") +
                                     ", " + text_attribute("server.address", "api.openai.com")),
                     R"(, "bogus": true)"))
                .substr(1));
    CHECK(result.errors.empty());
    CHECK(result.imported.unknown ==
          std::vector<std::string>{"mystery", "resourceSpans.scopeSpans.spans.bogus",
                                   "resourceSpans.scopeSpans.spans.attributes.gen_ai.usage."
                                   "reasoning_tokens"});
    REQUIRE(result.records.size() == 1);
    CHECK(result.records[0].reasoning_tokens == 0);
}

TEST_CASE("otel importer: unix nanoseconds as RFC 3339 text, exactly", "[cli][usage_import]") {
    CHECK(rfc3339_from_unix_nanos(0) == "1970-01-01T00:00:00Z");
    CHECK(rfc3339_from_unix_nanos(1749546000123456789) == "2025-06-10T09:00:00.123456789Z");
    CHECK(rfc3339_from_unix_nanos(1749546000100000000) == "2025-06-10T09:00:00.1Z");
    CHECK(rfc3339_from_unix_nanos(1709164800000000001) == "2024-02-29T00:00:00.000000001Z");
    CHECK(rfc3339_from_unix_nanos(1767225599999999999) == "2025-12-31T23:59:59.999999999Z");
    CHECK(rfc3339_from_unix_nanos(951782400000000000) == "2000-02-29T00:00:00Z");
}
