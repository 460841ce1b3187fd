#include "price_book.hpp"

#include <algorithm>
#include <tuple>

namespace costops {

void PriceBook::add(std::string provider, std::string model, int64_t from, int64_t to,
                    PriceRule rule) {
    pending_.push_back({std::move(provider), std::move(model), {from, to, std::move(rule)}});
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
    last_hit_ = SIZE_MAX;
}

const PriceRule* PriceBook::find(std::string_view provider, std::string_view model,
                                 int64_t at) const {
    const Model* entry = last_hit_ < models_.size() ? &models_[last_hit_] : nullptr;
    if (entry == nullptr || entry->provider != provider || entry->model != model) {
        auto it = std::lower_bound(
            models_.begin(), models_.end(), std::tie(provider, model),
            [](const Model& m, const auto& key) { return std::tie(m.provider, m.model) < key; });
        if (it == models_.end() || it->provider != provider || it->model != model) return nullptr;
        entry = &*it;
        last_hit_ = static_cast<size_t>(it - models_.begin());
    }
    // The last period starting at or before `at`; periods never overlap.
    auto first = periods_.begin() + static_cast<std::ptrdiff_t>(entry->first);
    auto last = first + static_cast<std::ptrdiff_t>(entry->count);
    auto after =
        std::upper_bound(first, last, at, [](int64_t t, const Period& p) { return t < p.from; });
    if (after == first) return nullptr;
    const Period& period = *(after - 1);
    return at < period.to ? &period.rule : nullptr;
}

}  // namespace costops
