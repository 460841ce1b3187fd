#include "price_book.hpp"

#include <algorithm>
#include <tuple>

namespace costops {

namespace {

// The key of a (provider, model) pair in the maps.
std::string pair_key(std::string_view provider, std::string_view model) {
    std::string key(provider);
    key += '\x1f';
    key += model;
    return key;
}

}  // namespace

const char* match_kind_name(MatchKind kind) {
    static const char* const names[] = {"exact", "alias", "rule", "normalized"};
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
}

size_t PriceBook::model_index(std::string_view provider, std::string_view model) const {
    auto it = std::lower_bound(
        models_.begin(), models_.end(), std::tie(provider, model),
        [](const Model& m, const auto& key) { return std::tie(m.provider, m.model) < key; });
    if (it == models_.end() || it->provider != provider || it->model != model) return kNone;
    return static_cast<size_t>(it - models_.begin());
}

// The model the first matching rule of `provider` names, else of its fallback providers
// (by name, then by rule); kNone when none matches. `depth` stops fallback cycles.
size_t PriceBook::by_rules(const std::string& provider, const std::string& lower_model,
                           int depth) const {
    for (const Rule& rule : rules_) {
        if (rule.provider != provider || !rule.matcher.matches(lower_model)) continue;
        size_t index = model_index(rule.provider, rule.model);
        if (index != kNone) return index;
    }
    auto fallbacks = fallbacks_.find(provider);
    if (fallbacks == fallbacks_.end() || depth > 2) return kNone;
    for (const std::string& fallback : fallbacks->second) {
        size_t index = model_index(fallback, lower_model);
        if (index == kNone) index = by_rules(fallback, lower_model, depth + 1);
        if (index != kNone) return index;
    }
    return kNone;
}

PriceBook::Resolved PriceBook::resolve(std::string_view provider, std::string_view model) const {
    if (size_t index = model_index(provider, model); index != kNone) {
        return {index, MatchKind::Exact};
    }
    // Exact name, alias or rule for one spelling.
    auto named = [&](const std::string& p, const std::string& m, MatchKind* kind) -> size_t {
        if (size_t index = model_index(p, m); index != kNone) return index;
        auto alias = aliases_.find(pair_key(p, m));
        if (alias != aliases_.end()) {
            size_t index = model_index(alias->second.first, alias->second.second);
            if (index != kNone) {
                *kind = MatchKind::Alias;
                return index;
            }
        }
        return by_rules(p, lower_trimmed(m), 0);
    };
    MatchKind kind = MatchKind::Rule;
    size_t index = named(std::string(provider), std::string(model), &kind);
    if (index != kNone) return {index, kind};
    for (const ModelSpelling& spelling : normalized_spellings(provider, model)) {
        index = named(spelling.provider, spelling.model, &kind);
        if (index != kNone) return {index, MatchKind::Normalized};
    }
    return {kNone, MatchKind::Exact};
}

const PriceRule* PriceBook::period_at(size_t model, int64_t at) const {
    const Model& entry = models_[model];
    // The last period starting at or before `at`; periods never overlap.
    auto first = periods_.begin() + static_cast<std::ptrdiff_t>(entry.first);
    auto last = first + static_cast<std::ptrdiff_t>(entry.count);
    auto after =
        std::upper_bound(first, last, at, [](int64_t t, const Period& p) { return t < p.from; });
    if (after == first) return nullptr;
    const Period& period = *(after - 1);
    return at < period.to ? &period.rule : nullptr;
}

const PriceRule* PriceBook::find(std::string_view provider, std::string_view model,
                                 int64_t at) const {
    size_t index = model_index(provider, model);
    return index == kNone ? nullptr : period_at(index, at);
}

PriceBook::Lookup PriceBook::lookup(std::string_view provider, std::string_view model,
                                    int64_t at) const {
    if (!has_last_ || last_provider_ != provider || last_model_ != model) {
        std::string key = pair_key(provider, model);
        auto memo = memo_.find(key);
        if (memo == memo_.end()) {
            if (memo_.size() >= kMemoLimit) memo_.clear();
            memo = memo_.emplace(std::move(key), resolve(provider, model)).first;
        }
        last_ = memo->second;
        last_provider_ = provider;
        last_model_ = model;
        has_last_ = true;
    }
    Lookup out;
    out.kind = last_.kind;
    if (last_.model == kNone) {
        out.unpriced_reason = "no price for this model";
        return out;
    }
    out.rule = period_at(last_.model, at);
    if (out.rule == nullptr) out.unpriced_reason = "no price valid at this time";
    return out;
}

}  // namespace costops
