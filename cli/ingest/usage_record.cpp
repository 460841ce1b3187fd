#include "usage_record.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "../timestamps.hpp"
#include "decimal.hpp"
#include "usage.hpp"

namespace costops::cli {

namespace {

const std::array<const char*, 15> kKnownFields = {
    "timestamp",         "provider",     "model",         "organization_id",
    "project_id",        "user_id",      "request_id",    "prompt_tokens",
    "completion_tokens", "total_tokens", "cached_tokens", "cache_write_tokens",
    "reasoning_tokens",  "latency_ms",   "metadata"};

// Collects field errors while one record is mapped.
class RecordMapper {
  public:
    explicit RecordMapper(const Json& fields) : fields_(fields) {}

    std::vector<FieldError> errors;

    // A field's value, or nullptr when absent or null.
    const Json* value(const char* name) const {
        auto it = fields_.find(name);
        return it == fields_.end() || it->is_null() ? nullptr : &*it;
    }

    // Records an error as "field: message".
    void fail(const char* field, const std::string& message) {
        errors.push_back({field, std::string(field) + ": " + message});
    }

    // A text field: strings as given (trimmed), integers as their digits.
    std::optional<std::string> text(const char* name) {
        const Json* v = value(name);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string() && !is_json_number(*v)) {
            fail(name, "expected a string");
            return std::nullopt;
        }
        std::string s = json_scalar_text(*v);
        size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
        if (a == std::string::npos) return std::nullopt;
        return s.substr(a, b - a + 1);
    }

    std::string required_text(const char* name) {
        auto s = text(name);
        if (!s && !has_error(name)) fail(name, "missing");
        return s.value_or("");
    }

    // A whole number, from a JSON integer or a string/literal whose value is exactly integral.
    std::optional<int64_t> integer(const char* name) {
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
            fail(name, "expected a whole number, got " + Json(s.empty() ? v->dump() : s).dump());
            return std::nullopt;
        }
        int128 whole = d.raw() / pow10_128(Decimal::kScale);
        if (whole > INT64_MAX || whole < INT64_MIN) {
            fail(name, "too large");
            return std::nullopt;
        }
        return static_cast<int64_t>(whole);
    }

    bool has_error(const char* name) const {
        return std::any_of(errors.begin(), errors.end(),
                           [&](const FieldError& e) { return e.field == name; });
    }

  private:
    const Json& fields_;
};

// The model name: a string, or an object with a "name" (the guide's JSON format).
std::string model_name(RecordMapper& m) {
    const Json* v = m.value("model");
    if (v != nullptr && v->is_object()) {
        auto name = v->find("name");
        if (name != v->end() && name->is_string() && !name->get<std::string>().empty()) {
            return name->get<std::string>();
        }
        m.fail("model", "an object without a \"name\" string");
        return "";
    }
    return m.required_text("model");
}

// The metadata object as JSON text: an object, or a string holding one (CSV).
std::optional<std::string> metadata_text(RecordMapper& m) {
    const Json* v = m.value("metadata");
    if (v == nullptr) return std::nullopt;
    if (v->is_object()) return dump_exact(*v);
    if (v->is_string()) {
        try {
            Json parsed = parse_json_exact(v->get<std::string>());
            if (parsed.is_object()) return dump_exact(parsed);
        } catch (const JsonSyntaxError&) {
        }
    }
    m.fail("metadata", "expected a JSON object");
    return std::nullopt;
}

// total - part for the count `field` a record leaves out; fails it when out of int64 range.
std::optional<int64_t> rest_of_total(RecordMapper& m, const char* field, int64_t total,
                                     int64_t part) {
    int64_t rest;
    if (!__builtin_sub_overflow(total, part, &rest)) return rest;
    m.fail(field, "total_tokens minus the other count is out of range for bigint");
    return std::nullopt;
}

// prompt/completion from whichever two of prompt, completion and total are given.
void token_counts(RecordMapper& m, UsageRecord& out) {
    auto prompt = m.integer("prompt_tokens");
    auto completion = m.integer("completion_tokens");
    out.total_tokens = m.integer("total_tokens");
    if (m.has_error("prompt_tokens") || m.has_error("completion_tokens")) return;
    if (!prompt && completion && out.total_tokens) {
        prompt = rest_of_total(m, "prompt_tokens", *out.total_tokens, *completion);
    } else if (!completion && prompt && out.total_tokens) {
        completion = rest_of_total(m, "completion_tokens", *out.total_tokens, *prompt);
    }
    if (m.has_error("prompt_tokens") || m.has_error("completion_tokens")) return;
    if (!prompt) m.fail("prompt_tokens", "missing (give prompt_tokens and completion_tokens)");
    if (!completion) {
        m.fail("completion_tokens", "missing (give prompt_tokens and completion_tokens)");
    }
    out.prompt_tokens = prompt.value_or(0);
    out.completion_tokens = completion.value_or(0);
}

}  // namespace

bool is_known_usage_field(const std::string& name) {
    return std::find(kKnownFields.begin(), kKnownFields.end(), name) != kKnownFields.end();
}

std::vector<FieldError> map_usage_record(const SourceRecord& source, const MappingOptions& options,
                                         UsageRecord& out) {
    out = UsageRecord{};
    if (!source.error.empty()) return {{"", source.error}};
    RecordMapper m(source.fields);

    std::string ts = m.required_text("timestamp");
    if (!ts.empty()) {
        ParsedTimestamp parsed;
        std::string why;
        if (parse_timestamp(ts, parsed, why)) {
            out.timestamp = timestamptz_text(parsed);
        } else {
            m.fail("timestamp", why + ", got " + Json(ts).dump());
        }
    }
    out.provider = m.required_text("provider");
    std::transform(out.provider.begin(), out.provider.end(), out.provider.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.model = model_name(m);
    auto org = m.text("organization_id");
    if (!org) org = options.default_organization;
    if (!org && !m.has_error("organization_id")) {
        m.fail("organization_id", "missing (or pass --default-organization ORG)");
    }
    out.organization_id = org.value_or("");
    out.project_id = m.text("project_id");
    out.user_id = m.text("user_id");
    out.request_id = m.text("request_id");

    token_counts(m, out);
    out.cached_tokens = m.integer("cached_tokens").value_or(0);
    out.cache_write_tokens = m.integer("cache_write_tokens").value_or(0);
    out.reasoning_tokens = m.integer("reasoning_tokens").value_or(0);
    out.latency_ms = m.integer("latency_ms");
    if (out.latency_ms && *out.latency_ms < 0) m.fail("latency_ms", "negative");
    out.metadata = metadata_text(m);

    if (m.errors.empty()) {
        UsageCounts counts{out.prompt_tokens, out.completion_tokens, out.cached_tokens,
                           out.cache_write_tokens, out.reasoning_tokens};
        if (auto violation = check_usage(counts, out.total_tokens)) {
            m.errors.push_back({violation->field, violation->reason});
        }
    }
    return std::move(m.errors);
}

const std::vector<std::string>& usage_copy_columns() {
    static const std::vector<std::string> columns = {
        "timestamp",         "provider",     "model",         "organization_id",
        "project_id",        "user_id",      "request_id",    "prompt_tokens",
        "completion_tokens", "total_tokens", "cached_tokens", "cache_write_tokens",
        "reasoning_tokens",  "latency_ms",   "metadata"};
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
            r.metadata};
}

}  // namespace costops::cli
