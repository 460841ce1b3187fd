// Model names as records report them, matched to the names prices are stored under: the match
// expressions genai-prices ships with its prices, and the safe spelling normalizations of the
// domain rules. Never a substring guess.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exact_json.hpp"

namespace costops {

// One genai-prices `match` expression: {"equals": s}, {"starts_with": s}, {"ends_with": s},
// {"regex": s}, {"or": [...]}, {"and": [...]}. Like genai-prices, it compares the lower-cased,
// trimmed model name. {"contains": s} is kept but never matches: a substring is a guess.
class ModelMatcher {
  public:
    // Throws std::invalid_argument naming the part that is not a match expression.
    static ModelMatcher parse(const Json& expression);

    // Whether `lower_model` (already lower-cased and trimmed) matches.
    bool matches(std::string_view lower_model) const;
    // Whether the expression had "contains" clauses (reported by imports: not applied).
    bool has_substring_clauses() const { return has_contains_; }

    struct Node;

  private:
    std::shared_ptr<const Node> root_;
    bool has_contains_ = false;
};

// The lower-cased, trimmed form of a model name that match expressions compare.
std::string lower_trimmed(std::string_view model);

// A (provider, model) spelling to try.
struct ModelSpelling {
    std::string provider;
    std::string model;
    std::string why;  // the normalization that produced it, e.g. "date suffix"
};

// The safe normalizations of a reported (provider, model), most specific first: a route prefix
// ("openai/gpt-4o", "models/gemini-1.5-pro"), Bedrock spellings ("us.anthropic.claude-...-v1:0":
// region, vendor, version), and anchored date suffixes ("-2024-08-06", "-20241022",
// "@20240620"; a compact date is also tried in the dashed form genai-prices uses), then each of
// these and the reported name lower-cased. The reported spelling itself is not included.
std::vector<ModelSpelling> normalized_spellings(std::string_view provider, std::string_view model);

}  // namespace costops
