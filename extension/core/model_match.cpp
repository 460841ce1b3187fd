#include "model_match.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <stdexcept>

namespace costops {

struct ModelMatcher::Node {
    enum class Kind { Equals, StartsWith, EndsWith, Regex, Contains, Or, And } kind;
    std::string text;  // lower-cased for the string kinds
    std::regex pattern;
    std::vector<Node> children;
};

namespace {

using Node = ModelMatcher::Node;

// Parses one expression into `out`; records whether a "contains" clause was seen.
Node parse_node(const Json& e, const std::string& path, bool* has_contains) {
    auto bad = [&](const std::string& why) {
        throw std::invalid_argument("match" + path + ": " + why);
    };
    if (!e.is_object() || e.size() != 1) bad("must be an object with one key");
    const std::string& key = e.begin().key();
    const Json& value = e.begin().value();
    Node node;
    if (key == "or" || key == "and") {
        if (!value.is_array() || value.empty()) bad("\"" + key + "\" needs a non-empty array");
        node.kind = key == "or" ? Node::Kind::Or : Node::Kind::And;
        for (size_t i = 0; i < value.size(); ++i) {
            node.children.push_back(parse_node(
                value[i], path + "." + key + "[" + std::to_string(i) + "]", has_contains));
        }
        return node;
    }
    if (!value.is_string()) bad("\"" + key + "\" needs a string");
    node.text = value.get<std::string>();
    if (key == "regex") {
        node.kind = Node::Kind::Regex;
        try {
            // Names are compared lower-cased: so is the pattern's text, in effect.
            node.pattern = std::regex(node.text, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& err) {
            bad("invalid regex \"" + node.text + "\": " + err.what());
        }
        return node;
    }
    node.text = lower_trimmed(node.text);
    if (key == "equals") {
        node.kind = Node::Kind::Equals;
    } else if (key == "starts_with") {
        node.kind = Node::Kind::StartsWith;
    } else if (key == "ends_with") {
        node.kind = Node::Kind::EndsWith;
    } else if (key == "contains") {
        node.kind = Node::Kind::Contains;
        *has_contains = true;
    } else {
        bad("unknown clause \"" + key + "\"");
    }
    return node;
}

// Evaluates a node; "contains" never matches.
bool evaluate(const Node& n, std::string_view model) {
    switch (n.kind) {
        case Node::Kind::Equals:
            return model == n.text;
        case Node::Kind::StartsWith:
            return model.substr(0, n.text.size()) == n.text;
        case Node::Kind::EndsWith:
            return model.size() >= n.text.size() &&
                   model.substr(model.size() - n.text.size()) == n.text;
        case Node::Kind::Regex:
            return std::regex_search(model.begin(), model.end(), n.pattern);
        case Node::Kind::Contains:
            return false;
        case Node::Kind::Or:
            return std::any_of(n.children.begin(), n.children.end(),
                               [&](const Node& c) { return evaluate(c, model); });
        case Node::Kind::And:
            break;
    }
    return std::all_of(n.children.begin(), n.children.end(),
                       [&](const Node& c) { return evaluate(c, model); });
}

// Whether y-m-d is a real calendar date (for compact date suffixes such as 20241022).
bool is_date(int y, int m, int d) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= (m == 2 && leap ? 29 : days[m - 1]);
}

// Collects spellings without repeats, and never the reported spelling itself.
class Spellings {
  public:
    Spellings(std::string_view provider, std::string_view model) : reported_{provider, model} {}

    void add(const std::string& provider, const std::string& model, const char* why) {
        if (model.empty() || (provider == reported_.first && model == reported_.second)) return;
        for (const auto& s : list_) {
            if (s.provider == provider && s.model == model) return;
        }
        list_.push_back({provider, model, why});
    }
    std::vector<ModelSpelling> snapshot() const { return list_; }
    std::vector<ModelSpelling> take() { return std::move(list_); }

  private:
    std::pair<std::string_view, std::string_view> reported_;
    std::vector<ModelSpelling> list_;
};

}  // namespace

ModelMatcher ModelMatcher::parse(const Json& expression) {
    ModelMatcher m;
    m.root_ = std::make_shared<const Node>(parse_node(expression, "", &m.has_contains_));
    return m;
}

bool ModelMatcher::matches(std::string_view lower_model) const {
    return root_ && evaluate(*root_, lower_model);
}

std::string lower_trimmed(std::string_view model) {
    size_t a = model.find_first_not_of(" \t\r\n"), b = model.find_last_not_of(" \t\r\n");
    std::string out = a == std::string_view::npos ? "" : std::string(model.substr(a, b - a + 1));
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<ModelSpelling> normalized_spellings(std::string_view provider, std::string_view model) {
    // Geographic cross-region profiles cost what the model costs in-region; "global." ones
    // are priced apart (AWS charges them less), so that prefix is never dropped.
    static const std::regex region(R"(^(us|eu|apac|us-gov|jp|au|ca)\.(.+)$)");
    static const std::regex vendor(
        R"(^(anthropic|amazon|meta|cohere|ai21|mistral|deepseek|openai|qwen|writer)\.(.+)$)");
    static const std::regex version(R"(^(.+)-v\d+(:\d+)?$)");
    static const std::regex at_date(R"(^(.+)@\d{8}$)");
    static const std::regex compact_date(R"(^(.+)-(\d{4})(\d{2})(\d{2})$)");
    static const std::regex dashed_date(R"(^(.+)-(\d{4})-(\d{2})-(\d{2})$)");

    Spellings out(provider, model);
    std::vector<std::string> providers{std::string(provider)};
    std::string current(model);
    // Adds `current` under every provider collected so far.
    auto add_all = [&](const char* why) {
        for (const std::string& p : providers) out.add(p, current, why);
    };
    std::smatch m;
    if (size_t slash = current.rfind('/'); slash != std::string::npos) {
        // Provider ids are lower case (as stored, and as the trigger makes the row's).
        std::string first = lower_trimmed(current.substr(0, current.find('/')));
        current = current.substr(slash + 1);
        add_all("route prefix");
        if (first != "models" && first != "publishers" && first != providers[0]) {
            providers.push_back(first);
            add_all("route prefix");
        }
    }
    // A region prefix only in front of a Bedrock model id ("us.anthropic.claude-..."): elsewhere
    // "us." may be part of a name.
    if (std::regex_match(current, m, region) && std::regex_match(m[2].str(), vendor)) {
        current = m[2];
        add_all("Bedrock region prefix");
    }
    bool bedrock_id = false;
    if (std::regex_match(current, m, vendor)) {
        std::string vendor_provider = m[1];
        current = m[2];
        if (std::find(providers.begin(), providers.end(), vendor_provider) == providers.end()) {
            providers.push_back(vendor_provider);
        }
        add_all("Bedrock model id");
        bedrock_id = true;
    }
    // Only a Bedrock id's "-v2:0" is a version suffix: elsewhere "-v3" names another model.
    if (bedrock_id && std::regex_match(current, m, version)) {
        current = m[1];
        add_all("Bedrock version suffix");
    }
    if (std::regex_match(current, m, at_date)) {
        current = m[1];
        add_all("date suffix");
    } else if (std::regex_match(current, m, compact_date) &&
               is_date(std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4]))) {
        std::string stem = m[1];
        current = stem + "-" + m[2].str() + "-" + m[3].str() + "-" + m[4].str();
        add_all("date suffix");
        current = stem;
        add_all("date suffix");
    } else if (std::regex_match(current, m, dashed_date) &&
               is_date(std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[4]))) {
        current = m[1];
        add_all("date suffix");
    }
    // Model ids are case-insensitive names (genai-prices compares them lower-cased): each
    // spelling so far, lower-cased, is tried last.
    std::vector<ModelSpelling> so_far = out.snapshot();
    out.add(std::string(provider), lower_trimmed(model), "lower case");
    for (const ModelSpelling& spelling : so_far) {
        out.add(spelling.provider, lower_trimmed(spelling.model), "lower case");
    }
    return out.take();
}

}  // namespace costops
