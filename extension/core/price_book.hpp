// An in-memory snapshot of the pricing tables, looked up without SQL: the trigger's cache.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "price_rule.hpp"

namespace costops {

// Timestamps are microseconds on one fixed epoch (the caller's); these stand for -infinity
// and +infinity / an open end.
constexpr int64_t kTimeMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kTimeMax = std::numeric_limits<int64_t>::max();

class PriceBook {
  public:
    // Adds the price valid over [from, to) for a provider and model.
    void add(std::string provider, std::string model, int64_t from, int64_t to, PriceRule rule);

    // Sorts what was added; call once after the last add() and before find().
    void finish();

    // The rule valid at `at` for exactly this provider and model, or nullptr. O(log n).
    const PriceRule* find(std::string_view provider, std::string_view model, int64_t at) const;

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
    std::vector<Pending> pending_;
    std::vector<Model> models_;  // ordered by (provider, model)
    std::vector<Period> periods_;
    // Index in models_ of the last model found (consecutive rows usually share a model); an
    // index, not a pointer, so that a copy of the book does not point into the original.
    mutable size_t last_hit_ = SIZE_MAX;
};

}  // namespace costops
