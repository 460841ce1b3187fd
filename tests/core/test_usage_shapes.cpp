// usage_shapes: provider usage objects (OpenAI, Anthropic, Bedrock Converse, Gemini) normalized
// to UsageCounts exactly, with an error naming the JSON path for every inconsistent object.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "usage_shapes.hpp"

using namespace costops;

namespace {

// The counts in a fixed, readable order.
std::string show(const UsageCounts& c) {
    return "prompt " + std::to_string(c.prompt_tokens) + ", cached " +
           std::to_string(c.cached_tokens) + ", write " + std::to_string(c.cache_write_tokens) +
           ", write_1h " + std::to_string(c.cache_write_1h_tokens) + ", completion " +
           std::to_string(c.completion_tokens) + ", reasoning " +
           std::to_string(c.reasoning_tokens);
}

// The normalized counts of the usage object `json` as show() writes them, or "field: message"
// of the UsageShapeError it throws.
std::string normalized(UsageFormat format, const std::string& json) {
    try {
        return show(normalize_usage(format, parse_json_exact(json)));
    } catch (const UsageShapeError& e) {
        return e.field() + ": " + e.what();
    }
}

std::string openai(const std::string& json) {
    return normalized(UsageFormat::OpenAI, json);
}
std::string anthropic(const std::string& json) {
    return normalized(UsageFormat::Anthropic, json);
}
std::string gemini(const std::string& json) {
    return normalized(UsageFormat::Gemini, json);
}

// show() of counts given in the order prompt, cached, write, write_1h, completion, reasoning.
std::string counts(int64_t prompt, int64_t cached, int64_t write, int64_t write_1h,
                   int64_t completion, int64_t reasoning) {
    UsageCounts c;
    c.prompt_tokens = prompt;
    c.cached_tokens = cached;
    c.cache_write_tokens = write;
    c.cache_write_1h_tokens = write_1h;
    c.completion_tokens = completion;
    c.reasoning_tokens = reasoning;
    return show(c);
}

}  // namespace

TEST_CASE("usage_format_for_provider maps exact provider ids", "[core][usage_shapes]") {
    // The families of the domain page: azure like openai, bedrock and vertex-anthropic like
    // anthropic, vertex and gemini like google (one or two spellings each).
    const std::vector<std::pair<std::string, UsageFormat>> known = {
        {"openai", UsageFormat::OpenAI},
        {"azure", UsageFormat::OpenAI},
        {"openrouter", UsageFormat::OpenAI},
        {"anthropic", UsageFormat::Anthropic},
        {"bedrock", UsageFormat::Anthropic},
        {"aws", UsageFormat::Anthropic},
        {"vertex-anthropic", UsageFormat::Anthropic},
        {"google", UsageFormat::Gemini},
        {"gemini", UsageFormat::Gemini},
        {"vertex_ai", UsageFormat::Gemini},
        // ASCII case is folded, as ingest folds provider ids.
        {"OpenAI", UsageFormat::OpenAI},
        {"ANTHROPIC", UsageFormat::Anthropic},
        {"Vertex_AI", UsageFormat::Gemini},
    };
    for (const auto& [provider, format] : known) {
        INFO(provider);
        auto got = usage_format_for_provider(provider);
        REQUIRE(got.has_value());
        CHECK(*got == format);
    }
}

TEST_CASE("usage_format_for_provider never guesses", "[core][usage_shapes]") {
    // x-ai's completion_tokens exclude reasoning_tokens; the others are unverified conventions;
    // the rest contain a known id without being one.
    for (const char* provider : {"",
                                 "x-ai",
                                 "xai",
                                 "grok",
                                 "deepseek",
                                 "groq",
                                 "mistral",
                                 "perplexity",
                                 "together",
                                 "fireworks",
                                 "cohere",
                                 "vertex_ai-embedding-models",
                                 "open-ai",
                                 "openai-compatible",
                                 "my-openai",
                                 "openai2",
                                 " openai",
                                 "openai ",
                                 "anthropic-proxy",
                                 "bedrock-nova",
                                 "googleapis",
                                 "google-ai",
                                 "azure-anthropic",
                                 "vertex_ai-mistral_models"}) {
        INFO(provider);
        CHECK_FALSE(usage_format_for_provider(provider).has_value());
    }
}

TEST_CASE("usage format names parse and print", "[core][usage_shapes]") {
    CHECK(parse_usage_format("openai") == UsageFormat::OpenAI);
    CHECK(parse_usage_format("anthropic") == UsageFormat::Anthropic);
    CHECK(parse_usage_format("gemini") == UsageFormat::Gemini);
    CHECK(parse_usage_format("google") == UsageFormat::Gemini);
    CHECK(parse_usage_format("Gemini") == UsageFormat::Gemini);
    for (const char* name : {"", "azure", "bedrock", "vertex", "claude", "open ai", "openai "}) {
        INFO(name);
        CHECK_FALSE(parse_usage_format(name).has_value());
    }
    for (UsageFormat f : {UsageFormat::OpenAI, UsageFormat::Anthropic, UsageFormat::Gemini}) {
        CHECK(parse_usage_format(usage_format_name(f)) == f);
    }
    CHECK(std::string(usage_format_name(UsageFormat::OpenAI)) == "openai");
    CHECK(std::string(usage_format_name(UsageFormat::Anthropic)) == "anthropic");
    CHECK(std::string(usage_format_name(UsageFormat::Gemini)) == "gemini");
    CHECK(std::string(usage_member_name(UsageFormat::OpenAI)) == "usage");
    CHECK(std::string(usage_member_name(UsageFormat::Anthropic)) == "usage");
    CHECK(std::string(usage_member_name(UsageFormat::Gemini)) == "usageMetadata");
}

TEST_CASE("OpenAI Chat Completions usage", "[core][usage_shapes]") {
    // The chat completion object of the API reference.
    CHECK(openai(R"({"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29,
                     "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                     "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                       "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}})") ==
          counts(19, 0, 0, 0, 10, 0));
    // The prompt caching guide: cached_tokens are inside prompt_tokens.
    CHECK(openai(R"({"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
                     "prompt_tokens_details": {"cached_tokens": 1920},
                     "completion_tokens_details": {"reasoning_tokens": 0,
                       "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}})") ==
          counts(2006, 1920, 0, 0, 300, 0));
    // A reasoning model: reasoning_tokens are inside completion_tokens.
    CHECK(openai(R"({"prompt_tokens": 75, "completion_tokens": 1186, "total_tokens": 1261,
                     "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 0},
                     "completion_tokens_details": {"reasoning_tokens": 1024}})") ==
          counts(75, 64, 0, 0, 1186, 1024));
    // Audio and predicted-output counts are parts already inside the wholes: nothing is added.
    CHECK(openai(R"({"prompt_tokens": 166, "completion_tokens": 226, "total_tokens": 392,
                     "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 40},
                     "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 12,
                       "accepted_prediction_tokens": 49, "rejected_prediction_tokens": 107}})") ==
          counts(166, 0, 0, 0, 226, 0));
    // The bare minimum; total_tokens is optional.
    CHECK(openai(R"({"prompt_tokens": 5, "completion_tokens": 7})") == counts(5, 0, 0, 0, 7, 0));
    CHECK(openai(R"({"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0})") ==
          counts(0, 0, 0, 0, 0, 0));
    // Python SDK dumps write absent details as null; other members are ignored.
    CHECK(openai(R"({"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15,
                     "prompt_tokens_details": null, "completion_tokens_details": null,
                     "queue_time": 0.037, "service_tier": "default"})") ==
          counts(12, 0, 0, 0, 3, 0));
}

TEST_CASE("OpenRouter usage reads cache_write_tokens as a part of prompt_tokens",
          "[core][usage_shapes]") {
    // OpenRouter's usage accounting example (194 prompt tokens, 100 of them written).
    CHECK(openai(R"({"completion_tokens": 2, "completion_tokens_details": {"reasoning_tokens": 0},
                     "cost": 0.95, "cost_details": {"upstream_inference_cost": 19},
                     "prompt_tokens": 194, "prompt_tokens_details": {"cached_tokens": 0,
                       "cache_write_tokens": 100, "audio_tokens": 0},
                     "total_tokens": 196})") == counts(194, 0, 100, 0, 2, 0));
    CHECK(openai(R"({"prompt_tokens": 100, "completion_tokens": 1,
                     "prompt_tokens_details": {"cached_tokens": 60, "cache_write_tokens": 40}})") ==
          counts(100, 60, 40, 0, 1, 0));
}

TEST_CASE("OpenAI Responses API usage", "[core][usage_shapes]") {
    // The response object of the API reference.
    CHECK(openai(R"({"input_tokens": 36, "input_tokens_details": {"cached_tokens": 0},
                     "output_tokens": 87, "output_tokens_details": {"reasoning_tokens": 0},
                     "total_tokens": 123})") == counts(36, 0, 0, 0, 87, 0));
    // The reasoning guide.
    CHECK(openai(R"({"input_tokens": 75, "input_tokens_details": {"cached_tokens": 0},
                     "output_tokens": 1186, "output_tokens_details": {"reasoning_tokens": 1024},
                     "total_tokens": 1261})") == counts(75, 0, 0, 0, 1186, 1024));
    CHECK(openai(R"({"input_tokens": 5000, "input_tokens_details": {"cached_tokens": 4864},
                     "output_tokens": 20})") == counts(5000, 4864, 0, 0, 20, 0));
}

TEST_CASE("OpenAI embeddings usage: the completion is what the total leaves",
          "[core][usage_shapes]") {
    CHECK(openai(R"({"prompt_tokens": 8, "total_tokens": 8})") == counts(8, 0, 0, 0, 0, 0));
    CHECK(openai(R"({"prompt_tokens": 8, "total_tokens": 11})") == counts(8, 0, 0, 0, 3, 0));
    CHECK(openai(R"({"prompt_tokens": 8, "total_tokens": 7})") ==
          "usage.total_tokens: usage.total_tokens (7) is less than usage.prompt_tokens (8)");
}

TEST_CASE("OpenAI usage errors name the JSON path", "[core][usage_shapes]") {
    CHECK(openai(R"({"completion_tokens": 10})") ==
          "usage.prompt_tokens: usage.prompt_tokens is missing");
    CHECK(openai(R"({"prompt_tokens": null, "completion_tokens": 10})") ==
          "usage.prompt_tokens: usage.prompt_tokens is missing");
    CHECK(openai(R"({"prompt_tokens": 10})") ==
          "usage.completion_tokens: usage.completion_tokens is missing");
    CHECK(openai(R"({})") == "usage.prompt_tokens: usage.prompt_tokens is missing");
    CHECK(openai(R"({"input_tokens": 10})") ==
          "usage.output_tokens: usage.output_tokens is missing");
    CHECK(openai(R"({"output_tokens_details": {"reasoning_tokens": 1}, "output_tokens": 3})") ==
          "usage.input_tokens: usage.input_tokens is missing");
    CHECK(openai(R"({"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 30})") ==
          "usage.total_tokens: usage.total_tokens (30) differs from usage.prompt_tokens + "
          "usage.completion_tokens (19 + 10 = 29)");
    CHECK(openai(R"({"input_tokens": 36, "output_tokens": 87, "total_tokens": 36})") ==
          "usage.total_tokens: usage.total_tokens (36) differs from usage.input_tokens + "
          "usage.output_tokens (36 + 87 = 123)");
    CHECK(openai(R"({"prompt_tokens": 20, "completion_tokens": 1,
                     "prompt_tokens_details": {"cached_tokens": 30}})") ==
          "usage.prompt_tokens_details.cached_tokens: usage.prompt_tokens_details.cached_tokens "
          "(30) exceeds usage.prompt_tokens (20), which includes it");
    CHECK(openai(R"({"prompt_tokens": 100, "completion_tokens": 1,
                     "prompt_tokens_details": {"cached_tokens": 60, "cache_write_tokens": 50}})") ==
          "usage.prompt_tokens_details.cached_tokens: usage.prompt_tokens_details.cached_tokens "
          "(60) plus usage.prompt_tokens_details.cache_write_tokens (50) exceed "
          "usage.prompt_tokens (100), which includes them");
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5,
                     "completion_tokens_details": {"reasoning_tokens": 6}})") ==
          "usage.completion_tokens_details.reasoning_tokens: "
          "usage.completion_tokens_details.reasoning_tokens (6) exceeds usage.completion_tokens "
          "(5), which includes it");
    CHECK(openai(R"({"input_tokens": 10, "output_tokens": 5,
                     "output_tokens_details": {"reasoning_tokens": 9}})") ==
          "usage.output_tokens_details.reasoning_tokens: "
          "usage.output_tokens_details.reasoning_tokens (9) exceeds usage.output_tokens (5), "
          "which includes it");
    CHECK(openai(R"({"input_tokens": 10, "output_tokens": 5,
                     "input_tokens_details": {"cached_tokens": 11}})") ==
          "usage.input_tokens_details.cached_tokens: usage.input_tokens_details.cached_tokens "
          "(11) exceeds usage.input_tokens (10), which includes it");
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5,
                     "prompt_tokens_details": {"audio_tokens": 11}})") ==
          "usage.prompt_tokens_details.audio_tokens: usage.prompt_tokens_details.audio_tokens "
          "(11) exceeds usage.prompt_tokens (10), which includes it");
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5,
                     "completion_tokens_details": {"rejected_prediction_tokens": 6}})") ==
          "usage.completion_tokens_details.rejected_prediction_tokens: "
          "usage.completion_tokens_details.rejected_prediction_tokens (6) exceeds "
          "usage.completion_tokens (5), which includes it");
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5,
                     "completion_tokens_details": {"accepted_prediction_tokens": "3"}})") ==
          "usage.completion_tokens_details.accepted_prediction_tokens: "
          "usage.completion_tokens_details.accepted_prediction_tokens must be a whole number of "
          "tokens, got \"3\"");
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5, "prompt_tokens_details": 3})") ==
          "usage.prompt_tokens_details: usage.prompt_tokens_details must be a JSON object, got 3");
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": "15"})") ==
          "usage.total_tokens: usage.total_tokens must be a whole number of tokens, got \"15\"");
}

TEST_CASE("OpenAI usage refuses objects it would misread", "[core][usage_shapes]") {
    CHECK(openai(R"({"prompt_tokens": 10, "completion_tokens": 5, "input_tokens": 10})") ==
          "usage.input_tokens: usage mixes Chat Completions (usage.prompt_tokens) and Responses "
          "API (usage.input_tokens) members: which convention its counts follow is unknown");
    CHECK(openai(R"({"completion_tokens": 5, "input_tokens_details": {"cached_tokens": 1}})") ==
          "usage.input_tokens_details: usage mixes Chat Completions (usage.completion_tokens) and "
          "Responses API (usage.input_tokens_details) members: which convention its counts "
          "follow is unknown");
    // An Anthropic object has input_tokens and output_tokens too, but excludes its cache reads.
    CHECK(openai(R"({"input_tokens": 3, "cache_read_input_tokens": 12304, "output_tokens": 5})") ==
          "usage.cache_read_input_tokens: usage.cache_read_input_tokens is a member of Anthropic "
          "usage, which the openai usage format does not describe");
    CHECK(openai(R"({"prompt_tokens": 3, "completion_tokens": 5,
                     "cache_creation_input_tokens": 10})") ==
          "usage.cache_creation_input_tokens: usage.cache_creation_input_tokens is a member of "
          "Anthropic usage, which the openai usage format does not describe");
    CHECK(openai(R"({"inputTokens": 3, "outputTokens": 5})") ==
          "usage.inputTokens: usage.inputTokens is a member of Bedrock Converse usage, which the "
          "openai usage format does not describe");
    CHECK(openai(R"({"promptTokenCount": 3})") ==
          "usage.promptTokenCount: usage.promptTokenCount is a member of Gemini usage, which the "
          "openai usage format does not describe");
}

TEST_CASE("Anthropic Messages usage", "[core][usage_shapes]") {
    // The issue's example: input_tokens exclude the cache write.
    CHECK(anthropic(R"({"input_tokens": 3, "cache_creation_input_tokens": 12304,
                        "output_tokens": 550})") == counts(12307, 0, 12304, 0, 550, 0));
    // The API reference's message object.
    CHECK(anthropic(R"({"input_tokens": 2095, "output_tokens": 503})") ==
          counts(2095, 0, 0, 0, 503, 0));
    // The prompt caching guide: a write, then a read of the same prefix.
    CHECK(anthropic(R"({"input_tokens": 21, "cache_creation_input_tokens": 188086,
                        "cache_read_input_tokens": 0, "output_tokens": 393})") ==
          counts(188107, 0, 188086, 0, 393, 0));
    CHECK(anthropic(R"({"input_tokens": 21, "cache_creation_input_tokens": 0,
                        "cache_read_input_tokens": 188086, "output_tokens": 393})") ==
          counts(188107, 188086, 0, 0, 393, 0));
    // A current response: the lifetime split, server tool use and service tier.
    CHECK(anthropic(R"({"input_tokens": 50, "cache_creation_input_tokens": 248,
                        "cache_read_input_tokens": 1800,
                        "cache_creation": {"ephemeral_5m_input_tokens": 148,
                                           "ephemeral_1h_input_tokens": 100},
                        "output_tokens": 503, "server_tool_use": {"web_search_requests": 1},
                        "service_tier": "standard"})") == counts(2098, 1800, 148, 100, 503, 0));
    CHECK(anthropic(R"({"input_tokens": 3, "cache_creation_input_tokens": 12304,
                        "cache_read_input_tokens": 0,
                        "cache_creation": {"ephemeral_5m_input_tokens": 0,
                                           "ephemeral_1h_input_tokens": 12304},
                        "output_tokens": 550})") == counts(12307, 0, 0, 12304, 550, 0));
    // The split alone stands for the write count.
    CHECK(anthropic(R"({"input_tokens": 10, "output_tokens": 1,
                        "cache_creation": {"ephemeral_1h_input_tokens": 30}})") ==
          counts(40, 0, 0, 30, 1, 0));
    // SDK dumps: null members are absent, and a cache_creation without lifetimes splits nothing.
    CHECK(anthropic(R"({"input_tokens": 10, "output_tokens": 1, "cache_read_input_tokens": null,
                        "cache_creation_input_tokens": 5, "cache_creation": {},
                        "server_tool_use": null, "service_tier": null})") ==
          counts(15, 0, 5, 0, 1, 0));
    CHECK(anthropic(R"({"input_tokens": 10, "output_tokens": 1, "cache_creation": null})") ==
          counts(10, 0, 0, 0, 1, 0));
}

TEST_CASE("Bedrock Converse usage", "[core][usage_shapes]") {
    // The prompt caching guide: inputTokens exclude the cache tokens, totalTokens include them.
    CHECK(anthropic(R"({"inputTokens": 4, "outputTokens": 377, "totalTokens": 1885,
                        "cacheReadInputTokens": 0, "cacheWriteInputTokens": 1504})") ==
          counts(1508, 0, 1504, 0, 377, 0));
    CHECK(anthropic(R"({"inputTokens": 4, "outputTokens": 300, "totalTokens": 1808,
                        "cacheReadInputTokens": 1504, "cacheWriteInputTokens": 0})") ==
          counts(1508, 1504, 0, 0, 300, 0));
    // cacheDetails, sorted 1h before 5m, splits the writes by lifetime.
    CHECK(anthropic(R"({"inputTokens": 10, "outputTokens": 20, "totalTokens": 1534,
                        "cacheWriteInputTokens": 1504,
                        "cacheDetails": [{"ttl": "1h", "inputTokens": 1000},
                                         {"ttl": "5m", "inputTokens": 504}]})") ==
          counts(1514, 0, 504, 1000, 20, 0));
    CHECK(anthropic(R"({"inputTokens": 10, "outputTokens": 20, "totalTokens": 30,
                        "cacheDetails": []})") == counts(10, 0, 0, 0, 20, 0));
    CHECK(anthropic(R"({"inputTokens": 7, "outputTokens": 2})") == counts(7, 0, 0, 0, 2, 0));
}

TEST_CASE("Anthropic usage errors name the JSON path", "[core][usage_shapes]") {
    CHECK(anthropic(R"({"output_tokens": 550})") ==
          "usage.input_tokens: usage.input_tokens is missing");
    CHECK(anthropic(R"({"input_tokens": 3, "cache_read_input_tokens": 4})") ==
          "usage.output_tokens: usage.output_tokens is missing");
    CHECK(anthropic(R"({})") == "usage.input_tokens: usage.input_tokens is missing");
    CHECK(anthropic(R"({"outputTokens": 5})") == "usage.inputTokens: usage.inputTokens is missing");
    CHECK(anthropic(R"({"input_tokens": 50, "cache_creation_input_tokens": 248,
                        "cache_creation": {"ephemeral_5m_input_tokens": 148,
                                           "ephemeral_1h_input_tokens": 99},
                        "output_tokens": 503})") ==
          "usage.cache_creation_input_tokens: usage.cache_creation_input_tokens (248) differs "
          "from usage.cache_creation.ephemeral_5m_input_tokens + "
          "usage.cache_creation.ephemeral_1h_input_tokens (148 + 99 = 247)");
    CHECK(anthropic(R"({"input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 7,
                        "cache_creation": {"ephemeral_5m_input_tokens": 6}})") ==
          "usage.cache_creation_input_tokens: usage.cache_creation_input_tokens (7) differs from "
          "usage.cache_creation.ephemeral_5m_input_tokens (6)");
    CHECK(anthropic(R"({"input_tokens": 1, "output_tokens": 1, "cache_creation": 7})") ==
          "usage.cache_creation: usage.cache_creation must be a JSON object, got 7");
    CHECK(anthropic(R"({"input_tokens": 1, "output_tokens": 1,
                        "cache_creation": {"ephemeral_1h_input_tokens": -2}})") ==
          "usage.cache_creation.ephemeral_1h_input_tokens: "
          "usage.cache_creation.ephemeral_1h_input_tokens is negative (-2)");
    CHECK(anthropic(R"({"inputTokens": 4, "outputTokens": 377, "totalTokens": 381,
                        "cacheWriteInputTokens": 1504})") ==
          "usage.totalTokens: usage.totalTokens (381) differs from usage.inputTokens + "
          "usage.cacheWriteInputTokens + usage.outputTokens (4 + 1504 + 377 = 1885)");
    CHECK(anthropic(R"({"inputTokens": 1, "outputTokens": 1, "cacheWriteInputTokens": 10,
                        "cacheDetails": [{"ttl": "5m", "inputTokens": 4},
                                         {"ttl": "1h", "inputTokens": 5}]})") ==
          "usage.cacheWriteInputTokens: usage.cacheWriteInputTokens (10) differs from "
          "usage.cacheDetails[0].inputTokens + usage.cacheDetails[1].inputTokens (4 + 5 = 9)");
    CHECK(anthropic(R"({"inputTokens": 1, "outputTokens": 1, "cacheWriteInputTokens": 10,
                        "cacheDetails": []})") ==
          "usage.cacheWriteInputTokens: usage.cacheWriteInputTokens (10) differs from the sum of "
          "its parts: none");
    CHECK(anthropic(R"({"inputTokens": 1, "outputTokens": 1,
                        "cacheDetails": [{"ttl": "24h", "inputTokens": 4}]})") ==
          "usage.cacheDetails[0].ttl: usage.cacheDetails[0].ttl must be \"5m\" or \"1h\", got "
          "\"24h\"");
    CHECK(anthropic(
              R"({"inputTokens": 1, "outputTokens": 1, "cacheDetails": [{"inputTokens": 4}]})") ==
          "usage.cacheDetails[0].ttl: usage.cacheDetails[0].ttl must be \"5m\" or \"1h\", got "
          "nothing");
    CHECK(anthropic(R"({"inputTokens": 1, "outputTokens": 1, "cacheDetails": [{"ttl": "5m"}]})") ==
          "usage.cacheDetails[0].inputTokens: usage.cacheDetails[0].inputTokens is missing");
    CHECK(anthropic(R"({"inputTokens": 1, "outputTokens": 1, "cacheDetails": [3]})") ==
          "usage.cacheDetails[0]: usage.cacheDetails[0] must be a JSON object, got 3");
    CHECK(anthropic(R"({"inputTokens": 1, "outputTokens": 1, "cacheDetails": {"ttl": "5m"}})") ==
          "usage.cacheDetails: usage.cacheDetails must be a JSON array, got an object");
}

TEST_CASE("Anthropic usage refuses objects it would misread", "[core][usage_shapes]") {
    CHECK(anthropic(R"({"input_tokens": 3, "inputTokens": 3, "output_tokens": 5})") ==
          "usage.inputTokens: usage mixes Anthropic Messages (usage.input_tokens) and Bedrock "
          "Converse (usage.inputTokens) members: which convention its counts follow is unknown");
    // An OpenAI Responses object: its input_tokens INCLUDE the cached tokens.
    CHECK(anthropic(R"({"input_tokens": 36, "input_tokens_details": {"cached_tokens": 20},
                        "output_tokens": 87, "total_tokens": 123})") ==
          "usage.input_tokens_details: usage.input_tokens_details is a member of OpenAI "
          "Responses API usage, which the anthropic usage format does not describe");
    CHECK(anthropic(R"({"prompt_tokens": 19, "completion_tokens": 10})") ==
          "usage.prompt_tokens: usage.prompt_tokens is a member of OpenAI Chat Completions usage, "
          "which the anthropic usage format does not describe");
    // Amazon Nova's InvokeModel names its cache counts differently (and is not Anthropic's).
    CHECK(anthropic(R"({"inputTokens": 10, "outputTokens": 2, "totalTokens": 12,
                        "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0})") ==
          "usage.cacheReadInputTokenCount: usage.cacheReadInputTokenCount is a member of Amazon "
          "Nova InvokeModel usage, which the anthropic usage format does not describe");
}

TEST_CASE("Gemini usageMetadata", "[core][usage_shapes]") {
    // A thinking model (gemini-2.5-flash): thoughts are outside candidatesTokenCount.
    CHECK(gemini(R"({"promptTokenCount": 20, "candidatesTokenCount": 198,
                     "totalTokenCount": 623, "thoughtsTokenCount": 405,
                     "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 20}]})") ==
          counts(20, 0, 0, 0, 603, 405));
    CHECK(gemini(R"({"promptTokenCount": 15, "candidatesTokenCount": 359,
                     "totalTokenCount": 1035, "thoughtsTokenCount": 661})") ==
          counts(15, 0, 0, 0, 1020, 661));
    // The context caching guide: promptTokenCount includes cachedContentTokenCount.
    CHECK(gemini(R"({"promptTokenCount": 696219, "cachedContentTokenCount": 696190,
                     "candidatesTokenCount": 214, "totalTokenCount": 696433,
                     "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": 696190}]})") ==
          counts(696219, 696190, 0, 0, 214, 0));
    // Grounding with Google Search: tool-use prompt tokens are input, counted in the total.
    CHECK(gemini(R"({"promptTokenCount": 12, "candidatesTokenCount": 150,
                     "toolUsePromptTokenCount": 300, "thoughtsTokenCount": 80,
                     "totalTokenCount": 542,
                     "toolUsePromptTokensDetails": [{"modality": "TEXT", "tokenCount": 300}]})") ==
          counts(312, 0, 0, 0, 230, 80));
    // Vertex AI adds trafficType and per-modality details; they are ignored.
    CHECK(gemini(R"({"promptTokenCount": 5, "candidatesTokenCount": 7, "totalTokenCount": 12,
                     "trafficType": "ON_DEMAND",
                     "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 5}],
                     "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 7}]})") ==
          counts(5, 0, 0, 0, 7, 0));
    // Zero counts are omitted: a blocked prompt, and thinking that used up max tokens.
    CHECK(gemini(R"({"promptTokenCount": 8, "totalTokenCount": 8})") == counts(8, 0, 0, 0, 0, 0));
    CHECK(gemini(R"({"promptTokenCount": 10, "totalTokenCount": 1033,
                     "thoughtsTokenCount": 1023})") == counts(10, 0, 0, 0, 1023, 1023));
    CHECK(gemini(R"({"promptTokenCount": 4, "candidatesTokenCount": 9})") ==
          counts(4, 0, 0, 0, 9, 0));
}

TEST_CASE("Gemini usage errors name the JSON path", "[core][usage_shapes]") {
    CHECK(gemini(R"({"candidatesTokenCount": 9, "totalTokenCount": 9})") ==
          "usageMetadata.promptTokenCount: usageMetadata.promptTokenCount is missing");
    CHECK(gemini(R"({})") ==
          "usageMetadata.promptTokenCount: usageMetadata.promptTokenCount is missing");
    // A total that counts thoughts inside the candidates would double-bill them: refused.
    CHECK(gemini(R"({"promptTokenCount": 7477, "candidatesTokenCount": 2060,
                     "thoughtsTokenCount": 1939, "totalTokenCount": 9537})") ==
          "usageMetadata.totalTokenCount: usageMetadata.totalTokenCount (9537) differs from "
          "usageMetadata.promptTokenCount + usageMetadata.candidatesTokenCount + "
          "usageMetadata.thoughtsTokenCount (7477 + 2060 + 1939 = 11476)");
    CHECK(gemini(R"({"promptTokenCount": 12, "candidatesTokenCount": 150,
                     "toolUsePromptTokenCount": 300, "totalTokenCount": 162})") ==
          "usageMetadata.totalTokenCount: usageMetadata.totalTokenCount (162) differs from "
          "usageMetadata.promptTokenCount + usageMetadata.toolUsePromptTokenCount + "
          "usageMetadata.candidatesTokenCount (12 + 300 + 150 = 462)");
    CHECK(gemini(R"({"promptTokenCount": 100, "cachedContentTokenCount": 101,
                     "candidatesTokenCount": 1})") ==
          "usageMetadata.cachedContentTokenCount: usageMetadata.cachedContentTokenCount (101) "
          "exceeds usageMetadata.promptTokenCount (100), which includes it");
    CHECK(gemini(R"({"promptTokenCount": 10, "thoughtsTokenCount": -1})") ==
          "usageMetadata.thoughtsTokenCount: usageMetadata.thoughtsTokenCount is negative (-1)");
    CHECK(gemini(R"({"promptTokenCount": "10"})") ==
          "usageMetadata.promptTokenCount: usageMetadata.promptTokenCount must be a whole number "
          "of tokens, got \"10\"");
    CHECK(gemini(R"({"promptTokenCount": 10, "responseTokenCount": 4, "totalTokenCount": 14})") ==
          "usageMetadata.responseTokenCount: usageMetadata.responseTokenCount is a member of "
          "Gemini Live API usage, which the gemini usage format does not describe");
    CHECK(gemini(R"({"input_tokens": 3, "output_tokens": 5})") ==
          "usageMetadata.input_tokens: usageMetadata.input_tokens is a member of Anthropic or "
          "OpenAI Responses usage, which the gemini usage format does not describe");
    CHECK(gemini(R"({"prompt_tokens": 3, "completion_tokens": 5})") ==
          "usageMetadata.prompt_tokens: usageMetadata.prompt_tokens is a member of OpenAI Chat "
          "Completions usage, which the gemini usage format does not describe");
}

TEST_CASE("a usage value must be an object", "[core][usage_shapes]") {
    CHECK(openai("null") == "usage: usage must be a JSON object, got null");
    CHECK(openai("[1, 2]") == "usage: usage must be a JSON object, got an array");
    CHECK(anthropic("\"12\"") == "usage: usage must be a JSON object, got \"12\"");
    CHECK(gemini("42") == "usageMetadata: usageMetadata must be a JSON object, got 42");
    CHECK(gemini("1.5") == "usageMetadata: usageMetadata must be a JSON object, got 1.5");
}

TEST_CASE("counts given as number literals are read exactly", "[core][usage_shapes]") {
    // Integral literals are whole numbers, however they are spelt.
    const std::vector<std::pair<std::string, int64_t>> integral = {
        {"1e3", 1000},
        {"1E3", 1000},
        {"1e+3", 1000},
        {"12.0", 12},
        {"12.000", 12},
        {"1.2e1", 12},
        {"100e-2", 1},
        {"12500e-2", 125},
        {"0.0", 0},
        {"-0", 0},
        {"-0.0", 0},
        {"0e99999999999999999999", 0},
        {"0.000e-7", 0},
        {"9.223372036854775807e18", INT64_MAX},
        {"9223372036854775807.000", INT64_MAX},
        {"92233720368547758070e-1", INT64_MAX},
        {"1e18", 1000000000000000000},
    };
    for (const auto& [literal, value] : integral) {
        INFO(literal);
        CHECK(openai(R"({"prompt_tokens": )" + literal + R"(, "completion_tokens": 0})") ==
              counts(value, 0, 0, 0, 0, 0));
    }
    CHECK(gemini(R"({"promptTokenCount": 1.5e3, "cachedContentTokenCount": 1e3,
                     "candidatesTokenCount": 2.0e1, "totalTokenCount": 1520.0})") ==
          counts(1500, 1000, 0, 0, 20, 0));
    CHECK(anthropic(R"({"input_tokens": 3e0, "cache_creation_input_tokens": 1.2304e4,
                        "output_tokens": 5.5e2})") == counts(12307, 0, 12304, 0, 550, 0));

    const std::vector<std::pair<std::string, std::string>> refused = {
        {"1.5", "is not a whole number (1.5)"},
        {"1e-3", "is not a whole number (1e-3)"},
        {"12.25e1", "is not a whole number (12.25e1)"},
        {"1.0000000000000000000001", "is not a whole number (1.0000000000000000000001)"},
        {"1e-99999999999999999999", "is not a whole number (1e-99999999999999999999)"},
        {"-1", "is negative (-1)"},
        {"-1e0", "is negative (-1e0)"},
        {"-0.5", "is negative (-0.5)"},
        {"-9223372036854775809", "is negative (-9223372036854775809)"},
        {"9223372036854775808", "is too large (9223372036854775808)"},
        {"18446744073709551615", "is too large (18446744073709551615)"},
        {"18446744073709551616", "is too large (18446744073709551616)"},
        {"1e19", "is too large (1e19)"},
        {"9.223372036854775808e18", "is too large (9.223372036854775808e18)"},
        {"1e400", "is too large (1e400)"},
        {"1e4000", "is too large (1e4000)"},  // beyond even long double's range: 1e5000
        {"123456789012345678901234567890123456789012345678901234567890",
         "is too large (1234567890123456789012345678901234567890...)"},
        {"true", "must be a whole number of tokens, got true"},
        {"\"100\"", "must be a whole number of tokens, got \"100\""},
        {"{}", "must be a whole number of tokens, got an object"},
        {"[1]", "must be a whole number of tokens, got an array"},
    };
    for (const auto& [literal, problem] : refused) {
        INFO(literal);
        CHECK(openai(R"({"prompt_tokens": 1, "completion_tokens": )" + literal + "}") ==
              "usage.completion_tokens: usage.completion_tokens " + problem);
    }
}

TEST_CASE("huge counts stay exact and sums never overflow", "[core][usage_shapes]") {
    const std::string max = std::to_string(INT64_MAX);
    CHECK(openai(R"({"prompt_tokens": )" + max + R"(, "completion_tokens": 0, "total_tokens": )" +
                 max + "}") == counts(INT64_MAX, 0, 0, 0, 0, 0));
    CHECK(openai(R"({"prompt_tokens": )" + max + R"(, "completion_tokens": 0,
                     "prompt_tokens_details": {"cached_tokens": )" +
                 max + "}}") == counts(INT64_MAX, INT64_MAX, 0, 0, 0, 0));
    CHECK(openai(R"({"prompt_tokens": 9007199254740993, "completion_tokens": 1,
                     "total_tokens": 9007199254740994})") ==
          counts(9007199254740993, 0, 0, 0, 1, 0));  // 2^53 + 1: a double would lose it
    CHECK(anthropic(R"({"input_tokens": 9223372036854775806, "cache_read_input_tokens": 1,
                        "output_tokens": 0})") == counts(INT64_MAX, 1, 0, 0, 0, 0));
    // Derived sums beyond bigint are refused, naming their terms.
    CHECK(anthropic(R"({"input_tokens": )" + max + R"(, "cache_read_input_tokens": 1,
                        "output_tokens": 0})") ==
          "usage.input_tokens: usage.input_tokens + usage.cache_read_input_tokens (" + max +
              " + 1) is too large for a count");
    CHECK(gemini(R"({"promptTokenCount": 1, "candidatesTokenCount": )" + max +
                 R"(, "thoughtsTokenCount": 1})") ==
          "usageMetadata.candidatesTokenCount: usageMetadata.candidatesTokenCount + "
          "usageMetadata.thoughtsTokenCount (" +
              max + " + 1) is too large for a count");
    CHECK(
        gemini(R"({"promptTokenCount": )" + max + R"(, "toolUsePromptTokenCount": )" + max + "}") ==
        "usageMetadata.promptTokenCount: usageMetadata.promptTokenCount + "
        "usageMetadata.toolUsePromptTokenCount (" +
            max + " + " + max + ") is too large for a count");
    CHECK(openai(R"({"prompt_tokens": 100, "completion_tokens": 1,
                     "prompt_tokens_details": {"cached_tokens": )" +
                 max + R"(, "cache_write_tokens": )" + max + "}}") ==
          "usage.prompt_tokens_details.cached_tokens: usage.prompt_tokens_details.cached_tokens "
          "(" +
              max + ") plus usage.prompt_tokens_details.cache_write_tokens (" + max +
              ") exceed usage.prompt_tokens (100), which includes them");
    // prompt + completion beyond bigint: against a total, and without one (check_usage).
    CHECK(openai(R"({"prompt_tokens": )" + max + R"(, "completion_tokens": 1, "total_tokens": )" +
                 max + "}") ==
          "usage.total_tokens: usage.total_tokens (" + max +
              ") differs from usage.prompt_tokens + usage.completion_tokens (" + max +
              " + 1 = more than " + max + ")");
    CHECK(openai(R"({"prompt_tokens": )" + max + R"(, "completion_tokens": 1})") ==
          "usage: usage gives inconsistent counts: prompt_tokens + completion_tokens is out of "
          "range for bigint");
}
