#include "usage_shapes.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace costops {

namespace {

// `text` in ASCII lower case.
std::string folded(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct ProviderFormat {
    std::string_view provider;
    UsageFormat format;
};

// The providers of usage_format_for_provider (see the header for why each is here).
constexpr ProviderFormat kProviderFormats[] = {
    {"openai", UsageFormat::OpenAI},
    {"text-completion-openai", UsageFormat::OpenAI},
    {"azure", UsageFormat::OpenAI},
    {"azure_openai", UsageFormat::OpenAI},
    {"azure-openai", UsageFormat::OpenAI},
    {"azure.ai.openai", UsageFormat::OpenAI},
    {"az.ai.openai", UsageFormat::OpenAI},
    {"openrouter", UsageFormat::OpenAI},
    {"anthropic", UsageFormat::Anthropic},
    {"bedrock", UsageFormat::Anthropic},
    {"bedrock_converse", UsageFormat::Anthropic},
    {"aws", UsageFormat::Anthropic},
    {"aws_bedrock", UsageFormat::Anthropic},
    {"aws-bedrock", UsageFormat::Anthropic},
    {"amazon-bedrock", UsageFormat::Anthropic},
    {"aws.bedrock", UsageFormat::Anthropic},
    {"vertex-anthropic", UsageFormat::Anthropic},
    {"vertex_ai-anthropic", UsageFormat::Anthropic},
    {"vertex_ai-anthropic_models", UsageFormat::Anthropic},
    {"google", UsageFormat::Gemini},
    {"gemini", UsageFormat::Gemini},
    {"vertex", UsageFormat::Gemini},
    {"vertex_ai", UsageFormat::Gemini},
    {"google-vertex", UsageFormat::Gemini},
    {"vertex_ai-language-models", UsageFormat::Gemini},
    {"gcp.gemini", UsageFormat::Gemini},
    {"gcp.vertex_ai", UsageFormat::Gemini},
    {"gcp.gen_ai", UsageFormat::Gemini},
};

// A JSON value as error messages quote it: scalars as written (long ones cut), containers by kind.
std::string describe(const Json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    std::string text = dump_exact(value);
    constexpr size_t kMaxQuoted = 40;
    return text.size() <= kMaxQuoted ? text : text.substr(0, kMaxQuoted) + "...";
}

// Reads a JSON number literal kept as text ("1e3", "12.50", "-0.0") as a count into `out`;
// returns nullptr, or why it is not one: "negative", "not a whole number", "too large".
const char* literal_count(std::string_view text, int64_t& out) {
    auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
    size_t i = 0;
    bool negative = i < text.size() && text[i] == '-';
    if (negative) ++i;
    std::string digits;    // the significand's digits: value = digits * 10^exponent
    int64_t exponent = 0;  // bounded: |exponent| <= text.size() + kExponentCap
    while (digit(i)) digits += text[i++];
    if (i < text.size() && text[i] == '.') {
        for (++i; digit(i); ++i, --exponent) digits += text[i];
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exponent_negative = i < text.size() && text[i] == '-';
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
        // Past a billion the exact exponent no longer matters: the value is 0-ish or huge.
        constexpr int64_t kExponentCap = 1000000000;
        int64_t e = 0;
        for (; digit(i); ++i) e = std::min(kExponentCap, e * 10 + (text[i] - '0'));
        exponent += exponent_negative ? -e : e;
    }
    if (digits.empty() || i != text.size()) return "not a whole number";
    size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) {
        out = 0;  // any spelling of zero, "-0.0e5" included
        return nullptr;
    }
    digits.erase(0, first);
    for (; digits.back() == '0'; ++exponent) digits.pop_back();
    if (negative) return "negative";
    if (exponent < 0) return "not a whole number";
    if (static_cast<int64_t>(digits.size()) + exponent > 19) return "too large";
    __int128 value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    for (int64_t k = 0; k < exponent; ++k) value *= 10;
    if (value > INT64_MAX) return "too large";
    out = static_cast<int64_t>(value);
    return nullptr;
}

// A count read from `value`, the member at `path`: a non-negative whole number within bigint.
int64_t count_value(const Json& value, const std::string& path) {
    const char* problem = nullptr;
    int64_t count = 0;
    if (value.is_number_unsigned()) {
        if (value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) problem = "too large";
        count = static_cast<int64_t>(value.get<uint64_t>());
    } else if (value.is_number_integer()) {
        count = value.get<int64_t>();
        if (count < 0) problem = "negative";
    } else if (is_number_literal(value)) {
        problem = literal_count(json_scalar_text(value), count);
    } else {
        throw UsageShapeError(path,
                              path + " must be a whole number of tokens, got " + describe(value));
    }
    if (problem != nullptr) {
        throw UsageShapeError(path, path + " is " + problem + " (" + describe(value) + ")");
    }
    return count;
}

// One count of a usage object and the JSON path it was read from.
struct Term {
    std::string path;
    int64_t value;
};

// The terms that are present, in order.
std::vector<Term> present(std::initializer_list<std::optional<Term>> terms) {
    std::vector<Term> out;
    for (const auto& term : terms) {
        if (term) out.push_back(*term);
    }
    return out;
}

// The value of an optional term, 0 when absent.
int64_t value_or_zero(const std::optional<Term>& term) {
    return term ? term->value : 0;
}

// "a + b + c" of the terms' paths, or of their values.
std::string joined(const std::vector<Term>& terms, bool values) {
    std::string out;
    for (const Term& t : terms) {
        if (!out.empty()) out += " + ";
        out += values ? std::to_string(t.value) : t.path;
    }
    return out;
}

// The exact sum of the terms (they are each within bigint, so 128 bits cannot overflow).
__int128 exact_sum(const std::vector<Term>& terms) {
    __int128 sum = 0;
    for (const Term& t : terms) sum += t.value;
    return sum;
}

// The sum of the terms (0 for none) as a count; throws, naming them, when it is beyond bigint.
int64_t checked_sum(const std::vector<Term>& terms) {
    __int128 sum = exact_sum(terms);
    if (sum > INT64_MAX) {
        throw UsageShapeError(
            terms.front().path,
            joined(terms, false) + " (" + joined(terms, true) + ") is too large for a count");
    }
    return static_cast<int64_t>(sum);
}

// Throws when the parts together exceed the whole that includes them.
void check_parts(const Term& whole, const std::vector<Term>& parts) {
    if (parts.empty() || exact_sum(parts) <= whole.value) return;
    std::string named;
    for (const Term& p : parts) {
        named += (named.empty() ? "" : " plus ") + p.path + " (" + std::to_string(p.value) + ")";
    }
    throw UsageShapeError(parts.front().path,
                          named + (parts.size() == 1 ? " exceeds " : " exceed ") + whole.path +
                              " (" + std::to_string(whole.value) + "), which includes " +
                              (parts.size() == 1 ? "it" : "them"));
}

// Throws when a reported sum (a total, or a whole split into parts) differs from its terms.
void check_reported_sum(const std::optional<Term>& reported, const std::vector<Term>& terms) {
    if (!reported) return;
    __int128 sum = exact_sum(terms);
    if (sum == reported->value) return;
    if (terms.empty()) {
        throw UsageShapeError(reported->path, reported->path + " (" +
                                                  std::to_string(reported->value) +
                                                  ") differs from the sum of its parts: none");
    }
    std::string sum_text = sum > INT64_MAX ? "more than " + std::to_string(INT64_MAX)
                                           : std::to_string(static_cast<int64_t>(sum));
    std::string values = terms.size() == 1 ? sum_text : joined(terms, true) + " = " + sum_text;
    throw UsageShapeError(reported->path, reported->path + " (" + std::to_string(reported->value) +
                                              ") differs from " + joined(terms, false) + " (" +
                                              values + ")");
}

// A member of another format's layout that this format would silently misread.
struct ForeignMember {
    std::string_view key;
    const char* owner;  // whose usage objects have it, as in "a member of <owner> usage"
};

// A JSON object of a usage value, read member by member with paths for the errors.
class Fields {
  public:
    // Reads `value`, the member at `path`, which must be an object.
    Fields(const Json& value, std::string path) : object_(value), path_(std::move(path)) {
        if (!value.is_object()) {
            throw UsageShapeError(path_, path_ + " must be a JSON object, got " +
                                             (value.is_null() ? "null" : describe(value)));
        }
    }

    // The JSON path of this object.
    const std::string& path() const { return path_; }

    // The JSON path of member `key`.
    std::string path_of(std::string_view key) const { return path_ + "." + std::string(key); }

    // The member `key`, or nullptr when it is absent or null (SDK dumps write absent as null).
    const Json* find(std::string_view key) const {
        auto it = object_.find(key);
        return it == object_.end() || it->is_null() ? nullptr : &*it;
    }

    // The count `key`, or nullopt when it is absent.
    std::optional<Term> count(std::string_view key) const {
        const Json* v = find(key);
        if (v == nullptr) return std::nullopt;
        std::string path = path_of(key);
        int64_t value = count_value(*v, path);
        return Term{std::move(path), value};
    }

    // The count `key`, which must be present.
    Term required(std::string_view key) const {
        auto term = count(key);
        if (!term) throw UsageShapeError(path_of(key), path_of(key) + " is missing");
        return std::move(*term);
    }

    // The object member `key`, or nullopt when it is absent.
    std::optional<Fields> object(std::string_view key) const {
        const Json* v = find(key);
        if (v == nullptr) return std::nullopt;
        return Fields(*v, path_of(key));
    }

    // The first of `keys` that is present, or nullptr.
    const std::string_view* first_present(const std::vector<std::string_view>& keys) const {
        for (const auto& key : keys) {
            if (find(key) != nullptr) return &key;
        }
        return nullptr;
    }

    // Throws when a member of another format's layout is present.
    void reject_foreign(UsageFormat format, const std::vector<ForeignMember>& foreign) const {
        for (const auto& member : foreign) {
            if (find(member.key) == nullptr) continue;
            throw UsageShapeError(path_of(member.key), path_of(member.key) + " is a member of " +
                                                           member.owner + " usage, which the " +
                                                           usage_format_name(format) +
                                                           " usage format does not describe");
        }
    }

  private:
    const Json& object_;
    std::string path_;
};

// One of the two layouts of a format: its name and the members only it has.
struct Layout {
    const char* name;
    std::vector<std::string_view> members;
};

// True when `usage` is in the second layout (the first is assumed when it shows neither);
// throws when it has members of both.
bool in_second_layout(const Fields& usage, const Layout& first, const Layout& second) {
    const std::string_view* a = usage.first_present(first.members);
    const std::string_view* b = usage.first_present(second.members);
    if (a != nullptr && b != nullptr) {
        throw UsageShapeError(usage.path_of(*b),
                              usage.path() + " mixes " + first.name + " (" + usage.path_of(*a) +
                                  ") and " + second.name + " (" + usage.path_of(*b) +
                                  ") members: which convention its counts follow is unknown");
    }
    return b != nullptr;
}

// Checks the reported total and the domain invariants, and returns the counts.
UsageCounts finish(const UsageCounts& counts, const Fields& usage, const std::optional<Term>& total,
                   const std::vector<Term>& total_terms) {
    check_reported_sum(total, total_terms);
    auto violation =
        check_usage(counts, total ? std::optional<int64_t>(total->value) : std::nullopt);
    if (violation) {
        throw UsageShapeError(usage.path(),
                              usage.path() + " gives inconsistent counts: " + violation->reason);
    }
    return counts;
}

// The member names of one of OpenAI's two usage layouts, which share their detail members.
struct OpenAiNames {
    const char* layout;
    std::string_view prompt, prompt_details, completion, completion_details;

    // The layout these names make up.
    Layout members() const {
        return {layout, {prompt, completion, prompt_details, completion_details}};
    }
};

constexpr OpenAiNames kChatNames{"Chat Completions", "prompt_tokens", "prompt_tokens_details",
                                 "completion_tokens", "completion_tokens_details"};
constexpr OpenAiNames kResponsesNames{"Responses API", "input_tokens", "input_tokens_details",
                                      "output_tokens", "output_tokens_details"};

// Throws when one of the detail counts `keys`, each a part of `whole` on its own, exceeds it.
void check_each_within(const Term& whole, const Fields& details,
                       std::initializer_list<std::string_view> keys) {
    for (auto key : keys) {
        if (auto part = details.count(key)) check_parts(whole, {*part});
    }
}

// The completion count `name`: as reported, else (embeddings usage has none) what the total
// leaves after the prompt; missing without a total.
Term completion_count(const Fields& usage, std::string_view name, const Term& prompt,
                      const std::optional<Term>& total) {
    if (auto given = usage.count(name)) return *given;
    if (!total) return usage.required(name);
    if (total->value < prompt.value) {
        throw UsageShapeError(total->path, total->path + " (" + std::to_string(total->value) +
                                               ") is less than " + prompt.path + " (" +
                                               std::to_string(prompt.value) + ")");
    }
    return Term{usage.path_of(name), total->value - prompt.value};
}

// OpenAI: the wholes include their details; cache_write_tokens (OpenRouter, genai-prices'
// OpenAI extractor) is a part of the prompt like cached_tokens; audio and prediction counts are
// parts already inside the wholes, checked and not added.
UsageCounts normalize_openai(const Fields& usage) {
    usage.reject_foreign(UsageFormat::OpenAI, {{"cache_read_input_tokens", "Anthropic"},
                                               {"cache_creation_input_tokens", "Anthropic"},
                                               {"cache_creation", "Anthropic"},
                                               {"inputTokens", "Bedrock Converse"},
                                               {"promptTokenCount", "Gemini"}});
    const OpenAiNames& names =
        in_second_layout(usage, kChatNames.members(), kResponsesNames.members()) ? kResponsesNames
                                                                                 : kChatNames;
    Term prompt = usage.required(names.prompt);
    std::optional<Term> total = usage.count("total_tokens");
    Term completion = completion_count(usage, names.completion, prompt, total);
    UsageCounts c;
    c.prompt_tokens = prompt.value;
    c.completion_tokens = completion.value;
    if (auto details = usage.object(names.prompt_details)) {
        auto cached = details->count("cached_tokens");
        auto written = details->count("cache_write_tokens");
        check_parts(prompt, present({cached, written}));
        check_each_within(prompt, *details, {"audio_tokens"});
        c.cached_tokens = value_or_zero(cached);
        c.cache_write_tokens = value_or_zero(written);
    }
    if (auto details = usage.object(names.completion_details)) {
        auto reasoning = details->count("reasoning_tokens");
        check_parts(completion, present({reasoning}));
        check_each_within(
            completion, *details,
            {"audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"});
        c.reasoning_tokens = value_or_zero(reasoning);
    }
    return finish(c, usage, total, {prompt, completion});
}

// Cache writes split by lifetime: the terms of the 5-minute and of the 1-hour writes.
struct WriteSplit {
    std::vector<Term> five_minute, one_hour;
};

// The split of Anthropic's usage.cache_creation (`member`), or nullopt when it gives neither
// lifetime.
std::optional<WriteSplit> messages_write_split(const Fields& usage, std::string_view member) {
    auto creation = usage.object(member);
    if (!creation) return std::nullopt;
    auto m5 = creation->count("ephemeral_5m_input_tokens");
    auto h1 = creation->count("ephemeral_1h_input_tokens");
    if (!m5 && !h1) return std::nullopt;
    return WriteSplit{present({m5}), present({h1})};
}

// The split of Bedrock Converse's usage.cacheDetails (`member`), an array of
// {"ttl": "5m" or "1h", "inputTokens": n}; nullopt without one.
std::optional<WriteSplit> converse_write_split(const Fields& usage, std::string_view member) {
    const Json* details = usage.find(member);
    if (details == nullptr) return std::nullopt;
    std::string path = usage.path_of(member);
    if (!details->is_array()) {
        throw UsageShapeError(path, path + " must be a JSON array, got " + describe(*details));
    }
    WriteSplit split;
    for (size_t i = 0; i < details->size(); ++i) {
        Fields entry((*details)[i], path + "[" + std::to_string(i) + "]");
        const Json* ttl = entry.find("ttl");
        std::string ttl_text = ttl != nullptr && ttl->is_string() ? ttl->get<std::string>() : "";
        if (ttl_text != "5m" && ttl_text != "1h") {
            throw UsageShapeError(entry.path_of("ttl"),
                                  entry.path_of("ttl") + " must be \"5m\" or \"1h\", got " +
                                      (ttl == nullptr ? "nothing" : describe(*ttl)));
        }
        (ttl_text == "5m" ? split.five_minute : split.one_hour)
            .push_back(entry.required("inputTokens"));
    }
    return split;
}

// The member names of one of Anthropic's two usage layouts and how it splits its cache writes.
struct AnthropicNames {
    const char* layout;
    std::string_view input, output, cache_read, cache_write, total;  // total: "" for none
    std::string_view split;                                          // the member write_split reads
    std::optional<WriteSplit> (*write_split)(const Fields&, std::string_view split);

    // The layout these names make up.
    Layout members() const {
        Layout out{layout, {input, output, cache_read, cache_write, split}};
        if (!total.empty()) out.members.push_back(total);
        return out;
    }
};

const AnthropicNames kMessagesNames{"Anthropic Messages",
                                    "input_tokens",
                                    "output_tokens",
                                    "cache_read_input_tokens",
                                    "cache_creation_input_tokens",
                                    "",
                                    "cache_creation",
                                    messages_write_split};
const AnthropicNames kConverseNames{"Bedrock Converse",     "inputTokens",           "outputTokens",
                                    "cacheReadInputTokens", "cacheWriteInputTokens", "totalTokens",
                                    "cacheDetails",         converse_write_split};

// Anthropic: input excludes cache reads and writes, so prompt = input + reads + writes; the
// lifetime split, when given, must add up to the write count; output includes thinking.
UsageCounts normalize_anthropic(const Fields& usage) {
    usage.reject_foreign(UsageFormat::Anthropic,
                         {{"prompt_tokens", "OpenAI Chat Completions"},
                          {"completion_tokens", "OpenAI Chat Completions"},
                          {"prompt_tokens_details", "OpenAI Chat Completions"},
                          {"completion_tokens_details", "OpenAI Chat Completions"},
                          {"input_tokens_details", "OpenAI Responses API"},
                          {"output_tokens_details", "OpenAI Responses API"},
                          {"cacheReadInputTokenCount", "Amazon Nova InvokeModel"},
                          {"cacheWriteInputTokenCount", "Amazon Nova InvokeModel"},
                          {"promptTokenCount", "Gemini"}});
    const AnthropicNames& names =
        in_second_layout(usage, kMessagesNames.members(), kConverseNames.members())
            ? kConverseNames
            : kMessagesNames;
    Term input = usage.required(names.input);
    Term output = usage.required(names.output);
    auto read = usage.count(names.cache_read);
    auto written = usage.count(names.cache_write);
    auto split = names.write_split(usage, names.split);
    std::vector<Term> write_terms = present({written});
    UsageCounts c;
    if (split) {
        std::vector<Term> parts = split->five_minute;
        parts.insert(parts.end(), split->one_hour.begin(), split->one_hour.end());
        check_reported_sum(written, parts);
        c.cache_write_tokens = checked_sum(split->five_minute);
        c.cache_write_1h_tokens = checked_sum(split->one_hour);
        if (!written) write_terms = parts;
    } else {
        c.cache_write_tokens = value_or_zero(written);
    }
    std::vector<Term> prompt_terms = present({input, read});
    prompt_terms.insert(prompt_terms.end(), write_terms.begin(), write_terms.end());
    c.prompt_tokens = checked_sum(prompt_terms);
    c.cached_tokens = value_or_zero(read);
    c.completion_tokens = output.value;
    std::vector<Term> total_terms = prompt_terms;
    total_terms.push_back(output);
    auto total = names.total.empty() ? std::nullopt : usage.count(names.total);
    return finish(c, usage, total, total_terms);
}

// Gemini: promptTokenCount includes cachedContentTokenCount; toolUsePromptTokenCount (results
// of server-side tools fed back as input) and thoughtsTokenCount are outside promptTokenCount and
// candidatesTokenCount, and totalTokenCount is the sum of all four. candidatesTokenCount may be
// absent: protobuf JSON omits zero counts (a blocked prompt, thinking that hit max tokens).
UsageCounts normalize_gemini(const Fields& usage) {
    usage.reject_foreign(UsageFormat::Gemini, {{"prompt_tokens", "OpenAI Chat Completions"},
                                               {"completion_tokens", "OpenAI Chat Completions"},
                                               {"input_tokens", "Anthropic or OpenAI Responses"},
                                               {"output_tokens", "Anthropic or OpenAI Responses"},
                                               {"inputTokens", "Bedrock Converse"},
                                               {"responseTokenCount", "Gemini Live API"}});
    Term prompt = usage.required("promptTokenCount");
    auto tool_use = usage.count("toolUsePromptTokenCount");
    auto cached = usage.count("cachedContentTokenCount");
    auto candidates = usage.count("candidatesTokenCount");
    auto thoughts = usage.count("thoughtsTokenCount");
    check_parts(prompt, present({cached}));
    std::vector<Term> prompt_terms = present({prompt, tool_use});
    std::vector<Term> completion_terms = present({candidates, thoughts});
    UsageCounts c;
    c.prompt_tokens = checked_sum(prompt_terms);
    c.completion_tokens = checked_sum(completion_terms);
    c.cached_tokens = value_or_zero(cached);
    c.reasoning_tokens = value_or_zero(thoughts);
    std::vector<Term> total_terms = prompt_terms;
    total_terms.insert(total_terms.end(), completion_terms.begin(), completion_terms.end());
    return finish(c, usage, usage.count("totalTokenCount"), total_terms);
}

}  // namespace

std::optional<UsageFormat> usage_format_for_provider(std::string_view provider) {
    std::string id = folded(provider);
    for (const auto& entry : kProviderFormats) {
        if (entry.provider == id) return entry.format;
    }
    return std::nullopt;
}

std::optional<UsageFormat> parse_usage_format(std::string_view name) {
    std::string id = folded(name);
    if (id == "openai") return UsageFormat::OpenAI;
    if (id == "anthropic") return UsageFormat::Anthropic;
    if (id == "gemini" || id == "google") return UsageFormat::Gemini;
    return std::nullopt;
}

const char* usage_format_name(UsageFormat format) {
    switch (format) {
        case UsageFormat::OpenAI:
            return "openai";
        case UsageFormat::Anthropic:
            return "anthropic";
        case UsageFormat::Gemini:
            return "gemini";
    }
    return "unknown";
}

const char* usage_member_name(UsageFormat format) {
    return format == UsageFormat::Gemini ? "usageMetadata" : "usage";
}

UsageCounts normalize_usage(UsageFormat format, const Json& usage, std::string_view member) {
    Fields fields(usage, member.empty() ? usage_member_name(format) : std::string(member));
    switch (format) {
        case UsageFormat::OpenAI:
            return normalize_openai(fields);
        case UsageFormat::Anthropic:
            return normalize_anthropic(fields);
        case UsageFormat::Gemini:
            return normalize_gemini(fields);
    }
    throw UsageShapeError(fields.path(), "unknown usage format");
}

}  // namespace costops
