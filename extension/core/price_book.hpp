// An in-memory snapshot of the pricing tables, looked up without SQL: the trigger's cache.
// It prices a reported (provider, model) by, in order: the exact name; an alias; the match
// rules imported with the prices; the provider's fallback providers; the same for each safe
// normalization of the name (route prefix, Bedrock spellings, date suffix, lower case).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model_match.hpp"
#include "price_rule.hpp"

namespace costops {

// Timestamps are microseconds on one fixed epoch (the caller's); these stand for -infinity
// and +infinity / an open end.
constexpr int64_t kTimeMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kTimeMax = std::numeric_limits<int64_t>::max();

// How a reported (provider, model) found the model it is priced as: its exact name, an alias,
// a match rule of its provider, a model of a fallback provider (by name or rule), or one of
// these for a normalized spelling.
enum class MatchKind { Exact, Alias, Rule, Fallback, Normalized };
const char* match_kind_name(MatchKind kind);

class PriceBook {
  public:
    // Adds the price valid over [from, to) for a provider and model.
    void add(std::string provider, std::string model, int64_t from, int64_t to, PriceRule rule);
    // Prices records of (provider, model) as (target_provider, target_model).
    void add_alias(std::string provider, std::string model, std::string target_provider,
                   std::string target_model);
    // A match rule of `provider`: names it matches are priced as `model`. Rules are tried in
    // the order they were added.
    void add_match_rule(std::string provider, std::string model, ModelMatcher matcher);
    // Models of `provider` found by neither name nor rule are looked for among the models of
    // `fallback` (in the order added), as genai-prices does (azure -> openai, ...).
    void add_fallback_provider(std::string provider, std::string fallback);

    // Sorts what was added; call once after the last add*() and before lookups.
    void finish();

    // The rule valid at `at` for exactly this provider and model, or nullptr. O(log n).
    const PriceRule* find(std::string_view provider, std::string_view model, int64_t at) const;

    // The outcome of pricing a reported name at an instant.
    struct Lookup {
        const PriceRule* rule = nullptr;  // nullptr: unpriced
        MatchKind kind = MatchKind::Exact;
        const char* unpriced_reason = nullptr;  // set when rule is nullptr
    };
    // Resolves the reported name (memoized per name) and finds the rule valid at `at`; for a
    // bucket of requests from `at` until `until` (exclusive), that rule must still be valid
    // at its end, or the bucket stays unpriced (its requests may have other prices).
    Lookup lookup(std::string_view provider, std::string_view model, int64_t at,
                  std::optional<int64_t> until = std::nullopt) const;

    size_t price_count() const { return periods_.size(); }
    size_t model_count() const { return models_.size(); }

  private:
    struct Period {
        int64_t from, to;
        PriceRule rule;
    };
    struct Model {
        std::string provider, model;
        size_t first, count;  // its periods in periods_, ordered by `from`
    };
    struct Pending {
        std::string provider, model;
        Period period;
    };
    struct Rule {
        std::string provider, model;
        ModelMatcher matcher;
    };
    // A resolved name: an index into models_ (kNone: none) and how it was found.
    struct Resolved {
        size_t model = kNone;
        MatchKind kind = MatchKind::Exact;
    };
    static constexpr size_t kNone = SIZE_MAX;
    static constexpr size_t kMemoLimit = 100000;  // distinct names kept resolved

    size_t model_index(std::string_view provider, std::string_view model) const;
    bool has_provider(std::string_view provider) const;
    bool has_catalog(std::string_view provider) const;
    Resolved by_rules(const std::string& provider, const std::string& lower_model, int depth) const;
    Resolved by_name(const std::string& provider, const std::string& model) const;
    Resolved resolve(std::string_view provider, std::string_view model) const;
    const Period* period_at(size_t model, int64_t at) const;

    std::vector<Pending> pending_;
    std::vector<Model> models_;  // ordered by (provider, model)
    std::vector<Period> periods_;
    std::unordered_map<std::string, std::pair<std::string, std::string>> aliases_;
    std::vector<Rule> rules_;
    std::unordered_map<std::string, std::vector<std::string>> fallbacks_;
    // Names resolved so far (keyed as write_pair_key() writes them) and the last one
    // (consecutive rows usually share a name); indexes, not pointers, so that a copy of the
    // book stays valid. key_buffer_ is where lookup() builds keys.
    mutable std::unordered_map<std::string, Resolved> memo_;
    mutable std::string key_buffer_, last_provider_, last_model_;
    mutable bool has_last_ = false;
    mutable Resolved last_ = {kNone, MatchKind::Exact};
    // The index in periods_ of the last name's period found last (kNone: none yet).
    mutable size_t last_period_ = kNone;
};

}  // namespace costops
