// The genai-prices and LiteLLM readers: real files from ../shared/data and small fixtures.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "cli_error.hpp"
#include "importers/price_import.hpp"
#include "model_match.hpp"
#include "price_rule.hpp"

using namespace costops;
using namespace costops::cli;

namespace {

const std::string kGenaiFile = COST_OPS_SHARED_DATA "/pricing/genai-prices/data.json";
const std::string kLitellmFile =
    COST_OPS_SHARED_DATA "/pricing/litellm/model_prices_and_context_window.json";

// Reads one of the real files with `reader`.
PriceImport read_real(PriceImport (*reader)(std::istream&, const std::string&),
                      const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    return reader(in, path);
}

// Reads an inline fixture with `reader`, named "fixture.json".
PriceImport read_text(PriceImport (*reader)(std::istream&, const std::string&),
                      const std::string& json) {
    std::istringstream in(json);
    return reader(in, "fixture.json");
}

// The entries (price rows, match rules) of one provider/model, in output order.
template <typename Entry>
std::vector<Entry> of_model(const std::vector<Entry>& entries, const std::string& provider,
                            const std::string& model) {
    std::vector<Entry> out;
    for (const Entry& e : entries) {
        if (e.provider == provider && e.model == model) out.push_back(e);
    }
    return out;
}

// The rows of one provider/model, in output order.
std::vector<ImportedPrice> rows_of(const PriceImport& import, const std::string& provider,
                                   const std::string& model) {
    return of_model(import.prices, provider, model);
}

// The single row of a provider/model.
ImportedPrice only_row(const PriceImport& import, const std::string& provider,
                       const std::string& model) {
    std::vector<ImportedPrice> rows = rows_of(import, provider, model);
    REQUIRE(rows.size() == 1);
    return rows[0];
}

// The skip reasons recorded for a provider/model, joined by " / ".
std::string skip_reasons(const PriceImport& import, const std::string& provider,
                         const std::string& model) {
    std::string reasons;
    for (const SkippedPrice& skip : import.skipped) {
        if (skip.provider == provider && skip.model == model) {
            reasons += (reasons.empty() ? "" : " / ") + skip.reason;
        }
    }
    return reasons;
}

// How many skips have a reason containing `text`.
size_t count_skips(const PriceImport& import, const std::string& text) {
    size_t n = 0;
    for (const SkippedPrice& skip : import.skipped)
        n += skip.reason.find(text) != std::string::npos;
    return n;
}

// The formula's rule for a row, as the database would build it from the row.
PriceRule rule_of(const ImportedPrice& row) {
    auto price = [](const std::optional<std::string>& text) -> std::optional<Decimal> {
        if (!text) return std::nullopt;
        return parse_price(*text);
    };
    Rates columns{price(row.input),       price(row.output),         price(row.cached_input),
                  price(row.cache_write), price(row.cache_write_1h), price(row.reasoning)};
    return make_price_rule(0, columns, dump_exact(row.pricing_structure));
}

// The total cost of `usage` priced with `row` at a time of day (hours) on a service tier.
std::string usage_cost(const ImportedPrice& row, const UsageCounts& usage,
                       ServiceTier tier = ServiceTier::Standard, int64_t hour = 12) {
    auto cost = compute_cost(rule_of(row), usage, hour * 3600 * int64_t{1000000}, tier);
    REQUIRE(cost);
    return cost->total_cost.to_string();
}

// The total cost of a request with only uncached prompt tokens, at a time of day (hours).
std::string prompt_cost(const ImportedPrice& row, int64_t prompt_tokens, int64_t hour = 12) {
    UsageCounts usage;
    usage.prompt_tokens = prompt_tokens;
    return usage_cost(row, usage, ServiceTier::Standard, hour);
}

// The rules of one provider/model, in output order.
std::vector<ImportedMatchRule> rules_of(const PriceImport& import, const std::string& provider,
                                        const std::string& model) {
    return of_model(import.match_rules, provider, model);
}

// Every match rule parses as the resolver parses it.
void check_rules_parse(const PriceImport& import) {
    for (const ImportedMatchRule& rule : import.match_rules) {
        INFO(rule.provider << " " << rule.model << " " << dump_exact(rule.match));
        CHECK_NOTHROW(ModelMatcher::parse(rule.match));
    }
}

// Every row is usable by the formula, keyed uniquely, and rows of one model do not overlap.
void check_rows_are_insertable(const PriceImport& import) {
    std::set<std::tuple<std::string, std::string, std::string>> keys;
    for (size_t i = 0; i < import.prices.size(); ++i) {
        const ImportedPrice& row = import.prices[i];
        INFO(row.provider << " " << row.model << " " << row.effective_date);
        CHECK((row.input || row.output));
        CHECK_NOTHROW(rule_of(row));
        CHECK(keys.emplace(row.provider, row.model, row.effective_date).second);
        bool continued = i + 1 < import.prices.size() &&
                         import.prices[i + 1].provider == row.provider &&
                         import.prices[i + 1].model == row.model;
        if (continued) {
            CHECK(row.end_date == import.prices[i + 1].effective_date);
        } else {
            CHECK_FALSE(row.end_date);
        }
    }
}

// A genai-prices file with one provider "p" and the given models array text.
std::string genai_models(const std::string& models) {
    return R"([{"id": "p", "name": "P", "models": )" + models + "}]";
}

// A genai-prices file with one model "m" of provider "p" whose "prices" is `prices`.
PriceImport genai_model(const std::string& prices) {
    return read_text(read_genai_prices, genai_models(R"([{"id": "m", "prices": )" + prices + "}]"));
}

// A LiteLLM file with one model "m" of provider "p" and the given extra members.
PriceImport litellm_model(const std::string& members) {
    return read_text(read_litellm_prices,
                     R"({"m": {"litellm_provider": "p", "mode": "chat", )" + members + "}}");
}

// The message of the CliError `reader` throws on `json`.
std::string cli_error(PriceImport (*reader)(std::istream&, const std::string&),
                      const std::string& json) {
    try {
        read_text(reader, json);
    } catch (const CliError& e) {
        return e.what();
    }
    FAIL("no CliError for " << json);
    return "";
}

}  // namespace

TEST_CASE("genai-prices: the real file", "[importers]") {
    PriceImport import = read_real(read_genai_prices, kGenaiFile);
    CHECK(import.source == "genai-prices");
    // 1,442 models (157 of them free, "prices": {}, stored at 0); 7 models have a second,
    // effective-dated row; 20 models have audio prices the formula does not apply; every model
    // has a match rule, 102 of them with contains clauses (kept, not applied).
    CHECK(import.prices.size() == 1449);
    CHECK(import.skipped.size() == 122);
    CHECK(count_skips(import, "not applied by the cost formula") == 20);
    CHECK(count_skips(import, "contains clauses are not applied") == 102);
    CHECK(import.match_rules.size() == 1442);
    check_rules_parse(import);
    using Fallback = std::pair<std::string, std::string>;
    CHECK(import.fallback_providers == std::vector<Fallback>{{"azure", "openai"},
                                                             {"azure", "anthropic"},
                                                             {"google", "anthropic"}});
    size_t free_models = 0;
    for (const auto& row : import.prices) free_models += row.input == "0" && row.output == "0";
    CHECK(free_models >= 157);
    check_rows_are_insertable(import);
    CHECK(import.prices.front().provider == "anthropic");
    CHECK(import.prices.front().model == "claude-2");

    SECTION("plain prices") {
        ImportedPrice gpt4o = only_row(import, "openai", "gpt-4o");
        CHECK(gpt4o.input == "2.5");
        CHECK(gpt4o.output == "10");
        CHECK(gpt4o.cached_input == "1.25");
        CHECK_FALSE(gpt4o.cache_write);
        CHECK(gpt4o.effective_date == "-infinity");
        CHECK_FALSE(gpt4o.end_date);
        CHECK(gpt4o.pricing_structure == Json::object());
    }
    SECTION("a 17-digit literal survives exactly") {
        ImportedPrice row = only_row(import, "openrouter", "google/gemini-2.5-flash-lite");
        CHECK(row.cache_write == "0.08333333333333334");
        CHECK(row.input == "0.1");
    }
    SECTION("context tiers and an effective-dated second row") {
        std::vector<ImportedPrice> rows = rows_of(import, "anthropic", "claude-opus-4-6");
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].effective_date == "-infinity");
        CHECK(rows[0].end_date == "2026-03-13 00:00:00+00");
        CHECK(rows[0].input == "5");
        CHECK(rows[0].output == "25");
        CHECK(rows[0].cached_input == "0.5");
        CHECK(rows[0].cache_write == "6.25");
        CHECK(dump_exact(rows[0].pricing_structure) ==
              R"({"tiers":[{"above_prompt_tokens":200000,"cache_write":"12.5",)"
              R"("cached_input":"1","input":"10","output":"37.5"}]})");
        // 200,000 prompt tokens stay in the base tier; 200,001 move, all of them.
        CHECK(prompt_cost(rows[0], 200000) == "1");
        CHECK(prompt_cost(rows[0], 200001) == "2.00001");

        CHECK(rows[1].effective_date == "2026-03-13 00:00:00+00");
        CHECK_FALSE(rows[1].end_date);
        CHECK(rows[1].input == "5");
        CHECK(rows[1].output == "25");
        CHECK(rows[1].cached_input == "0.5");
        CHECK(rows[1].cache_write == "6.25");
        CHECK(rows[1].pricing_structure == Json::object());
        CHECK(prompt_cost(rows[1], 200001) == "1.000005");
    }
    SECTION("a time-of-day window") {
        ImportedPrice row = only_row(import, "deepseek", "deepseek-chat");
        CHECK(row.input == "0.135");
        CHECK(row.output == "0.55");
        CHECK(row.cached_input == "0.035");
        CHECK(dump_exact(row.pricing_structure) ==
              R"({"time_of_day":[{"cached_input":"0.07","from":"00:30:00","input":"0.27",)"
              R"("output":"1.1","to":"16:30:00"}]})");
        CHECK(prompt_cost(row, 1000000, 1) == "0.27");
        CHECK(prompt_cost(row, 1000000, 20) == "0.135");
    }
    SECTION("a request fee per request") {
        ImportedPrice row = only_row(import, "perplexity", "sonar");
        CHECK(row.pricing_structure["request_fee"] == "0.012");
        CHECK(prompt_cost(row, 1000000) == "1.012");
    }
    SECTION("audio prices are kept but not applied") {
        ImportedPrice row = only_row(import, "openai", "gpt-4o-realtime-preview");
        CHECK(row.input == "5");
        CHECK(dump_exact(row.pricing_structure) ==
              R"({"unapplied":{"cache_audio_read_mtok":"2.5","input_audio_mtok":"40",)"
              R"("output_audio_mtok":"80"}})");
        CHECK(skip_reasons(import, "openai", "gpt-4o-realtime-preview") ==
              "not applied by the cost formula (kept in pricing_structure.unapplied): "
              "cache_audio_read_mtok, input_audio_mtok, output_audio_mtok");
    }
    SECTION("a model listed with no prices is free (OpenAI's moderation endpoint)") {
        ImportedPrice row = only_row(import, "openai", "moderation");
        CHECK(row.input == "0");
        CHECK(row.output == "0");
    }
    SECTION("match rules: as written, in file order; contains clauses are noted") {
        const ImportedMatchRule& first = import.match_rules.front();
        CHECK(first.provider == "anthropic");
        CHECK(first.model == "claude-2");
        CHECK(dump_exact(first.match) ==
              R"({"or":[{"starts_with":"claude-2"},{"contains":"claude-v2"}]})");
        CHECK(skip_reasons(import, "anthropic", "claude-2") ==
              "price imported, but its match rule's contains clauses are not applied: add an alias "
              "for names only they match");
        CHECK(import.match_rules[1].model == "claude-3-5-haiku-latest");
        CHECK(import.match_rules.back().provider == "zhipuai");
        CHECK(import.match_rules.back().model == "GLM-5.2");

        std::vector<ImportedMatchRule> grok = rules_of(import, "x-ai", "grok-4.3");
        REQUIRE(grok.size() == 1);
        CHECK(dump_exact(grok[0].match) ==
              R"({"or":[{"equals":"grok-4.3"},{"regex":"^grok-4\\.3-\\d{8}$"},)"
              R"({"equals":"x-ai/grok-4.3"},{"regex":"^x-ai/grok-4\\.3-\\d{8}$"},)"
              R"({"equals":"grok-4.3-latest"}]})");
        ModelMatcher matcher = ModelMatcher::parse(grok[0].match);
        CHECK(matcher.matches("grok-4.3-20260101"));
        CHECK_FALSE(matcher.matches("grok-4.3-mini"));
        CHECK_FALSE(matcher.has_substring_clauses());
        CHECK(skip_reasons(import, "x-ai", "grok-4.3").empty());

        // Only the ends_with clause applies: the contains ones would be substring guesses.
        ModelMatcher flash =
            ModelMatcher::parse(rules_of(import, "google", "gemini-2.0-flash")[0].match);
        CHECK(flash.matches("models/gemini-2.0-flash"));
        CHECK_FALSE(flash.matches("gemini-2.0-flash-001"));
    }
    SECTION("provider-level model_match and provider_match are not imported") {
        CHECK(rules_of(import, "anthropic", "").empty());
        for (const ImportedMatchRule& rule : import.match_rules) CHECK_FALSE(rule.model.empty());
    }
}

TEST_CASE("genai-prices: match rules and fallback providers", "[importers]") {
    SECTION("a rule per model, in order, also for a model whose prices are skipped") {
        PriceImport import = read_text(
            read_genai_prices,
            genai_models(
                R"([{"id": "a", "match": {"starts_with": "a-"}, "prices": {"input_mtok": 1}},)"
                R"( {"id": "b", "match": {"equals": "b"}, "prices": []},)"
                R"( {"id": "c", "prices": {"input_mtok": 1}}])"));
        REQUIRE(import.match_rules.size() == 2);
        CHECK(import.match_rules[0].provider == "p");
        CHECK(import.match_rules[0].model == "a");
        CHECK(dump_exact(import.match_rules[0].match) == R"({"starts_with":"a-"})");
        CHECK(import.match_rules[1].model == "b");
        CHECK(rows_of(import, "p", "b").empty());
        CHECK(skip_reasons(import, "p", "b") == "the price list is empty");
    }
    SECTION("an expression the matcher refuses is not imported; the prices are") {
        PriceImport import =
            read_text(read_genai_prices,
                      genai_models(R"([{"id": "m", "match": {"regex": "(", "equals": "m"},)"
                                   R"( "prices": {"input_mtok": 1}},)"
                                   R"( {"id": "n", "match": {"or": [{"regex": "n("}]},)"
                                   R"( "prices": {"input_mtok": 1}}])"));
        CHECK(import.match_rules.empty());
        CHECK(only_row(import, "p", "m").input == "1");
        CHECK(skip_reasons(import, "p", "m") ==
              "match rule not imported: match: must be an object with one key");
        CHECK(skip_reasons(import, "p", "n")
                  .find("match rule not imported: match.or[0]: invalid "
                        "regex \"n(\"") == 0);
    }
    SECTION("contains clauses are kept in the rule and noted") {
        PriceImport import =
            read_text(read_genai_prices,
                      genai_models(R"([{"id": "m", "match": {"and": [{"starts_with": "m"},)"
                                   R"( {"contains": "x"}]}, "prices": {"input_mtok": 1}}])"));
        REQUIRE(import.match_rules.size() == 1);
        CHECK(dump_exact(import.match_rules[0].match) ==
              R"({"and":[{"starts_with":"m"},{"contains":"x"}]})");
        CHECK(skip_reasons(import, "p", "m") ==
              "price imported, but its match rule's contains clauses are not applied: add an alias "
              "for names only they match");
    }
    SECTION("a repeated model id adds no second rule") {
        PriceImport import = read_text(
            read_genai_prices,
            genai_models(
                R"([{"id": "m", "match": {"equals": "m"}, "prices": {"input_mtok": 1}},)"
                R"( {"id": "m", "match": {"equals": "m2"}, "prices": {"input_mtok": 2}}])"));
        REQUIRE(import.match_rules.size() == 1);
        CHECK(dump_exact(import.match_rules[0].match) == R"({"equals":"m"})");
    }
    SECTION("fallback providers in order; the provider itself and repeats are dropped") {
        PriceImport import = read_text(
            read_genai_prices,
            R"([{"id": "a", "fallback_model_providers": ["x", "a", "y", "x"], "models": []},)"
            R"( {"id": "b", "fallback_model_providers": "x", "models": []},)"
            R"( {"id": "c", "models": []}])");
        using Fallback = std::pair<std::string, std::string>;
        CHECK(import.fallback_providers == std::vector<Fallback>{{"a", "x"}, {"a", "y"}});
        CHECK(skip_reasons(import, "a", "") ==
              "fallback provider a is itself or a repeat, not imported / "
              "fallback provider x is itself or a repeat, not imported");
        CHECK(skip_reasons(import, "b", "") ==
              R"(fallback_model_providers is not a list of provider ids: "x", not imported)");
    }
}

TEST_CASE("genai-prices: tiers", "[importers]") {
    SECTION("tiers of several dimensions merge by threshold, ascending") {
        PriceImport import = genai_model(
            R"({"input_mtok": {"base": 1, "tiers": [{"start": 200000, "price": 3},)"
            R"( {"start": 128000, "price": 2}]},)"
            R"( "output_mtok": {"base": 4, "tiers": [{"start": 200000, "price": 8}]}})");
        ImportedPrice row = only_row(import, "p", "m");
        CHECK(row.input == "1");
        CHECK(row.output == "4");
        CHECK(dump_exact(row.pricing_structure) ==
              R"({"tiers":[{"above_prompt_tokens":128000,"input":"2"},)"
              R"({"above_prompt_tokens":200000,"input":"3","output":"8"}]})");
        CHECK(import.skipped.empty());
    }
    SECTION("two tiers at one threshold of one dimension are refused") {
        PriceImport import =
            genai_model(R"({"input_mtok": {"base": 1, "tiers": [{"start": 5, "price": 3},)"
                        R"( {"start": 5, "price": 2}]}})");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "p", "m") == "input_mtok has two tiers above 5 prompt tokens");
    }
    SECTION("a tier without an integer start is refused") {
        PriceImport import =
            genai_model(R"({"input_mtok": {"base": 1, "tiers": [{"start": 1.5, "price": 3}]}})");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "p", "m").find("input_mtok has a tier") == 0);
    }
}

TEST_CASE("genai-prices: exact literals and request fees", "[importers]") {
    SECTION("exponents and trailing zeros keep their exact value") {
        ImportedPrice row =
            only_row(genai_model(R"({"input_mtok": 2.50, "output_mtok": 1.25e1})"), "p", "m");
        CHECK(row.input == "2.5");
        CHECK(row.output == "12.5");
    }
    SECTION("a price with more than 18 fractional digits skips the model") {
        PriceImport import = genai_model(R"({"input_mtok": 0.1234567890123456789})");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "p", "m") ==
              "input_mtok = 0.1234567890123456789: is more precise than a price may be (at most "
              "18 fractional digits in USD per 1M tokens)");
    }
    SECTION("an empty price set is a free model, priced at zero") {
        ImportedPrice row = only_row(genai_model("{}"), "p", "m");
        CHECK(row.input == "0");
        CHECK(row.output == "0");
    }
    SECTION("a price given as a string is refused") {
        PriceImport import = genai_model(R"({"input_mtok": "1"})");
        CHECK(skip_reasons(import, "p", "m") == R"(input_mtok is not a number: "1")");
    }
    SECTION("requests_kcount becomes an exact per-request fee") {
        ImportedPrice row =
            only_row(genai_model(R"({"input_mtok": 1, "requests_kcount": 0.005})"), "p", "m");
        CHECK(row.pricing_structure["request_fee"] == "0.000005");
    }
    SECTION("a request fee finer than a price may be skips the model") {
        PriceImport import =
            genai_model(R"({"input_mtok": 1, "requests_kcount": 0.0000000000000001})");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "p", "m").find("requests_kcount = 0.0000000000000001") == 0);
    }
}

TEST_CASE("genai-prices: conditional price lists", "[importers]") {
    SECTION("a start date closes the default row; a later window applies to both rows") {
        PriceImport import = genai_model(
            R"([{"prices": {"input_mtok": 1, "output_mtok": 2}},)"
            R"( {"constraint": {"start_date": "2025-06-10"}, "prices": {"input_mtok": 3}},)"
            R"( {"constraint": {"start_time": "22:00:00Z", "end_time": "23:30"},)"
            R"(  "prices": {"input_mtok": 0.5}}])");
        std::vector<ImportedPrice> rows = rows_of(import, "p", "m");
        REQUIRE(rows.size() == 2);
        const std::string window =
            R"({"time_of_day":[{"from":"22:00:00","input":"0.5","to":"23:30:00"}]})";
        CHECK(rows[0].effective_date == "-infinity");
        CHECK(rows[0].end_date == "2025-06-10 00:00:00+00");
        CHECK(rows[0].input == "1");
        CHECK(rows[0].output == "2");
        CHECK(dump_exact(rows[0].pricing_structure) == window);
        CHECK(rows[1].effective_date == "2025-06-10 00:00:00+00");
        CHECK_FALSE(rows[1].end_date);
        CHECK(rows[1].input == "3");
        CHECK_FALSE(rows[1].output);
        CHECK(dump_exact(rows[1].pricing_structure) == window);
    }
    SECTION("a later start date wins over an earlier window") {
        PriceImport import = genai_model(
            R"([{"prices": {"input_mtok": 1}},)"
            R"( {"constraint": {"start_time": "01:00:00Z", "end_time": "02:00:00Z"},)"
            R"(  "prices": {"input_mtok": {"base": 0.5, "tiers": [{"start": 10, "price": 0.7}]}}},)"
            R"( {"constraint": {"start_date": "2026-01-31"}, "prices": {"input_mtok": 3}}])");
        std::vector<ImportedPrice> rows = rows_of(import, "p", "m");
        REQUIRE(rows.size() == 2);
        CHECK(dump_exact(rows[0].pricing_structure) ==
              R"({"time_of_day":[{"from":"01:00:00","input":"0.5",)"
              R"("tiers":[{"above_prompt_tokens":10,"input":"0.7"}],"to":"02:00:00"}]})");
        CHECK(rows[1].pricing_structure == Json::object());
        check_rows_are_insertable(import);
    }
    SECTION("a dated first entry starts the model's prices at that date") {
        auto rows = genai_model(R"([{"constraint": {"start_date": "2025-01-01"},)"
                                R"( "prices": {"input_mtok": 1, "output_mtok": 2}}])")
                        .prices;
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].effective_date == "2025-01-01 00:00:00+00");
        CHECK(!rows[0].end_date);
    }
    SECTION("a time window may wrap past midnight (genai-prices 0.1.8 applies it)") {
        auto rows =
            genai_model(R"([{"prices": {"input_mtok": 1}},)"
                        R"( {"constraint": {"start_time": "22:00:00Z", "end_time": "02:00:00Z"},)"
                        R"(  "prices": {"input_mtok": 2}}])")
                .prices;
        REQUIRE(rows.size() == 1);
        CHECK(dump_exact(rows[0].pricing_structure) ==
              R"({"time_of_day":[{"from":"22:00:00","input":"2","to":"02:00:00"}]})");
        check_rows_are_insertable(
            genai_model(R"([{"prices": {"input_mtok": 1}},)"
                        R"( {"constraint": {"start_time": "22:00:00Z", "end_time": "02:00:00Z"},)"
                        R"(  "prices": {"input_mtok": 2}}])"));
    }
    SECTION("shapes that cannot be mapped exactly skip the model") {
        auto reason = [](const std::string& prices) {
            PriceImport import = genai_model(prices);
            CHECK(import.prices.empty());
            return skip_reasons(import, "p", "m");
        };
        CHECK(reason(R"([{"constraint": {"start_time": "01:00:00Z", "end_time": "02:00:00Z"},)"
                     R"( "prices": {"input_mtok": 1}}])") ==
              "the first entry of the price list is a time window (no default price)");
        CHECK(reason(R"([{"prices": {"input_mtok": 1}}, {"prices": {"input_mtok": 2}}])") ==
              "price list entry 2 has no constraint (only the first may)");
        CHECK(
            reason(
                R"([{"prices": {"input_mtok": 1}},)"
                R"( {"constraint": {"start_date": "2025-02-01"}, "prices": {"input_mtok": 2}},)"
                R"( {"constraint": {"start_date": "2025-01-01"}, "prices": {"input_mtok": 3}}])") ==
            "the start dates of the price list are not ascending");
        CHECK(reason(R"([{"prices": {"input_mtok": 1}},)"
                     R"( {"constraint": {"start_time": "02:00:00Z", "end_time": "02:00:00Z"},)"
                     R"(  "prices": {"input_mtok": 2}}])") ==
              "time window 02:00:00..02:00:00 is empty");
        CHECK(reason(R"([{"prices": {"input_mtok": 1}},)"
                     R"( {"constraint": {"start_time": "01:00:00Z", "end_time": "02:00:00Z"},)"
                     R"(  "prices": {"input_mtok": 2, "requests_kcount": 1}}])") ==
              "time window 01:00:00..02:00:00 has its own requests_kcount; the request fee is "
              "per row");
        CHECK(
            reason(
                R"([{"prices": {"input_mtok": 1}},)"
                R"( {"constraint": {"start_date": "2025-02-30"}, "prices": {"input_mtok": 2}}])") ==
            R"(start_date "2025-02-30" is not a YYYY-MM-DD date)");
        CHECK(reason(R"([{"prices": {"input_mtok": 1}},)"
                     R"( {"constraint": {"weekday": "sat"}, "prices": {"input_mtok": 2}}])") ==
              R"(price list entry 2 has a constraint other than start_date or start/end_time: )"
              R"({"weekday":"sat"})");
        CHECK(reason(R"([{"prices": {"input_mtok": 1}}, {"constraint": {"start_date":)"
                     R"( "2025-01-01"}, "prices": {"cache_read_mtok": 1}}])") ==
              "price list entry 2 has neither an input nor an output price");
        CHECK(reason("[]") == "the price list is empty");
        CHECK(reason(R"([{"prices": {"input_mtok": 1}},)"
                     R"( {"constraint": {"start_time": "9:00", "end_time": "10:00:00Z"},)"
                     R"(  "prices": {"input_mtok": 2}}])") ==
              R"(time "9:00" is not a UTC time HH:MM:SS)");
    }
}

TEST_CASE("genai-prices: malformed files", "[importers]") {
    CHECK(cli_error(read_genai_prices, "[{").find("fixture.json:1: not valid JSON") == 0);
    CHECK(cli_error(read_genai_prices, R"({"id": "p"})") ==
          "fixture.json: expected a JSON array of providers");
    CHECK(cli_error(read_genai_prices, R"([{"models": []}])") ==
          R"(fixture.json: provider 1 is not an object with a string "id")");
    CHECK(cli_error(read_genai_prices, R"([{"id": "p"}])") ==
          R"(fixture.json: provider p has no "models" list)");
    CHECK(cli_error(read_genai_prices, genai_models(R"([{"prices": {}}])")) ==
          R"(fixture.json: model 1 of provider p is not an object with a string "id")");
}

TEST_CASE("genai-prices: a repeated model id keeps the first", "[importers]") {
    PriceImport import =
        read_text(read_genai_prices, genai_models(R"([{"id": "m", "prices": {"input_mtok": 1}},)"
                                                  R"( {"id": "m", "prices": {"input_mtok": 2}}])"));
    CHECK(only_row(import, "p", "m").input == "1");
    CHECK(skip_reasons(import, "p", "m") == "appears again: only the first is imported");
}

TEST_CASE("litellm: the real file", "[importers]") {
    PriceImport import = read_real(read_litellm_prices, kLitellmFile);
    CHECK(import.source == "litellm");
    // 218 models: gpt-realtime-whisper (per-second audio only) is skipped; 126 rows carry
    // prices the formula does not apply (audio, image, search, multipliers, ...).
    CHECK(import.prices.size() == 217);
    CHECK(import.skipped.size() == 127);
    CHECK(count_skips(import, "not applied by the cost formula") == 126);
    CHECK(import.match_rules.empty());
    CHECK(import.fallback_providers.empty());
    check_rows_are_insertable(import);
    CHECK(import.prices.front().model == "claude-3-7-sonnet-20250219");

    SECTION("what stays unapplied is no price kind the formula has") {
        std::set<std::string> unapplied;
        for (const ImportedPrice& row : import.prices) {
            const Json& keys = row.pricing_structure.value("unapplied", Json::object());
            for (auto it = keys.begin(); it != keys.end(); ++it) unapplied.insert(it.key());
        }
        CHECK(unapplied ==
              std::set<std::string>{
                  "cache_creation_input_audio_token_cost", "cache_read_input_audio_token_cost",
                  "input_cost_per_audio_per_second", "input_cost_per_audio_token",
                  "input_cost_per_audio_token_priority", "input_cost_per_character",
                  "input_cost_per_image", "input_cost_per_image_token",
                  "input_cost_per_token_cache_hit", "input_cost_per_video_per_second",
                  "output_cost_per_audio_token", "output_cost_per_image",
                  "output_cost_per_image_token", "output_cost_per_second",
                  "output_cost_per_video_token", "provider_specific_entry",
                  "regional_processing_uplift_multiplier_eu",
                  "regional_processing_uplift_multiplier_us", "search_context_cost_per_query"});
    }
    SECTION("per-token literals become exact per-1M prices; the 1-hour cache write a column") {
        ImportedPrice row = only_row(import, "anthropic", "claude-3-7-sonnet-20250219");
        CHECK(row.input == "3");
        CHECK(row.output == "15");
        CHECK(row.cached_input == "0.3");
        CHECK(row.cache_write == "3.75");
        CHECK(row.cache_write_1h == "6");
        CHECK_FALSE(row.reasoning);
        CHECK(row.effective_date == "-infinity");
        CHECK_FALSE(row.end_date);
        CHECK(dump_exact(row.pricing_structure) ==
              R"({"unapplied":{"search_context_cost_per_query":{"search_context_size_high":"0.01",)"
              R"("search_context_size_low":"0.01","search_context_size_medium":"0.01"}}})");
        CHECK(skip_reasons(import, "anthropic", "claude-3-7-sonnet-20250219") ==
              "not applied by the cost formula (kept in pricing_structure.unapplied): "
              "search_context_cost_per_query");
        UsageCounts usage;
        usage.prompt_tokens = 3000000;
        usage.cache_write_tokens = 1000000;
        usage.cache_write_1h_tokens = 1000000;
        CHECK(usage_cost(row, usage) == "12.75");  // 3 + 3.75 + 6
    }
    SECTION("_above_200k_tokens prices become a tier, the 1-hour cache write's too") {
        ImportedPrice row = only_row(import, "anthropic", "claude-sonnet-4-5");
        CHECK(row.input == "3");
        CHECK(row.cache_write_1h == "6");
        CHECK(dump_exact(row.pricing_structure["tiers"]) ==
              R"([{"above_prompt_tokens":200000,"cache_write":"7.5","cache_write_1h":"12",)"
              R"("cached_input":"0.6","input":"6","output":"22.5"}])");
        CHECK(prompt_cost(row, 200000) == "0.6");
        CHECK(prompt_cost(row, 200001) == "1.200006");
        UsageCounts usage;
        usage.prompt_tokens = 300000;
        usage.cache_write_1h_tokens = 100000;
        CHECK(usage_cost(row, usage) == "2.4");  // 200,000 * 6 + 100,000 * 12 per 1M
    }
    SECTION("a reasoning price is a column") {
        ImportedPrice row = only_row(import, "vertex_ai-language-models", "gemini-2.5-flash");
        CHECK(row.input == "0.3");
        CHECK(row.output == "2.5");
        CHECK(row.cached_input == "0.03");
        CHECK(row.reasoning == "2.5");
        CHECK(row.pricing_structure["unapplied"]["input_cost_per_audio_token"] == "1e-06");
    }
    SECTION("batch, priority and flex prices become service tiers") {
        ImportedPrice row = only_row(import, "openai", "gpt-5.4");
        CHECK(row.input == "2.5");
        CHECK(row.output == "15");
        CHECK(row.cached_input == "0.25");
        CHECK(
            dump_exact(row.pricing_structure["tiers"]) ==
            R"([{"above_prompt_tokens":272000,"cached_input":"0.5","input":"5","output":"22.5"}])");
        CHECK(dump_exact(row.pricing_structure["service_tiers"]) ==
              R"({"batch":{"input":"1.25","output":"7.5"},)"
              R"("flex":{"cached_input":"0.13","input":"1.25","output":"7.5"},)"
              R"("priority":{"cached_input":"0.5","input":"5","output":"30"}})");
        CHECK(dump_exact(row.pricing_structure["unapplied"]) ==
              R"({"regional_processing_uplift_multiplier_eu":"1.1",)"
              R"("regional_processing_uplift_multiplier_us":"1.1"})");
        UsageCounts usage;
        usage.prompt_tokens = 200000;
        usage.cached_tokens = 200000;
        usage.completion_tokens = 1000000;
        CHECK(usage_cost(row, usage) == "15.05");
        CHECK(usage_cost(row, usage, ServiceTier::Batch) == "7.55");  // the standard 0.25 cached
        CHECK(usage_cost(row, usage, ServiceTier::Flex) == "7.526");
        CHECK(usage_cost(row, usage, ServiceTier::Priority) == "30.1");
        // Above 272k no service tier has prices of its own (no _above_272k_tokens_<tier>
        // key): unpriced, where LiteLLM's own calculator would take the standard tier's.
        usage.prompt_tokens = 300000;
        usage.cached_tokens = 0;
        CHECK(usage_cost(row, usage) == "24");  // 300,000 * 5 + 22.5
        for (ServiceTier tier : {ServiceTier::Batch, ServiceTier::Priority, ServiceTier::Flex}) {
            CHECK_FALSE(compute_cost(rule_of(row), usage, 0, tier));
        }
    }
    SECTION("cache prices of priority and flex") {
        ImportedPrice row = only_row(import, "openai", "gpt-5.6");
        CHECK(
            dump_exact(row.pricing_structure["service_tiers"]) ==
            R"({"batch":{"input":"2.5","output":"15"},)"
            R"("flex":{"cache_write":"3.125","cached_input":"0.25","input":"2.5","output":"15"},)"
            R"("priority":{"cache_write":"12.5","cached_input":"1","input":"10","output":"60"}})");
    }
    SECTION("_above_200k_tokens_priority prices become a tier of the priority tier") {
        ImportedPrice row = only_row(import, "vertex_ai-language-models", "gemini-3-pro-preview");
        CHECK(row.input == "2");
        CHECK(row.output == "12");
        CHECK(row.cached_input == "0.2");
        CHECK_FALSE(row.cache_write);
        CHECK(dump_exact(row.pricing_structure["tiers"]) ==
              R"([{"above_prompt_tokens":200000,"cache_write":"0.25","cached_input":"0.4",)"
              R"("input":"4","output":"18"}])");
        CHECK(dump_exact(row.pricing_structure["service_tiers"]) ==
              R"({"batch":{"input":"1","output":"6"},)"
              R"("priority":{"cached_input":"0.36","input":"3.6","output":"21.6",)"
              R"("tiers":[{"above_prompt_tokens":200000,"cached_input":"0.72","input":"7.2",)"
              R"("output":"32.4"}]}})");
        UsageCounts usage;
        usage.prompt_tokens = 200001;
        usage.cache_write_tokens = 1;
        CHECK(usage_cost(row, usage, ServiceTier::Priority) == "1.44000025");  // 7.2, write 0.25
        usage.prompt_tokens = 200000;
        usage.cache_write_tokens = 0;
        CHECK(usage_cost(row, usage, ServiceTier::Priority) == "0.72");
    }
    SECTION("an entry with input but no output price is kept") {
        ImportedPrice row = only_row(import, "openai", "gpt-image-1");
        CHECK(row.input == "5");
        CHECK_FALSE(row.output);
        CHECK(row.pricing_structure["unapplied"]["output_cost_per_image_token"] == "4e-05");
    }
    SECTION("an entry priced only per second is skipped") {
        CHECK(rows_of(import, "openai", "gpt-realtime-whisper").empty());
        CHECK(skip_reasons(import, "openai", "gpt-realtime-whisper") ==
              "the entry has neither an input nor an output price");
    }
}

TEST_CASE("litellm: literals", "[importers]") {
    SECTION("24 fractional digits per token are 18 per 1M tokens") {
        ImportedPrice row = only_row(
            litellm_model(R"("input_cost_per_token": 0.000000123456789012345678, )"
                          R"("output_cost_per_token": 2.5e-06, "cache_read_input_token_cost": 0)"),
            "p", "m");
        CHECK(row.input == "0.123456789012345678");
        CHECK(row.output == "2.5");
        CHECK(row.cached_input == "0");
    }
    SECTION("more digits than a price may have skip the model") {
        PriceImport import =
            litellm_model(R"("input_cost_per_token": 1.2345678901234567890123e-06)");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "p", "m") ==
              "input_cost_per_token = 1.2345678901234567890123e-06: is more precise than a price "
              "may be (at most 18 fractional digits in USD per 1M tokens)");
    }
    SECTION("a negative price skips the model") {
        PriceImport import = litellm_model(R"("input_cost_per_token": -1e-06)");
        CHECK(skip_reasons(import, "p", "m") == "input_cost_per_token = -1e-06: price is negative");
    }
}

TEST_CASE("litellm: keys", "[importers]") {
    SECTION("non-price keys are ignored; other prices are unapplied; tiers of any size") {
        PriceImport import = litellm_model(
            R"("input_cost_per_token": 1e-06, "output_cost_per_token": null, "max_tokens": 8192,)"
            R"( "supports_vision": true, "deprecation_date": "2026-01-01",)"
            R"( "input_cost_per_token_above_128k_tokens": 2e-06,)"
            R"( "output_cost_per_reasoning_token": 4e-06, "input_cost_per_image": 0.01)");
        ImportedPrice row = only_row(import, "p", "m");
        CHECK(row.input == "1");
        CHECK_FALSE(row.output);
        CHECK(row.reasoning == "4");
        CHECK(dump_exact(row.pricing_structure) ==
              R"({"tiers":[{"above_prompt_tokens":128000,"input":"2"}],)"
              R"("unapplied":{"input_cost_per_image":"0.01"}})");
        CHECK(skip_reasons(import, "p", "m") ==
              "not applied by the cost formula (kept in pricing_structure.unapplied): "
              "input_cost_per_image");
    }
    SECTION("every kind, tier and service tier of the key grammar") {
        PriceImport import = litellm_model(
            R"("input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,)"
            R"( "cache_creation_input_token_cost_above_1hr": 3e-06,)"
            R"( "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 6e-06,)"
            R"( "output_cost_per_reasoning_token_above_200k_tokens": 8e-06,)"
            R"( "cache_read_input_token_cost_batches": 5e-08,)"
            R"( "cache_creation_input_token_cost_batches": 7e-08,)"
            R"( "cache_creation_input_token_cost_above_1hr_batches": 9e-08,)"
            R"( "input_cost_per_token_above_200k_tokens_batches": 1.5e-06,)"
            R"( "output_cost_per_reasoning_token_flex": 1e-06,)"
            R"( "cache_creation_input_token_cost_above_1hr_above_200k_tokens_priority": 1.2e-05,)"
            R"( "input_cost_per_audio_token_priority": 1e-05,)"
            R"( "input_cost_per_token_priority_above_200k_tokens": 4e-06)");
        ImportedPrice row = only_row(import, "p", "m");
        CHECK(row.input == "1");
        CHECK(row.output == "2");
        CHECK(row.cache_write_1h == "3");
        CHECK_FALSE(row.reasoning);
        CHECK(dump_exact(row.pricing_structure) ==
              R"({"service_tiers":{"batch":{"cache_write":"0.07","cache_write_1h":"0.09",)"
              R"("cached_input":"0.05","tiers":[{"above_prompt_tokens":200000,"input":"1.5"}]},)"
              R"("flex":{"reasoning":"1"},)"
              R"("priority":{"tiers":[{"above_prompt_tokens":200000,"cache_write_1h":"12"}]}},)"
              R"("tiers":[{"above_prompt_tokens":200000,"cache_write_1h":"6","reasoning":"8"}],)"
              R"("unapplied":{"input_cost_per_audio_token_priority":"1e-05",)"
              R"("input_cost_per_token_priority_above_200k_tokens":"4e-06"}})");
        check_rows_are_insertable(import);
        // 500,000 uncached, 500,000 written to the 1-hour cache, 1M reasoning tokens: above 200k.
        UsageCounts usage;
        usage.prompt_tokens = 1000000;
        usage.cache_write_1h_tokens = 500000;
        usage.completion_tokens = 1000000;
        usage.reasoning_tokens = 1000000;
        CHECK(usage_cost(row, usage) == "11.5");                       // 0.5 + 3 + 8
        CHECK(usage_cost(row, usage, ServiceTier::Batch) == "8.795");  // 0.75 + 0.045 + 8
        // Flex has no rates above 200k of its own: unpriced, not priced at a guess.
        CHECK_FALSE(compute_cost(rule_of(row), usage, 0, ServiceTier::Flex));
        CHECK(usage_cost(row, usage, ServiceTier::Priority) == "14.5");  // 0.5 + 6 + 8
    }
    SECTION("two prices of one service tier's tier are refused") {
        PriceImport import =
            litellm_model(R"("input_cost_per_token": 1e-06,)"
                          R"( "input_cost_per_token_above_200k_tokens_flex": 2e-06,)"
                          R"( "input_cost_per_token_above_0200k_tokens_flex": 3e-06)");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "p", "m") ==
              "input_cost_per_token_above_200k_tokens_flex has two tiers above 200000 prompt "
              "tokens");
    }
    SECTION("file order, sample_spec, and a provider-prefixed key kept as written") {
        PriceImport import = read_text(
            read_litellm_prices,
            R"({"sample_spec": {"input_cost_per_token": 0, "litellm_provider": "x"},)"
            R"( "zeta": {"litellm_provider": "openai", "input_cost_per_token": 1e-06},)"
            R"( "openai/alpha": {"litellm_provider": "openai", "output_cost_per_token": 2e-06}})");
        REQUIRE(import.prices.size() == 2);
        CHECK(import.prices[0].model == "zeta");
        CHECK(import.prices[1].model == "openai/alpha");
        CHECK(import.prices[1].provider == "openai");
        CHECK(import.prices[1].output == "2");
        CHECK(import.skipped.empty());
    }
    SECTION("an entry without litellm_provider is skipped") {
        PriceImport import =
            read_text(read_litellm_prices, R"({"m": {"input_cost_per_token": 1e-06}})");
        CHECK(import.prices.empty());
        CHECK(skip_reasons(import, "", "m") == "has no litellm_provider");
    }
}

TEST_CASE("litellm: malformed files", "[importers]") {
    CHECK(cli_error(read_litellm_prices, "{\n\"m\": ").find("fixture.json:2: not valid JSON") == 0);
    CHECK(cli_error(read_litellm_prices, "[1, 2]") ==
          "fixture.json: expected a JSON object of models");
    CHECK(cli_error(read_litellm_prices, R"({"m": 3})") ==
          R"(fixture.json: model "m" is not an object)");
    CHECK(cli_error(read_litellm_prices, R"({"m": {}, "m": {}})") ==
          R"(fixture.json:1: not valid JSON: duplicate key "m")");
}
