#include "price_book.hpp"

#include <algorithm>
#include <string>
#include <tuple>

namespace costops {

namespace {

// Writes the key of a (provider, model) pair in the maps into `key` (reusing its capacity):
// the provider's length first, so that no byte of a name (a separator would be one) can make
// two different pairs one key.
void write_pair_key(std::string& key, std::string_view provider, std::string_view model) {
    key.assign(std::to_string(provider.size()));
    key += ':';
    key += provider;
    key += model;
}

// The key of a (provider, model) pair in the maps.
std::string pair_key(std::string_view provider, std::string_view model) {
    std::string key;
    write_pair_key(key, provider, model);
    return key;
}

// Names longer than this are priced by their exact spelling or an alias only, never by match
// rules or normalized spellings: their regular expressions (std::regex recurses per character)
// overflowed the backend's stack on a model name of some 25,000 bytes, and no model id comes
// near this length.
constexpr size_t kLongestResolvedName = 512;

}  // namespace

const char* match_kind_name(MatchKind kind) {
    static const char* const names[] = {"exact", "alias", "rule", "fallback", "normalized"};
    return names[static_cast<size_t>(kind)];
}

void PriceBook::add(std::string provider, std::string model, int64_t from, int64_t to,
                    PriceRule rule) {
    pending_.push_back({std::move(provider), std::move(model), {from, to, std::move(rule)}});
}

void PriceBook::add_alias(std::string provider, std::string model, std::string target_provider,
                          std::string target_model) {
    aliases_[pair_key(provider, model)] = {std::move(target_provider), std::move(target_model)};
}

void PriceBook::add_match_rule(std::string provider, std::string model, ModelMatcher matcher) {
    rules_.push_back({std::move(provider), std::move(model), std::move(matcher)});
}

void PriceBook::add_fallback_provider(std::string provider, std::string fallback) {
    fallbacks_[provider].push_back(std::move(fallback));
}

void PriceBook::finish() {
    std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
        return std::tie(a.provider, a.model, a.period.from) <
               std::tie(b.provider, b.model, b.period.from);
    });
    models_.clear();
    periods_.clear();
    periods_.reserve(pending_.size());
    for (Pending& p : pending_) {
        if (models_.empty() || models_.back().provider != p.provider ||
            models_.back().model != p.model) {
            models_.push_back({std::move(p.provider), std::move(p.model), periods_.size(), 0});
        }
        ++models_.back().count;
        periods_.push_back(std::move(p.period));
    }
    pending_.clear();
    pending_.shrink_to_fit();
    memo_.clear();
    has_last_ = false;
    last_period_ = kNone;
}

// The index of exactly (provider, model) in models_, or kNone; O(log n).
size_t PriceBook::model_index(std::string_view provider, std::string_view model) const {
    auto it = std::lower_bound(
        models_.begin(), models_.end(), std::tie(provider, model),
        [](const Model& m, const auto& key) { return std::tie(m.provider, m.model) < key; });
    if (it == models_.end() || it->provider != provider || it->model != model) return kNone;
    return static_cast<size_t>(it - models_.begin());
}

// Whether any model of `provider` has prices.
bool PriceBook::has_provider(std::string_view provider) const {
    auto it = std::lower_bound(models_.begin(), models_.end(), provider,
                               [](const Model& m, std::string_view p) { return m.provider < p; });
    return it != models_.end() && it->provider == provider;
}

// Whether `provider` or one of its fallback providers has prices.
bool PriceBook::has_catalog(std::string_view provider) const {
    if (has_provider(provider)) return true;
    auto fallbacks = fallbacks_.find(std::string(provider));
    if (fallbacks == fallbacks_.end()) return false;
    return std::any_of(fallbacks->second.begin(), fallbacks->second.end(),
                       [&](const std::string& f) { return has_provider(f); });
}

// The model the first matching rule of `provider` names (Rule), else one of its fallback
// providers has, by name or by rule (Fallback); `depth` stops fallback cycles.
PriceBook::Resolved PriceBook::by_rules(const std::string& provider, const std::string& lower_model,
                                        int depth) const {
    for (const Rule& rule : rules_) {
        if (rule.provider != provider || !rule.matcher.matches(lower_model)) continue;
        size_t index = model_index(rule.provider, rule.model);
        if (index != kNone) return {index, MatchKind::Rule};
    }
    auto fallbacks = fallbacks_.find(provider);
    if (fallbacks == fallbacks_.end() || depth > 2) return {};
    for (const std::string& fallback : fallbacks->second) {
        size_t index = model_index(fallback, lower_model);
        if (index == kNone) index = by_rules(fallback, lower_model, depth + 1).model;
        if (index != kNone) return {index, MatchKind::Fallback};
    }
    return {};
}

// One spelling priced by its exact name, an alias, or a rule or fallback of its provider.
PriceBook::Resolved PriceBook::by_name(const std::string& provider,
                                       const std::string& model) const {
    if (size_t index = model_index(provider, model); index != kNone) {
        return {index, MatchKind::Exact};
    }
    auto alias = aliases_.find(pair_key(provider, model));
    if (alias != aliases_.end()) {
        size_t index = model_index(alias->second.first, alias->second.second);
        if (index != kNone) return {index, MatchKind::Alias};
    }
    if (model.size() > kLongestResolvedName) return {};
    return by_rules(provider, lower_trimmed(model), 0);
}

// The model a reported name is priced as: by its own spelling, else by its normalized ones.
PriceBook::Resolved PriceBook::resolve(std::string_view provider, std::string_view model) const {
    Resolved found = by_name(std::string(provider), std::string(model));
    if (found.model != kNone || model.size() > kLongestResolvedName) return found;
    // A provider with prices of its own (aws, openrouter), or whose fallback has them (bedrock
    // -> aws), is never priced from the catalog of the vendor its model names: those prices
    // differ (Mistral on Bedrock is not Mistral's).
    bool own_catalog = has_catalog(provider);
    for (const ModelSpelling& spelling : normalized_spellings(provider, model)) {
        if (own_catalog && spelling.provider != provider) continue;
        found = by_name(spelling.provider, spelling.model);
        if (found.model != kNone) return {found.model, MatchKind::Normalized};
    }
    return {};
}

// The rule of a model valid at `at`, or nullptr.
const PriceBook::Period* PriceBook::period_at(size_t model, int64_t at) const {
    const Model& entry = models_[model];
    // The last period starting at or before `at`; periods never overlap.
    auto first = periods_.begin() + static_cast<std::ptrdiff_t>(entry.first);
    auto last = first + static_cast<std::ptrdiff_t>(entry.count);
    auto after =
        std::upper_bound(first, last, at, [](int64_t t, const Period& p) { return t < p.from; });
    if (after == first) return nullptr;
    const Period& period = *(after - 1);
    return at < period.to ? &period : nullptr;
}

const PriceRule* PriceBook::find(std::string_view provider, std::string_view model,
                                 int64_t at) const {
    size_t index = model_index(provider, model);
    const Period* period = index == kNone ? nullptr : period_at(index, at);
    return period ? &period->rule : nullptr;
}

PriceBook::Lookup PriceBook::lookup(std::string_view provider, std::string_view model, int64_t at,
                                    std::optional<int64_t> until) const {
    // Consecutive rows usually share a name: compared with the last one in place. Other names
    // are keyed in a reused buffer, so a row allocates nothing once its name is resolved.
    if (!has_last_ || provider != last_provider_ || model != last_model_) {
        write_pair_key(key_buffer_, provider, model);
        auto memo = memo_.find(key_buffer_);
        if (memo == memo_.end()) {
            if (memo_.size() >= kMemoLimit) memo_.clear();
            memo = memo_.emplace(key_buffer_, resolve(provider, model)).first;
        }
        last_ = memo->second;
        last_provider_.assign(provider);
        last_model_.assign(model);
        has_last_ = true;
        last_period_ = kNone;
    }
    Lookup out;
    out.kind = last_.kind;
    if (last_.model == kNone) {
        out.unpriced_reason = "no price for this model";
        return out;
    }
    // ... and usually fall in the same price period as the row before.
    const Period* period = last_period_ == kNone ? nullptr : &periods_[last_period_];
    if (period == nullptr || at < period->from || at >= period->to) {
        period = period_at(last_.model, at);
        last_period_ = period == nullptr ? kNone : static_cast<size_t>(period - periods_.data());
    }
    if (period == nullptr) {
        out.unpriced_reason = "no price valid at this time";
    } else if (until && *until > period->to) {
        out.unpriced_reason = "a bucket of requests spanning a price change";
    } else {
        out.rule = &period->rule;
    }
    return out;
}

}  // namespace costops
