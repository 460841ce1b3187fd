// model_match: genai-prices match expressions and the safe spelling normalizations of reported
// model names (route prefixes, Bedrock ids, date suffixes), never a substring guess.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model_match.hpp"
#include "test_support.hpp"

using namespace costops;

namespace {

// A matcher from its JSON text.
ModelMatcher matcher(const std::string& json) {
    return ModelMatcher::parse(parse_json_exact(json));
}

// Whether the expression `json` matches the reported `model` (compared lower-cased, trimmed).
bool matches(const std::string& json, const std::string& model) {
    return matcher(json).matches(lower_trimmed(model));
}

// The message of the std::invalid_argument parsing `json` throws.
std::string parse_error(const std::string& json) {
    return test_support::thrown_message<std::invalid_argument>([&] { matcher(json); });
}

// The normalized spellings of a reported name as "provider/model" strings, in order.
std::vector<std::string> spellings(const std::string& provider, const std::string& model) {
    std::vector<std::string> out;
    for (const ModelSpelling& s : normalized_spellings(provider, model)) {
        out.push_back(s.provider + "/" + s.model);
    }
    return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("ModelMatcher: equals, starts_with, ends_with, regex, or, and", "[core][model_match]") {
    CHECK(matches(R"({"equals": "gpt-4o"})", "gpt-4o"));
    CHECK(matches(R"({"equals": "GPT-4o"})", "  gpt-4O "));
    CHECK_FALSE(matches(R"({"equals": "gpt-4o"})", "gpt-4o-mini"));
    CHECK(matches(R"({"starts_with": "claude-3-5-sonnet"})", "claude-3-5-sonnet-20241022"));
    CHECK_FALSE(matches(R"({"starts_with": "claude-3-5-sonnet"})", "claude-3-5-haiku"));
    CHECK_FALSE(matches(R"({"starts_with": "claude-3-5-sonnet-long"})", "claude-3-5-sonnet"));
    CHECK(matches(R"({"ends_with": "-instruct"})", "llama-3-8b-instruct"));
    CHECK_FALSE(matches(R"({"ends_with": "-instruct"})", "instruct"));
    CHECK(matches(R"({"regex": "^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$"})", "gpt-4o-2024-11-20"));
    CHECK(matches(R"({"regex": "^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$"})", "GPT-4o"));
    CHECK_FALSE(matches(R"({"regex": "^gpt-4o(-\\d{4}-\\d{2}-\\d{2})?$"})", "gpt-4o-mini"));
    // Names are compared lower-cased, so a pattern written in upper case still matches.
    CHECK(matches(R"({"regex": "^GPT-4o$"})", "gpt-4o"));
    const std::string either = R"({"or": [{"equals": "a"}, {"starts_with": "b-"}]})";
    CHECK(matches(either, "a"));
    CHECK(matches(either, "b-1"));
    CHECK_FALSE(matches(either, "c"));
    const std::string both = R"({"and": [{"starts_with": "gpt-4o"}, {"ends_with": "-mini"}]})";
    CHECK(matches(both, "gpt-4o-mini"));
    CHECK_FALSE(matches(both, "gpt-4o"));
    CHECK_FALSE(matches(both, "o1-mini"));
}

TEST_CASE("ModelMatcher keeps contains clauses but never applies them", "[core][model_match]") {
    ModelMatcher m = matcher(R"({"contains": "gpt-5.6-terra"})");
    CHECK(m.has_substring_clauses());
    CHECK_FALSE(m.matches("gpt-5.6-terra"));
    CHECK_FALSE(m.matches("gpt-5.6-terra-mini"));
    ModelMatcher mixed = matcher(R"({"or": [{"equals": "x"}, {"contains": "y"}]})");
    CHECK(mixed.has_substring_clauses());
    CHECK(mixed.matches("x"));
    CHECK_FALSE(mixed.matches("y"));
    CHECK_FALSE(matcher(R"({"equals": "x"})").has_substring_clauses());
    CHECK_FALSE(ModelMatcher().matches("anything"));
}

TEST_CASE("ModelMatcher::parse names the part that is not an expression", "[core][model_match]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[]", "match: must be an object with one key"},
        {"{}", "match: must be an object with one key"},
        {R"({"equals": "a", "starts_with": "b"})", "match: must be an object with one key"},
        {R"({"like": "a%"})", R"(match: unknown clause "like")"},
        {R"({"equals": 1})", R"(match: "equals" needs a string)"},
        {R"({"or": []})", R"(match: "or" needs a non-empty array)"},
        {R"({"and": {"equals": "a"}})", R"(match: "and" needs a non-empty array)"},
        {R"({"or": [{"equals": "a"}, {"ends_with": null}]})",
         R"(match.or[1]: "ends_with" needs a string)"},
        {R"({"and": [{"or": [{"x": "y"}]}]})", R"(match.and[0].or[0]: unknown clause "x")"},
    };
    for (const auto& [json, message] : cases) {
        INFO("match: " << json);
        CHECK(parse_error(json) == message);
    }
    CHECK(parse_error(R"({"regex": "gpt-(4"})").rfind(R"(match: invalid regex "gpt-(4": )", 0) ==
          0);
}

TEST_CASE("lower_trimmed folds ASCII case and trims blanks", "[core][model_match]") {
    CHECK(lower_trimmed("  GPT-4o \t\r\n") == "gpt-4o");
    CHECK(lower_trimmed("gpt-4o") == "gpt-4o");
    CHECK(lower_trimmed(" \t ") == "");
    CHECK(lower_trimmed("") == "");
    CHECK(lower_trimmed("a b") == "a b");
}

TEST_CASE("normalized_spellings: route prefixes and date suffixes", "[core][model_match]") {
    CHECK(spellings("openai", "openai/gpt-4o") == Names{"openai/gpt-4o"});
    CHECK(spellings("openai", "gpt-4o-2024-11-20") == Names{"openai/gpt-4o"});
    CHECK(spellings("openai", "gpt-4o-2024-08-06") == Names{"openai/gpt-4o"});
    // A route names the provider that serves the model; the reported provider comes first.
    CHECK(spellings("openrouter", "anthropic/claude-3.5-sonnet") ==
          Names{"openrouter/claude-3.5-sonnet", "anthropic/claude-3.5-sonnet"});
    CHECK(spellings("azure", "openai/gpt-4o-2024-08-06") == Names{"azure/gpt-4o-2024-08-06",
                                                                  "openai/gpt-4o-2024-08-06",
                                                                  "azure/gpt-4o", "openai/gpt-4o"});
    // The route's provider is an id as prices are stored under: lower case.
    CHECK(spellings("litellm", "OpenAI/gpt-4o") ==
          Names{"litellm/gpt-4o", "openai/gpt-4o", "litellm/openai/gpt-4o"});
    // "models/" and "publishers/" are paths, not providers.
    CHECK(spellings("google", "models/gemini-1.5-pro") == Names{"google/gemini-1.5-pro"});
    CHECK(spellings("vertex_ai", "publishers/google/models/gemini-1.5-pro") ==
          Names{"vertex_ai/gemini-1.5-pro"});
    // Compact dates are tried dashed (genai-prices' spelling) and then without; @dates dropped.
    CHECK(spellings("anthropic", "claude-3-5-sonnet-20241022") ==
          Names{"anthropic/claude-3-5-sonnet-2024-10-22", "anthropic/claude-3-5-sonnet"});
    CHECK(spellings("vertex_ai", "claude-3-5-sonnet@20240620") ==
          Names{"vertex_ai/claude-3-5-sonnet"});
}

TEST_CASE("normalized_spellings: Bedrock model ids and ARNs", "[core][model_match]") {
    CHECK(spellings("bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0") ==
          Names{"bedrock/anthropic.claude-3-5-haiku-20241022-v1:0",
                "bedrock/claude-3-5-haiku-20241022-v1:0",
                "anthropic/claude-3-5-haiku-20241022-v1:0", "bedrock/claude-3-5-haiku-20241022",
                "anthropic/claude-3-5-haiku-20241022", "bedrock/claude-3-5-haiku-2024-10-22",
                "anthropic/claude-3-5-haiku-2024-10-22", "bedrock/claude-3-5-haiku",
                "anthropic/claude-3-5-haiku"});
    CHECK(spellings("bedrock", "anthropic.claude-3-haiku-20240307-v1:0").back() ==
          "anthropic/claude-3-haiku");
    // An application inference profile's ARN names no model: only its opaque id remains,
    // which no price is stored under (an alias prices it).
    const std::string arn =
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
    for (const std::string& s : spellings("bedrock", arn)) {
        INFO(s);
        CHECK(s.find("claude") == std::string::npos);
        CHECK(s.size() >= 12);
        CHECK(s.compare(s.size() - 12, 12, "a1b2c3d4e5f6") == 0);
    }
}

TEST_CASE("normalized_spellings: lower case last", "[core][model_match]") {
    CHECK(spellings("openai", "GPT-4o") == Names{"openai/gpt-4o"});
    CHECK(spellings("openai", "GPT-4o-2024-08-06") ==
          Names{"openai/GPT-4o", "openai/gpt-4o-2024-08-06", "openai/gpt-4o"});
}

TEST_CASE("normalized_spellings never guesses", "[core][model_match]") {
    // "-vN" is a version suffix only on a Bedrock id; elsewhere it names another model.
    CHECK(spellings("deepseek", "deepseek-v3").empty());
    CHECK(spellings("openai", "openai/gpt-4o-v2") == Names{"openai/gpt-4o-v2"});
    // Global cross-region profiles are priced apart from in-region use: "global." stays.
    CHECK(spellings("aws", "global.anthropic.claude-sonnet-4-6").empty());
    // A longer name is another model: no prefix, substring or suffix is cut.
    CHECK(spellings("openai", "gpt-5.6-terra-mini").empty());
    CHECK(spellings("openai", "gpt-5.6-terra").empty());
    CHECK(spellings("openai", "gpt-4o-mini").empty());
    CHECK(spellings("openai", "gpt-4-0613").empty());
    // Eight digits that are no date stay, and so does a date in the middle of a name.
    CHECK(spellings("openai", "gpt-4o-20241399").empty());
    CHECK(spellings("openai", "gpt-4o-20240230").empty());
    CHECK(spellings("openai", "gpt-4o-2026-13-45").empty());
    // A region prefix only in front of a Bedrock model id.
    CHECK(spellings("openai", "openai/us.gpt-5.6-terra") == Names{"openai/us.gpt-5.6-terra"});
    CHECK(spellings("openai", "gpt-2024-08-06-mini").empty());
    CHECK(spellings("openai", "").empty());
    // The reported spelling itself is never among them.
    for (const auto& [provider, model] : std::vector<std::pair<std::string, std::string>>{
             {"openai", "openai/gpt-4o"}, {"openai", "gpt-4o-2024-11-20"}}) {
        for (const ModelSpelling& s : normalized_spellings(provider, model)) {
            CHECK_FALSE((s.provider == provider && s.model == model));
            CHECK_FALSE(s.why.empty());
        }
    }
}
