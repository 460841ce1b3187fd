#include "usage_record.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "../text_case.hpp"
#include "../text_encoding.hpp"
#include "../timestamps.hpp"
#include "decimal.hpp"
#include "price_rule.hpp"
#include "usage_shapes.hpp"
#include "usage.hpp"

namespace costops::cli {

namespace {

constexpr std::array<std::string_view, 24> kKnownFields = {"timestamp",
                                                           "provider",
                                                           "model",
                                                           "organization_id",
                                                           "project_id",
                                                           "user_id",
                                                           "request_id",
                                                           "prompt_tokens",
                                                           "completion_tokens",
                                                           "total_tokens",
                                                           "cached_tokens",
                                                           "cache_write_tokens",
                                                           "reasoning_tokens",
                                                           "latency_ms",
                                                           "metadata",
                                                           "cache_write_1h_tokens",
                                                           "service_tier",
                                                           "usage",
                                                           "usageMetadata",
                                                           "usage_format",
                                                           "request_count",
                                                           "request_prompt_tokens_min",
                                                           "request_prompt_tokens_max",
                                                           "period_end"};

// Text fields are identifiers (ids, names): longer ones are a data error, and would not fit
// the database's index on the request identity either.
constexpr size_t kMaxIdentifierBytes = 1000;

// The known fields, in the order of kKnownFields.
enum class Field {
    timestamp,
    provider,
    model,
    organization_id,
    project_id,
    user_id,
    request_id,
    prompt_tokens,
    completion_tokens,
    total_tokens,
    cached_tokens,
    cache_write_tokens,
    reasoning_tokens,
    latency_ms,
    metadata,
    cache_write_1h_tokens,
    service_tier,
    usage,
    usage_metadata,
    usage_format,
    request_count,
    request_prompt_tokens_min,
    request_prompt_tokens_max,
    period_end
};

// The name of a known field.
const char* name_of(Field f) {
    return kKnownFields[static_cast<size_t>(f)].data();
}

// The position of a known field name in kKnownFields, or -1 (a hash lookup: this runs for
// every field of every record).
int known_field_index(std::string_view name) {
    static const std::unordered_map<std::string_view, int> index = [] {
        std::unordered_map<std::string_view, int> m;
        for (size_t i = 0; i < kKnownFields.size(); ++i)
            m.emplace(kKnownFields[i], static_cast<int>(i));
        return m;
    }();
    auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
}

// Collects field errors while one record is mapped.
class RecordMapper {
  public:
    // Indexes the record's known fields in one pass over it.
    explicit RecordMapper(const Json& fields) {
        slots_.fill(nullptr);
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            int i = known_field_index(it.key());
            if (i < 0) continue;
            if (it->is_null()) {
                nulls_.set(static_cast<size_t>(i));
            } else {
                slots_[static_cast<size_t>(i)] = &*it;
            }
        }
    }

    std::vector<FieldError> errors;

    // A field's value, or nullptr when absent or null.
    const Json* value(Field f) const { return slots_[static_cast<size_t>(f)]; }

    // Whether the record gives a field as null (an empty CSV cell), which is not leaving it out.
    bool is_null(Field f) const { return nulls_.test(static_cast<size_t>(f)); }

    // Records an error as "field: message".
    void fail(Field f, const std::string& message) {
        errors.push_back({name_of(f), std::string(name_of(f)) + ": " + message});
    }

    // A text field: strings as given (trimmed), integers as their digits.
    std::optional<std::string> text(Field name) {
        const Json* v = value(name);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string() && !is_json_number(*v)) {
            fail(name, "expected a string");
            return std::nullopt;
        }
        std::string s = json_scalar_text(*v);
        size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
        if (a == std::string::npos) return std::nullopt;
        if (a > 0 || b + 1 < s.size()) s = s.substr(a, b - a + 1);
        if (s.size() > kMaxIdentifierBytes) {
            fail(name, "longer than " + std::to_string(kMaxIdentifierBytes) + " bytes");
            return std::nullopt;
        }
        if (!is_valid_utf8(s)) {
            fail(name, "not valid UTF-8 text");
            return std::nullopt;
        }
        if (s.find('\0') != std::string::npos) {
            fail(name, "contains a NUL character (\\u0000), which PostgreSQL text cannot hold");
            return std::nullopt;
        }
        return s;
    }

    std::string required_text(Field name) {
        auto s = text(name);
        if (!s && !has_error(name)) fail(name, "missing");
        return s.value_or("");
    }

    // A whole number, from a JSON integer or a string/literal whose value is exactly integral.
    std::optional<int64_t> integer(Field name) {
        const Json* v = value(name);
        if (v == nullptr) return std::nullopt;
        if (v->is_number_integer()) {
            if (v->is_number_unsigned() && v->get<uint64_t>() > INT64_MAX) {
                fail(name, "too large");
                return std::nullopt;
            }
            return v->get<int64_t>();
        }
        std::string s = json_scalar_text(*v);
        // Plain digits are read as int64_t: the Decimal below holds only 15 integer digits.
        size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
        int64_t plain = 0;
        if (a != std::string::npos) {
            auto [end, ec] = std::from_chars(s.data() + a, s.data() + b + 1, plain);
            if (end == s.data() + b + 1) {
                if (ec == std::errc()) return plain;
                fail(name, "too large");
                return std::nullopt;
            }
        }
        Decimal d;
        std::string why;
        if (s.empty() || !Decimal::try_parse(s, d, why) || d.fraction_digits() != 0) {
            fail(name,
                 "expected a whole number, got " + json_quoted(s.empty() ? dump_exact(*v) : s));
            return std::nullopt;
        }
        int128 whole = d.raw() / pow10_128(Decimal::kScale);
        if (whole > INT64_MAX || whole < INT64_MIN) {
            fail(name, "too large");
            return std::nullopt;
        }
        return static_cast<int64_t>(whole);
    }

    bool has_error(Field f) const {
        return std::any_of(errors.begin(), errors.end(),
                           [&](const FieldError& e) { return e.field == name_of(f); });
    }

  private:
    std::array<const Json*, kKnownFields.size()> slots_;
    std::bitset<kKnownFields.size()> nulls_;
};

// The model name: a string, or an object with a "name" (the guide's JSON format).
std::string model_name(RecordMapper& m) {
    const Json* v = m.value(Field::model);
    if (v != nullptr && v->is_object()) {
        auto name = v->find("name");
        if (name != v->end() && name->is_string() && !name->get<std::string>().empty()) {
            return name->get<std::string>();
        }
        m.fail(Field::model, "an object without a \"name\" string");
        return "";
    }
    return m.required_text(Field::model);
}

// The metadata object as JSON text: an object, or a string holding one (CSV).
std::optional<std::string> metadata_text(RecordMapper& m) {
    const Json* v = m.value(Field::metadata);
    if (v == nullptr) return std::nullopt;
    if (v->is_object()) return dump_exact(*v);
    if (v->is_string()) {
        try {
            Json parsed = parse_json_exact(v->get<std::string>());
            if (parsed.is_object()) return dump_exact(parsed);
        } catch (const JsonSyntaxError& e) {
            m.fail(Field::metadata, std::string("not valid JSON: ") + e.what());
            return std::nullopt;
        }
    }
    m.fail(Field::metadata, "expected a JSON object");
    return std::nullopt;
}

// total - part for the count `field` a record leaves out; fails it when out of int64 range.
std::optional<int64_t> rest_of_total(RecordMapper& m, Field field, int64_t total, int64_t part) {
    int64_t rest;
    if (!__builtin_sub_overflow(total, part, &rest)) return rest;
    m.fail(field, "total_tokens minus the other count is out of range for bigint");
    return std::nullopt;
}

// The counts of a provider usage object ("usage", or Gemini's "usageMetadata"), in the format
// the record's usage_format names, else its provider's; false when the record has none.
bool provider_usage_counts(RecordMapper& m, const std::string& provider, UsageRecord& out) {
    const Json* usage = m.value(Field::usage);
    Field member = Field::usage;
    if (usage == nullptr) {
        usage = m.value(Field::usage_metadata);
        member = Field::usage_metadata;
    }
    if (usage == nullptr) {
        if (m.value(Field::usage_format) != nullptr) {
            m.fail(Field::usage_format,
                   "given without a provider usage object (usage or "
                   "usageMetadata): it names the format of one");
            return true;
        }
        return false;
    }
    // Both: which one the counts come from would be a guess.
    if (member == Field::usage && m.value(Field::usage_metadata) != nullptr) {
        m.fail(Field::usage_metadata, "given with a provider usage object: give one or the other");
        return true;
    }
    for (Field count :
         {Field::prompt_tokens, Field::completion_tokens, Field::total_tokens, Field::cached_tokens,
          Field::cache_write_tokens, Field::cache_write_1h_tokens, Field::reasoning_tokens}) {
        if (m.value(count) != nullptr) {
            m.fail(count, std::string("given with a provider ") + name_of(member) +
                              " object: give one or the other");
            return true;
        }
    }
    std::optional<UsageFormat> format;
    if (auto named = m.text(Field::usage_format)) {
        format = parse_usage_format(*named);
        if (!format) {
            m.fail(Field::usage_format,
                   "expected openai, anthropic or gemini, got " + json_quoted(*named));
            return true;
        }
    } else if (!(format = usage_format_for_provider(provider))) {
        m.fail(Field::usage_format, "missing: the format of the usage object of provider " +
                                        json_quoted(provider) +
                                        " is not known (give usage_format: openai, anthropic "
                                        "or gemini)");
        return true;
    }
    try {
        UsageCounts c = normalize_usage(*format, *usage, name_of(member));
        out.prompt_tokens = c.prompt_tokens;
        out.completion_tokens = c.completion_tokens;
        out.cached_tokens = c.cached_tokens;
        out.cache_write_tokens = c.cache_write_tokens;
        out.cache_write_1h_tokens = c.cache_write_1h_tokens;
        out.reasoning_tokens = c.reasoning_tokens;
    } catch (const UsageShapeError& e) {
        m.errors.push_back({e.field(), e.what()});
    }
    return true;
}

// prompt/completion from whichever two of prompt, completion and total are given.
void token_counts(RecordMapper& m, UsageRecord& out) {
    auto prompt = m.integer(Field::prompt_tokens);
    auto completion = m.integer(Field::completion_tokens);
    out.total_tokens = m.integer(Field::total_tokens);
    if (m.has_error(Field::prompt_tokens) || m.has_error(Field::completion_tokens)) return;
    if (!prompt && completion && out.total_tokens) {
        prompt = rest_of_total(m, Field::prompt_tokens, *out.total_tokens, *completion);
    } else if (!completion && prompt && out.total_tokens) {
        completion = rest_of_total(m, Field::completion_tokens, *out.total_tokens, *prompt);
    }
    if (m.has_error(Field::prompt_tokens) || m.has_error(Field::completion_tokens)) return;
    if (!prompt) m.fail(Field::prompt_tokens, "missing (give prompt_tokens and completion_tokens)");
    if (!completion) {
        m.fail(Field::completion_tokens, "missing (give prompt_tokens and completion_tokens)");
    }
    out.prompt_tokens = prompt.value_or(0);
    out.completion_tokens = completion.value_or(0);
}

// The requests a record sums: one unless it says otherwise; a request_count given as null
// (an empty CSV cell) is a bucket of an unknown number, as the database stores it.
RequestShape request_shape(RecordMapper& m) {
    RequestShape shape;
    if (m.is_null(Field::request_count)) {
        shape.count = std::nullopt;
    } else if (auto count = m.integer(Field::request_count)) {
        shape.count = count;
    }
    shape.prompt_tokens_min = m.integer(Field::request_prompt_tokens_min);
    shape.prompt_tokens_max = m.integer(Field::request_prompt_tokens_max);
    return shape;
}

// Whether UTC instant a is before b (both from to_utc: fractions without trailing zeros).
bool utc_before(const ParsedTimestamp& a, const ParsedTimestamp& b) {
    auto fields = [](const ParsedTimestamp& t) {
        std::string micros = t.fraction;
        micros.resize(6, '0');
        return std::make_tuple(t.year, t.month, t.day, t.hour, t.minute, t.second, micros);
    };
    return fields(a) < fields(b);
}

// A timestamp field as stored (UTC text) with the instant; nullopt when absent or bad (the
// error recorded).
std::optional<std::pair<std::string, ParsedTimestamp>> timestamp_field(RecordMapper& m, Field f,
                                                                       bool required) {
    std::string text = required ? m.required_text(f) : m.text(f).value_or("");
    if (text.empty()) return std::nullopt;
    ParsedTimestamp parsed;
    std::string why;
    if (!parse_timestamp(text, parsed, why)) {
        m.fail(f, why + ", got " + json_quoted(text));
        return std::nullopt;
    }
    ParsedTimestamp utc = to_utc(parsed);
    return std::make_pair(timestamptz_text(utc), utc);
}

}  // namespace

bool is_known_usage_field(const std::string& name) {
    return known_field_index(name) >= 0;
}

std::vector<FieldError> map_usage_record(const SourceRecord& source, const MappingOptions& options,
                                         UsageRecord& out) {
    out = UsageRecord{};
    if (!source.error.empty()) return {{"", source.error}};
    RecordMapper m(source.fields);

    auto start = timestamp_field(m, Field::timestamp, true);
    if (start) out.timestamp = start->first;
    out.provider = lower_case(m.required_text(Field::provider));
    out.model = model_name(m);
    auto org = m.text(Field::organization_id);
    if (!org) org = options.default_organization;
    if (!org && !m.has_error(Field::organization_id)) {
        m.fail(Field::organization_id, "missing (or pass --default-organization ORG)");
    }
    out.organization_id = org.value_or("");
    out.project_id = m.text(Field::project_id);
    out.user_id = m.text(Field::user_id);
    out.request_id = m.text(Field::request_id);

    if (!provider_usage_counts(m, out.provider, out)) {
        token_counts(m, out);
        out.cached_tokens = m.integer(Field::cached_tokens).value_or(0);
        out.cache_write_tokens = m.integer(Field::cache_write_tokens).value_or(0);
        out.cache_write_1h_tokens = m.integer(Field::cache_write_1h_tokens).value_or(0);
        out.reasoning_tokens = m.integer(Field::reasoning_tokens).value_or(0);
    }
    if (auto tier = m.text(Field::service_tier)) {
        std::optional<ServiceTier> parsed = parse_service_tier(*tier);
        if (parsed) {
            out.service_tier = service_tier_name(*parsed);
        } else {
            m.fail(Field::service_tier,
                   "expected standard, batch, priority or flex, got " + json_quoted(*tier));
        }
    }
    out.latency_ms = m.integer(Field::latency_ms);
    if (out.latency_ms && *out.latency_ms < 0) m.fail(Field::latency_ms, "negative");
    out.metadata = metadata_text(m);
    out.requests = request_shape(m);
    if (auto end = timestamp_field(m, Field::period_end, false)) {
        out.period_end = end->first;
        if (start && !utc_before(start->second, end->second)) {
            m.fail(Field::period_end, "not after the record's timestamp " + start->first);
        }
    }

    if (m.errors.empty()) {
        UsageCounts counts{out.prompt_tokens,    out.completion_tokens,
                           out.cached_tokens,    out.cache_write_tokens,
                           out.reasoning_tokens, out.cache_write_1h_tokens};
        auto violation = check_usage(counts, out.total_tokens);
        if (!violation) violation = check_requests(out.requests, out.prompt_tokens);
        if (violation) m.errors.push_back({violation->field, violation->reason});
    }
    return std::move(m.errors);
}

const std::vector<std::string>& usage_copy_columns() {
    // The known fields in their order, but those of a provider usage object, which become the
    // counts.
    static const std::vector<std::string> columns = [] {
        std::vector<std::string> out;
        for (std::string_view field : kKnownFields) {
            if (field != "usage" && field != "usageMetadata" && field != "usage_format") {
                out.emplace_back(field);
            }
        }
        return out;
    }();
    return columns;
}

Row usage_copy_row(const UsageRecord& r) {
    auto number = [](std::optional<int64_t> v) -> Cell {
        return v ? Cell(std::to_string(*v)) : Cell();
    };
    return {r.timestamp,
            r.provider,
            r.model,
            r.organization_id,
            r.project_id,
            r.user_id,
            r.request_id,
            std::to_string(r.prompt_tokens),
            std::to_string(r.completion_tokens),
            number(r.total_tokens),
            std::to_string(r.cached_tokens),
            std::to_string(r.cache_write_tokens),
            std::to_string(r.reasoning_tokens),
            number(r.latency_ms),
            r.metadata,
            std::to_string(r.cache_write_1h_tokens),
            r.service_tier,
            number(r.requests.count),
            number(r.requests.prompt_tokens_min),
            number(r.requests.prompt_tokens_max),
            r.period_end};
}

}  // namespace costops::cli
