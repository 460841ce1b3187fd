// PriceBook: exact provider/model lookups over effective periods [from, to), the resolution of
// reported names (exact, alias, match rule, fallback provider, normalization) and the costs of
// the rows they find.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "price_book.hpp"
#include "price_rule.hpp"

using namespace costops;

namespace {

// A rule that only carries its id, enough to tell which row a lookup found.
PriceRule rule_with_id(int64_t id) {
    PriceRule rule;
    rule.price_id = id;
    return rule;
}

// The price_id found at `at`, or -1 when nothing is valid then.
int64_t found_id(const PriceBook& book, std::string_view provider, std::string_view model,
                 int64_t at) {
    const PriceRule* rule = book.find(provider, model, at);
    return rule == nullptr ? -1 : rule->price_id;
}

// Rows of (provider, model, from, to, id) added in the given order, then finished.
void fill(
    PriceBook& book,
    const std::vector<std::tuple<std::string, std::string, int64_t, int64_t, int64_t>>& rows) {
    for (const auto& [provider, model, from, to, id] : rows) {
        book.add(provider, model, from, to, rule_with_id(id));
    }
    book.finish();
}

}  // namespace

TEST_CASE("PriceBook finds exact provider and model only", "[core][price_book]") {
    PriceBook book;
    fill(book, {{"openai", "gpt-5.6-terra", kTimeMin, kTimeMax, 1},
                {"openai", "gpt-4o", kTimeMin, kTimeMax, 2},
                {"azure", "gpt-4o", kTimeMin, kTimeMax, 3}});
    CHECK(book.price_count() == 3);
    CHECK(book.model_count() == 3);
    CHECK(found_id(book, "openai", "gpt-5.6-terra", 0) == 1);
    CHECK(found_id(book, "openai", "gpt-4o", 0) == 2);
    CHECK(found_id(book, "azure", "gpt-4o", 0) == 3);
    // No prefix, substring, case or route guessing.
    const std::vector<std::pair<std::string, std::string>> misses = {
        {"openai", "gpt-5.6-terra-mini"},
        {"openai", "gpt-5.6-terr"},
        {"openai", "GPT-5.6-terra"},
        {"OpenAI", "gpt-5.6-terra"},
        {"openai", "gpt-5.6-terra "},
        {"openai", ""},
        {"", "gpt-4o"},
        {"anthropic", "gpt-4o"},
        {"openai", "openai/gpt-4o"},
        {"openai", "gpt-4o-2024-08-06"},
        {"azur", "gpt-4o"},
        {"azure", "gpt-4"},
    };
    for (const auto& [provider, model] : misses) {
        INFO(provider << "/" << model);
        CHECK(found_id(book, provider, model, 0) == -1);
    }

    SECTION("a longer model name is a model of its own") {
        PriceBook both;
        fill(both, {{"openai", "gpt-5.6-terra-mini", kTimeMin, kTimeMax, 10},
                    {"openai", "gpt-5.6-terra", kTimeMin, kTimeMax, 11}});
        CHECK(found_id(both, "openai", "gpt-5.6-terra-mini", 0) == 10);
        CHECK(found_id(both, "openai", "gpt-5.6-terra", 0) == 11);
        CHECK(found_id(both, "openai", "gpt-5.6-terra-m", 0) == -1);
    }
    SECTION("an empty book finds nothing") {
        PriceBook empty;
        empty.finish();
        CHECK(empty.price_count() == 0);
        CHECK(empty.model_count() == 0);
        CHECK(found_id(empty, "openai", "gpt-4o", 0) == -1);
    }
}

TEST_CASE("PriceBook periods are [from, to), with gaps and open ends", "[core][price_book]") {
    PriceBook book;
    // Added out of order: finish() sorts them.
    fill(book, {{"p", "m", 400, kTimeMax, 3},
                {"p", "m", 200, 300, 2},
                {"p", "m", kTimeMin, 100, 0},
                {"p", "m", 100, 200, 1}});
    CHECK(book.price_count() == 4);
    CHECK(book.model_count() == 1);
    const std::vector<std::pair<int64_t, int64_t>> cases = {
        {kTimeMin, 0}, {kTimeMin + 1, 0}, {-1, 0},           {99, 0},   {100, 1},
        {199, 1},      {200, 2},          {299, 2},          {300, -1}, {399, -1},
        {400, 3},      {1000000, 3},      {kTimeMax - 1, 3},
    };
    for (const auto& [at, id] : cases) {
        INFO("at " << at);
        CHECK(found_id(book, "p", "m", at) == id);
    }

    SECTION("a row that starts later leaves the time before it unpriced") {
        PriceBook later;
        fill(later, {{"p", "m", 1000, kTimeMax, 7}});
        CHECK(found_id(later, "p", "m", kTimeMin) == -1);
        CHECK(found_id(later, "p", "m", 999) == -1);
        CHECK(found_id(later, "p", "m", 1000) == 7);
    }
    SECTION("a closed last row ends at its end") {
        PriceBook closed;
        fill(closed, {{"p", "m", 0, 10, 7}});
        CHECK(found_id(closed, "p", "m", 9) == 7);
        CHECK(found_id(closed, "p", "m", 10) == -1);
        CHECK(found_id(closed, "p", "m", kTimeMax - 1) == -1);
        CHECK(found_id(closed, "p", "m", -1) == -1);
    }
}

TEST_CASE("PriceBook keeps the periods of several models apart", "[core][price_book]") {
    PriceBook book;
    fill(book, {{"openai", "gpt-4o", 0, 100, 1},
                {"anthropic", "claude", 50, kTimeMax, 2},
                {"openai", "gpt-4o", 100, kTimeMax, 3},
                {"openai", "gpt-4o-mini", kTimeMin, 75, 4},
                {"anthropic", "claude", kTimeMin, 50, 5},
                {"google", "gemini", 10, 20, 6}});
    CHECK(book.price_count() == 6);
    CHECK(book.model_count() == 4);
    const std::vector<std::tuple<std::string, std::string, int64_t, int64_t>> cases = {
        {"openai", "gpt-4o", -1, -1},     {"openai", "gpt-4o", 0, 1},
        {"openai", "gpt-4o", 99, 1},      {"openai", "gpt-4o", 100, 3},
        {"openai", "gpt-4o-mini", 74, 4}, {"openai", "gpt-4o-mini", 75, -1},
        {"anthropic", "claude", 49, 5},   {"anthropic", "claude", 50, 2},
        {"google", "gemini", 9, -1},      {"google", "gemini", 15, 6},
        {"google", "gemini", 20, -1},     {"google", "gpt-4o", 15, -1},
    };
    for (const auto& [provider, model, at, id] : cases) {
        INFO(provider << "/" << model << " at " << at);
        CHECK(found_id(book, provider, model, at) == id);
    }
}

TEST_CASE("PriceBook's last-hit memo never returns another model's row", "[core][price_book]") {
    PriceBook book;
    fill(book, {{"openai", "a", kTimeMin, 100, 1},
                {"openai", "a", 100, kTimeMax, 2},
                {"openai", "b", kTimeMin, 100, 3},
                {"openai", "b", 100, kTimeMax, 4},
                {"azure", "a", kTimeMin, kTimeMax, 5}});
    // Alternating lookups, with misses in between, in both directions.
    const std::vector<std::tuple<std::string, std::string, int64_t, int64_t>> sequence = {
        {"openai", "a", 0, 1},   {"openai", "b", 0, 3},   {"openai", "a", 100, 2},
        {"openai", "b", 100, 4}, {"openai", "b", 50, 3},  {"openai", "c", 50, -1},
        {"openai", "b", 150, 4}, {"azure", "a", 0, 5},    {"openai", "a", 0, 1},
        {"azure", "a", 500, 5},  {"azure", "b", 500, -1}, {"azure", "a", 500, 5},
        {"openai", "a", 99, 1},  {"openai", "a", 99, 1},  {"openai", "ab", 99, -1},
        {"openai", "a", 100, 2},
    };
    for (size_t i = 0; i < sequence.size(); ++i) {
        const auto& [provider, model, at, id] = sequence[i];
        INFO("lookup " << i << ": " << provider << "/" << model << " at " << at);
        CHECK(found_id(book, provider, model, at) == id);
    }

    SECTION("a copy of a used book does not depend on the original") {
        auto original = std::make_unique<PriceBook>();
        fill(*original,
             {{"openai", "a", kTimeMin, kTimeMax, 1}, {"openai", "b", kTimeMin, kTimeMax, 2}});
        CHECK(found_id(*original, "openai", "a", 0) == 1);
        PriceBook copy = *original;
        original.reset();
        CHECK(found_id(copy, "openai", "a", 0) == 1);
        CHECK(found_id(copy, "openai", "b", 0) == 2);
        CHECK(found_id(copy, "openai", "a", 0) == 1);
    }
    SECTION("finish() after more adds forgets the memo") {
        PriceBook again;
        again.add("p", "m", kTimeMin, kTimeMax, rule_with_id(1));
        again.finish();
        CHECK(found_id(again, "p", "m", 0) == 1);
        PriceBook rebuilt;
        rebuilt.add("p", "n", kTimeMin, kTimeMax, rule_with_id(2));
        rebuilt.add("p", "m", kTimeMin, kTimeMax, rule_with_id(3));
        rebuilt.finish();
        again = std::move(rebuilt);
        CHECK(found_id(again, "p", "m", 0) == 3);
        CHECK(found_id(again, "p", "n", 0) == 2);
    }
}

TEST_CASE("PriceBook::lookup's memo of the last name and period follows every row",
          "[core][price_book]") {
    PriceBook book;
    fill(book, {{"openai", "a", kTimeMin, 100, 1},
                {"openai", "a", 100, 200, 2},
                {"openai", "a", 300, kTimeMax, 3},
                {"openai", "ab", kTimeMin, kTimeMax, 4},
                {"openaia", "b", kTimeMin, kTimeMax, 5}});
    // The price_id a lookup finds, or -1 with the reason it gives.
    auto looked_up = [&](std::string_view provider, std::string_view model, int64_t at) {
        PriceBook::Lookup found = book.lookup(provider, model, at);
        return found.rule == nullptr
                   ? std::make_pair(int64_t{-1}, std::string(found.unpriced_reason))
                   : std::make_pair(found.rule->price_id, std::string());
    };
    const std::string gap = "no price valid at this time";
    const std::string none = "no price for this model";
    // Same name across periods, into a gap and out of it, back in time; then names that share
    // a prefix or split the same bytes differently between provider and model.
    const std::vector<std::tuple<std::string, std::string, int64_t, int64_t, std::string>> rows = {
        {"openai", "a", 0, 1, ""},    {"openai", "a", 99, 1, ""},     {"openai", "a", 100, 2, ""},
        {"openai", "a", 199, 2, ""},  {"openai", "a", 200, -1, gap},  {"openai", "a", 250, -1, gap},
        {"openai", "a", 300, 3, ""},  {"openai", "a", 5000, 3, ""},   {"openai", "a", 50, 1, ""},
        {"openai", "ab", 50, 4, ""},  {"openai", "a", 150, 2, ""},    {"openaia", "b", 150, 5, ""},
        {"openai", "ab", 150, 4, ""}, {"openai", "b", 150, -1, none}, {"openai", "a", 150, 2, ""},
    };
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto& [provider, model, at, id, reason] = rows[i];
        INFO("lookup " << i << ": " << provider << "/" << model << " at " << at);
        CHECK(looked_up(provider, model, at) == std::make_pair(id, reason));
    }
}

TEST_CASE("PriceBook never takes one name for another, whatever bytes the names hold",
          "[core][price_book]") {
    // The same bytes split differently between provider and model, with the control character
    // an earlier key used as its separator (found by a fresh-user review: the second name was
    // priced with the first's row).
    const std::string model =
        "a\x1f"
        "b";
    PriceBook book;
    book.add("openai", model, kTimeMin, kTimeMax, rule_with_id(1));
    book.add_alias("x\x1fy", "z", "openai", model);
    book.finish();
    for (int order = 0; order < 2; ++order) {
        INFO("order " << order);
        std::vector<std::pair<std::string, std::string>> names = {{"openai", model},
                                                                  {"openai\x1f"
                                                                   "a",
                                                                   "b"}};
        if (order == 1) std::swap(names[0], names[1]);
        for (const auto& [provider, model] : names) {
            PriceBook::Lookup found = book.lookup(provider, model, 0);
            bool exact = provider == "openai";
            INFO(provider.size() << "-byte provider");
            CHECK((found.rule != nullptr) == exact);
            if (!exact) CHECK(std::string(found.unpriced_reason) == "no price for this model");
        }
    }
    CHECK(book.lookup("x\x1fy", "z", 0).rule != nullptr);
    CHECK(book.lookup("x", "y\x1fz", 0).rule == nullptr);
}

TEST_CASE("PriceBook stays correct with 10,000 periods", "[core][price_book]") {
    PriceBook book;
    const int64_t kPeriods = 10000, kLength = 3600;
    // Two models with interleaved adds; "m" has back-to-back periods, "n" every other one.
    for (int64_t i = kPeriods - 1; i >= 0; --i) {
        book.add("p", "m", i * kLength, (i + 1) * kLength, rule_with_id(i));
        if (i % 2 == 0) book.add("p", "n", i * kLength, (i + 1) * kLength, rule_with_id(-i - 2));
    }
    book.finish();
    CHECK(book.price_count() == 15000);
    CHECK(book.model_count() == 2);
    size_t wrong = 0;
    for (int64_t i = 0; i < kPeriods; ++i) {
        wrong += found_id(book, "p", "m", i * kLength) != i;
        wrong += found_id(book, "p", "m", (i + 1) * kLength - 1) != i;
        int64_t n_id = i % 2 == 0 ? -i - 2 : -1;
        wrong += found_id(book, "p", "n", i * kLength + kLength / 2) != n_id;
    }
    CHECK(wrong == 0);
    CHECK(found_id(book, "p", "m", -1) == -1);
    CHECK(found_id(book, "p", "m", kPeriods * kLength) == -1);
    CHECK(found_id(book, "p", "m", 5000 * kLength + 1800) == 5000);
    CHECK(found_id(book, "p", "n", 5001 * kLength) == -1);
}

namespace {

// Microseconds since 1970-01-01T00:00Z of a UTC civil time (the book takes any one epoch).
int64_t utc(int64_t y, int64_t m, int64_t d, int64_t hour = 0, int64_t minute = 0,
            int64_t second = 0) {
    // Days from civil (H. Hinnant's algorithm).
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return ((days * 24 + hour) * 60 + minute) * 60 * 1000000 + second * 1000000;
}

// A rule with id `id` and input / cached input / output prices (nullptr: none).
PriceRule priced(int64_t id, const char* input, const char* cached, const char* output) {
    auto price = [](const char* text) -> std::optional<Decimal> {
        if (text == nullptr) return std::nullopt;
        return parse_price(text);
    };
    Rates rates;
    rates.input = price(input);
    rates.cached_input = price(cached);
    rates.output = price(output);
    return make_price_rule(id, rates, "{}");
}

// Counts: prompt, cached, completion.
UsageCounts tokens(int64_t prompt, int64_t cached, int64_t completion) {
    UsageCounts u;
    u.prompt_tokens = prompt;
    u.cached_tokens = cached;
    u.completion_tokens = completion;
    return u;
}

// "id kind" of a lookup, or "unpriced: reason".
std::string resolved(const PriceBook& book, std::string_view provider, std::string_view model,
                     int64_t at = 0) {
    PriceBook::Lookup found = book.lookup(provider, model, at);
    if (found.rule == nullptr) {
        return std::string("unpriced: ") + (found.unpriced_reason ? found.unpriced_reason : "?");
    }
    return std::to_string(found.rule->price_id) + " " + match_kind_name(found.kind);
}

// The total cost of `usage` priced through a lookup, or "unpriced: reason".
std::string looked_up_cost(const PriceBook& book, std::string_view provider, std::string_view model,
                           int64_t at, const UsageCounts& usage) {
    PriceBook::Lookup found = book.lookup(provider, model, at);
    if (found.rule == nullptr) return std::string("unpriced: ") + found.unpriced_reason;
    std::optional<RecordCost> cost = compute_cost(*found.rule, usage, 0);
    return cost ? cost->total_cost.to_string() : "unpriced";
}

}  // namespace

TEST_CASE("PriceBook prices a record with the row valid at its own time", "[core][price_book]") {
    PriceBook book;
    const int64_t change = utc(2026, 8, 21);
    // Added newest first: finish() orders them.
    book.add("openai", "gpt-5.6-terra", change, kTimeMax, priced(2, "4", "0.40", "20"));
    book.add("openai", "gpt-5.6-terra", utc(2026, 1, 1), change, priced(1, "5", "0.50", "30"));
    book.finish();
    // 1M prompt (400k cached), 100k completion.
    const UsageCounts u = tokens(1000000, 400000, 100000);
    // 600000*5 + 400000*0.50 + 100000*30 = 3 + 0.2 + 3 USD.
    CHECK(looked_up_cost(book, "openai", "gpt-5.6-terra", utc(2026, 8, 20, 23, 59), u) == "6.2");
    CHECK(looked_up_cost(book, "openai", "gpt-5.6-terra", change - 1, u) == "6.2");
    // 600000*4 + 400000*0.40 + 100000*20 = 2.4 + 0.16 + 2 USD: never "the current price".
    CHECK(looked_up_cost(book, "openai", "gpt-5.6-terra", change, u) == "4.56");
    CHECK(looked_up_cost(book, "openai", "gpt-5.6-terra", utc(2030, 1, 1), u) == "4.56");
    CHECK(resolved(book, "openai", "gpt-5.6-terra", utc(2026, 8, 20, 23, 59)) == "1 exact");
    CHECK(resolved(book, "openai", "gpt-5.6-terra", change) == "2 exact");
    // Before the first row: the model is known, but no price is valid then.
    CHECK(resolved(book, "openai", "gpt-5.6-terra", utc(2025, 12, 31, 23, 59, 59)) ==
          "unpriced: no price valid at this time");
    CHECK(resolved(book, "openai", "gpt-5.6-terra-mini", change) ==
          "unpriced: no price for this model");
    // A normalized name is priced by the same dating.
    CHECK(looked_up_cost(book, "openai", "openai/gpt-5.6-terra", utc(2026, 8, 20, 23, 59), u) ==
          "6.2");
    CHECK(looked_up_cost(book, "openai", "gpt-5.6-terra-2026-09-01", change, u) == "4.56");
}

TEST_CASE("PriceBook resolves reported names: exact, normalized, never guessed",
          "[core][price_book]") {
    PriceBook book;
    book.add("openai", "gpt-4o", kTimeMin, kTimeMax, priced(1, "2.50", "1.25", "10"));
    book.add("openai", "gpt-5.6-terra", kTimeMin, kTimeMax, priced(2, "1", nullptr, "1"));
    book.add("anthropic", "claude-3-5-haiku", kTimeMin, kTimeMax, priced(3, "0.80", nullptr, "4"));
    book.add("anthropic", "claude-3-5-sonnet-20241022", kTimeMin, kTimeMax,
             priced(4, "3", nullptr, "15"));
    book.finish();
    CHECK(resolved(book, "openai", "gpt-4o") == "1 exact");
    CHECK(resolved(book, "openai", "openai/gpt-4o") == "1 normalized");
    CHECK(resolved(book, "openai", "gpt-4o-2024-11-20") == "1 normalized");
    CHECK(resolved(book, "openrouter", "openai/gpt-4o") == "1 normalized");
    CHECK(resolved(book, "azure", "openai/gpt-4o-2024-08-06") == "1 normalized");
    CHECK(resolved(book, "openai", "gpt-5.6-terra") == "2 exact");
    CHECK(resolved(book, "bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0") ==
          "3 normalized");
    CHECK(resolved(book, "anthropic", "claude-3-5-sonnet-20241022") == "4 exact");
    // The hand case through a normalized name: 86*2.50 + 1920*1.25 + 300*10.
    CHECK(looked_up_cost(book, "openai", "gpt-4o-2024-11-20", 0, tokens(2006, 1920, 300)) ==
          "0.005615");
    const std::vector<std::pair<std::string, std::string>> misses = {
        {"openai", "gpt-5.6-terra-mini"},   {"openai", "gpt-5.6-terr"},
        {"openai", "gpt-4o-mini"},          {"openai", "gpt-4o-mini-2024-07-18"},
        {"openai", "chatgpt-4o-latest"},    {"anthropic", "gpt-4o"},
        {"anthropic", "claude-3-5-sonnet"}, {"anthropic", "claude-3-5-haiku-latest"},
        {"bedrock", "claude-3-5-haiku-v2"},
    };
    for (const auto& [provider, model] : misses) {
        INFO(provider << " / " << model);
        CHECK(resolved(book, provider, model) == "unpriced: no price for this model");
    }
}

TEST_CASE("PriceBook prices a Bedrock inference profile ARN through an alias",
          "[core][price_book]") {
    const std::string arn =
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
    const UsageCounts u = tokens(10000, 0, 1000);
    PriceBook without;
    without.add("anthropic", "claude-3-5-haiku", kTimeMin, kTimeMax,
                priced(3, "0.80", nullptr, "4"));
    without.finish();
    CHECK(resolved(without, "bedrock", arn) == "unpriced: no price for this model");

    PriceBook with;
    with.add("anthropic", "claude-3-5-haiku", kTimeMin, kTimeMax, priced(3, "0.80", nullptr, "4"));
    with.add_alias("bedrock", arn, "anthropic", "claude-3-5-haiku");
    with.finish();
    CHECK(resolved(with, "bedrock", arn) == "3 alias");
    // 10000*0.80 + 1000*4 = 8000 + 4000 millionths.
    CHECK(looked_up_cost(with, "bedrock", arn, 0, u) == "0.012");
    // The alias is of that provider and name only.
    CHECK(resolved(with, "aws", arn) == "unpriced: no price for this model");
    CHECK(resolved(with, "bedrock", arn + "0") == "unpriced: no price for this model");

    SECTION("an alias to a model without prices prices nothing") {
        PriceBook dangling;
        dangling.add("anthropic", "claude-3-5-haiku", kTimeMin, kTimeMax,
                     priced(3, "0.80", nullptr, "4"));
        dangling.add_alias("bedrock", arn, "anthropic", "claude-9");
        dangling.finish();
        CHECK(resolved(dangling, "bedrock", arn) == "unpriced: no price for this model");
    }
    SECTION("a name with a price of its own keeps it") {
        PriceBook both;
        both.add("openai", "gpt-4o", kTimeMin, kTimeMax, priced(1, "2.50", nullptr, "10"));
        both.add("azure", "prod-gpt4o", kTimeMin, kTimeMax, priced(5, "3", nullptr, "12"));
        both.add_alias("azure", "prod-gpt4o", "openai", "gpt-4o");
        both.add_alias("azure", "eastus-gpt4o", "openai", "gpt-4o");
        both.finish();
        CHECK(resolved(both, "azure", "prod-gpt4o") == "5 exact");
        CHECK(resolved(both, "azure", "eastus-gpt4o") == "1 alias");
        // An alias of a normalized spelling: the route prefix goes, then the alias applies.
        CHECK(resolved(both, "azure", "deployments/eastus-gpt4o") == "1 normalized");
    }
    SECTION("the alias target's effective dating applies") {
        PriceBook dated;
        dated.add("anthropic", "claude-3-5-haiku", utc(2024, 11, 4), kTimeMax,
                  priced(3, "0.80", nullptr, "4"));
        dated.add_alias("bedrock", arn, "anthropic", "claude-3-5-haiku");
        dated.finish();
        CHECK(resolved(dated, "bedrock", arn, utc(2024, 11, 3)) ==
              "unpriced: no price valid at this time");
        CHECK(resolved(dated, "bedrock", arn, utc(2024, 11, 4)) == "3 alias");
    }
}

TEST_CASE("PriceBook match rules and fallback providers", "[core][price_book]") {
    PriceBook book;
    book.add("openai", "gpt-4o", kTimeMin, kTimeMax, priced(1, "2.50", nullptr, "10"));
    book.add("openai", "gpt-4o-audio", kTimeMin, kTimeMax, priced(2, "2.50", nullptr, "10"));
    book.add("google", "gemini-1.5-pro", kTimeMin, kTimeMax, priced(3, "1.25", nullptr, "5"));
    book.add_match_rule(
        "openai", "gpt-4o-audio",
        ModelMatcher::parse(parse_json_exact(R"({"starts_with": "gpt-4o-audio"})")));
    book.add_match_rule("openai", "gpt-4o",
                        ModelMatcher::parse(parse_json_exact(R"({"regex": "^gpt-4o-\\d{4}$"})")));
    // A rule naming a model without prices is skipped for the next one.
    book.add_match_rule("google", "gemini-9",
                        ModelMatcher::parse(parse_json_exact(R"({"starts_with": "gemini"})")));
    book.add_match_rule("google", "gemini-1.5-pro",
                        ModelMatcher::parse(parse_json_exact(R"({"starts_with": "gemini-1.5"})")));
    book.add_match_rule("openai", "gpt-4o",
                        ModelMatcher::parse(parse_json_exact(R"({"contains": "4o"})")));
    book.add_fallback_provider("azure", "openai");
    book.finish();
    CHECK(resolved(book, "openai", "gpt-4o-audio-preview-2024-12-17") == "2 rule");
    CHECK(resolved(book, "openai", "GPT-4o-Audio-Preview") == "2 rule");
    CHECK(resolved(book, "openai", "gpt-4o-0806") == "1 rule");
    CHECK(resolved(book, "google", "gemini-1.5-pro-002") == "3 rule");
    // Rules belong to their provider, and contains clauses are never applied.
    CHECK(resolved(book, "anthropic", "gpt-4o-audio-preview") ==
          "unpriced: no price for this model");
    CHECK(resolved(book, "openai", "my-4o") == "unpriced: no price for this model");
    // A fallback provider's models and rules price the provider's records.
    CHECK(resolved(book, "azure", "gpt-4o") == "1 fallback");
    CHECK(resolved(book, "azure", "gpt-4o-audio-preview") == "2 fallback");
    CHECK(resolved(book, "azure", "gpt-4o-2024-08-06") == "1 normalized");
    CHECK(resolved(book, "azure", "gemini-1.5-pro") == "unpriced: no price for this model");
    // Another case of a priced name is the same model.
    CHECK(resolved(book, "openai", "GPT-4o") == "1 normalized");
}

TEST_CASE("PriceBook prices a very long name by its exact spelling or alias only",
          "[core][price_book]") {
    PriceBook book;
    book.add("openai", "gpt-4o", kTimeMin, kTimeMax, priced(1, "2.50", nullptr, "10"));
    book.add_match_rule("openai", "gpt-4o",
                        ModelMatcher::parse(parse_json_exact(R"({"regex": "^gpt-4o.*$"})")));
    const std::string huge = "gpt-4o-" + std::string(100000, 'a') + "-2024-08-06";
    const std::string long_alias = std::string(600, 'x');
    book.add_alias("openai", long_alias, "openai", "gpt-4o");
    book.finish();
    // Rules and normalizations (std::regex) would have recursed 100,000 deep: unpriced.
    CHECK(resolved(book, "openai", huge) == "unpriced: no price for this model");
    CHECK(resolved(book, "openai", "OpenAI/" + huge) == "unpriced: no price for this model");
    CHECK(resolved(book, "openai", long_alias) == "1 alias");
    // Up to 512 bytes a name is resolved as any other.
    CHECK(resolved(book, "openai", "gpt-4o-" + std::string(505, 'a')) == "1 rule");
    CHECK(resolved(book, "openai", "gpt-4o-" + std::string(506, 'a')) ==
          "unpriced: no price for this model");
}

TEST_CASE("PriceBook keeps a priced provider in its own catalog", "[core][price_book]") {
    PriceBook book;
    book.add("aws", "mistral.mixtral-8x7b-instruct-v0:1", kTimeMin, kTimeMax,
             priced(1, "0.45", nullptr, "0.7"));
    book.add("mistral", "mixtral-8x7b-instruct", kTimeMin, kTimeMax,
             priced(2, "0.7", nullptr, "0.7"));
    book.finish();
    // aws has prices of its own: a spelling it lacks is not priced at Mistral's own rate.
    CHECK(resolved(book, "aws", "mistral.mixtral-8x7b-instruct-v0:1") == "1 exact");
    CHECK(resolved(book, "aws", "us.mistral.mixtral-8x7b-instruct-v0:1") == "1 normalized");
    CHECK(resolved(book, "aws", "mistral.mixtral-8x7b-instruct-v0") ==
          "unpriced: no price for this model");
    // A provider without prices (a gateway's name for Bedrock) is priced from the vendor's...
    CHECK(resolved(book, "bedrock", "mistral.mixtral-8x7b-instruct-v0:1") == "2 normalized");
    // ...unless it falls back to a provider that has prices: then that catalog is its own.
    PriceBook gateway;
    gateway.add("aws", "mistral.mixtral-8x7b-instruct-v0:1", kTimeMin, kTimeMax,
                priced(1, "0.45", nullptr, "0.7"));
    gateway.add("mistral", "mixtral-8x7b-instruct", kTimeMin, kTimeMax,
                priced(2, "0.7", nullptr, "0.7"));
    gateway.add_fallback_provider("bedrock", "aws");
    gateway.finish();
    CHECK(resolved(gateway, "bedrock", "mistral.mixtral-8x7b-instruct-v0:1") == "1 fallback");
    CHECK(resolved(gateway, "bedrock", "mistral.mixtral-8x7b-instruct-v0") ==
          "unpriced: no price for this model");
}
