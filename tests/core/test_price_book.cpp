// PriceBook: exact provider/model lookups over effective periods [from, to).
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "price_book.hpp"

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
