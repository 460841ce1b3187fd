#include "source_fields.hpp"

#include <algorithm>
#include <charconv>

#include "../../text_case.hpp"
#include "../../timestamps.hpp"

namespace costops::cli {

namespace {

// `base.key`, or `key` at the top of a record.
std::string joined(const std::string& base, std::string_view key) {
    return base.empty() ? std::string(key) : base + "." + std::string(key);
}

// A value as messages quote it: scalars as written (long ones cut), containers by kind.
std::string quoted(const Json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    std::string text = dump_exact(value);
    constexpr size_t kMaxQuoted = 40;
    return text.size() <= kMaxQuoted ? text : text.substr(0, kMaxQuoted) + "...";
}

// `text` without leading and trailing blanks (CSV cells may carry them).
std::string_view trimmed(std::string_view text) {
    size_t a = text.find_first_not_of(" \t");
    if (a == std::string_view::npos) return {};
    return text.substr(a, text.find_last_not_of(" \t") - a + 1);
}

// The count a string of decimal digits holds, or nullopt when it holds something else.
std::optional<int64_t> digits_count(std::string_view text) {
    text = trimmed(text);
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Days since 1970-01-01 as a civil date (H. Hinnant's algorithm, proleptic Gregorian).
void civil_from_days(int64_t days, int64_t& year, int& month, int& day) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

// `value` as `width` decimal digits.
std::string padded(int64_t value, size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

const std::vector<ProviderAlias> kLangChainProviders = {
    {"google_genai", "google"},  // ChatGoogleGenerativeAI: the Gemini API
    {"google_vertexai", "vertex_ai"},
    {"amazon_bedrock", "bedrock"},
};

}  // namespace

SourcePath SourcePath::member(std::string_view key) const {
    return {joined(path, key), joined(name, key)};
}

SourcePath SourcePath::element(size_t index) const {
    return {path + "[" + std::to_string(index) + "]", name};
}

void fail_at(ImportedRecords& out, const SourcePath& at, const std::string& message) {
    std::string field = at.path.empty() ? "record" : at.path;
    out.errors.push_back({field, field + ": " + message});
}

std::optional<int64_t> read_count(const Json& value, const SourcePath& at, ImportedRecords& out) {
    if (value.is_number_unsigned() && value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
        return static_cast<int64_t>(value.get<uint64_t>());
    }
    if (value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() >= 0) {
        return value.get<int64_t>();
    }
    if (value.is_string()) {
        if (auto count = digits_count(value.get<std::string>())) return count;
    }
    fail_at(out, at, "must be a non-negative integer, got " + quoted(value));
    return std::nullopt;
}

std::optional<std::string> read_text(const Json& value, const SourcePath& at,
                                     ImportedRecords& out) {
    if (value.is_string() || is_json_number(value)) return json_scalar_text(value);
    fail_at(out, at, "expected a string, got " + quoted(value));
    return std::nullopt;
}

SourceObject::SourceObject(const Json& value, SourcePath at, ImportedRecords& out)
    : at_(std::move(at)), out_(&out), first_error_(out.errors.size()) {
    if (value.is_object()) {
        object_ = &value;
        return;
    }
    if (value.is_string()) {
        try {
            auto parsed = std::make_shared<const Json>(parse_json_exact(value.get<std::string>()));
            if (parsed->is_object()) {
                parsed_ = std::move(parsed);
                object_ = parsed_.get();
                return;
            }
        } catch (const JsonSyntaxError&) {
            // reported below like any other value that is not an object
        }
    }
    fail_at(out, at_, "expected a JSON object, got " + quoted(value));
}

const Json* SourceObject::find(std::string_view key) const {
    if (object_ == nullptr) return nullptr;
    auto it = object_->find(key);
    return it == object_->end() || it->is_null() ? nullptr : &*it;
}

bool SourceObject::is(std::string_view key, std::string_view value) const {
    const Json* member = find(key);
    return member != nullptr && member->is_string() && member->get<std::string>() == value;
}

void SourceObject::fail(std::string_view key, const std::string& message) {
    fail_at(*out_, at_.member(key), message);
}

std::optional<std::string> SourceObject::text(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    return read_text(*value, at_.member(key), *out_);
}

std::optional<std::string> SourceObject::required_text(std::string_view key) {
    if (!has(key)) {
        fail(key, "missing");
        return std::nullopt;
    }
    return text(key);
}

std::optional<std::string> SourceObject::timestamp(std::string_view key) {
    auto value = required_text(key);
    if (!value) return std::nullopt;
    ParsedTimestamp parsed;
    std::string why;
    if (parse_timestamp(*value, parsed, why)) return value;
    fail(key, why + ", got " + Json(*value).dump());
    return std::nullopt;
}

std::optional<int64_t> SourceObject::count(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    return read_count(*value, at_.member(key), *out_);
}

std::optional<int64_t> SourceObject::required_count(std::string_view key) {
    if (!has(key)) {
        fail(key, "missing");
        return std::nullopt;
    }
    return count(key);
}

std::optional<std::string> SourceObject::number_text(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    if (is_json_number(*value)) return json_scalar_text(*value);
    if (value->is_string()) {
        std::string text(trimmed(value->get<std::string>()));
        try {
            if (is_json_number(parse_json_exact(text))) return text;
        } catch (const JsonSyntaxError&) {
            // reported below
        }
    }
    fail(key, "expected a number, got " + quoted(*value));
    return std::nullopt;
}

const Json* SourceObject::array(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr || value->is_array()) return value;
    fail(key, "expected an array, got " + quoted(*value));
    return nullptr;
}

std::optional<SourceObject> SourceObject::object(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    SourceObject member(*value, at_.member(key), *out_);
    if (!member.valid()) return std::nullopt;
    return member;
}

void SourceObject::report_unknown(const KnownFields& known) {
    if (object_ == nullptr) return;
    for (auto it = object_->begin(); it != object_->end(); ++it) {
        if (it->is_null() || std::find(known.begin(), known.end(), it.key()) != known.end()) {
            continue;
        }
        out_->unknown.push_back(joined(at_.name, it.key()));
    }
}

bool expand_page(const Json& source, std::string_view member, const KnownFields& envelope,
                 void (*expand_one)(const Json&, const SourcePath&, ImportedRecords&),
                 ImportedRecords& out) {
    if (!source.is_object()) return false;
    auto records = source.find(member);
    if (records == source.end() || !records->is_array()) return false;
    SourceObject page(source, {}, out);
    KnownFields known = envelope;
    known.push_back(member);
    page.report_unknown(known);
    for (size_t i = 0; i < records->size(); ++i) {
        expand_one((*records)[i], SourcePath{std::string(member), ""}.element(i), out);
    }
    return true;
}

std::string canonical_provider(const std::string& id, const std::vector<ProviderAlias>& aliases) {
    std::string lower = lower_case(id);
    for (const auto& alias : aliases) {
        if (lower == alias.from) return std::string(alias.to);
    }
    return lower;
}

const std::vector<ProviderAlias>& langchain_provider_aliases() {
    return kLangChainProviders;
}

std::string rfc3339_from_unix_nanos(int64_t nanos) {
    constexpr int64_t kNanosPerSecond = 1000000000, kSecondsPerDay = 86400;
    int64_t seconds = nanos / kNanosPerSecond, fraction = nanos % kNanosPerSecond;
    int64_t year = 0;
    int month = 0, day = 0;
    civil_from_days(seconds / kSecondsPerDay, year, month, day);
    int64_t second_of_day = seconds % kSecondsPerDay;
    std::string text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" +
                       padded(second_of_day / 3600, 2) + ":" + padded(second_of_day / 60 % 60, 2) +
                       ":" + padded(second_of_day % 60, 2);
    if (fraction != 0) {
        std::string digits = padded(fraction, 9);
        text += "." + digits.substr(0, digits.find_last_not_of('0') + 1);
    }
    return text + "Z";
}

std::optional<int64_t> sum_counts(std::initializer_list<int64_t> terms) {
    __int128 sum = 0;
    for (int64_t term : terms) sum += term;
    if (sum > INT64_MAX) return std::nullopt;
    return static_cast<int64_t>(sum);
}

Json usage_record(const std::string& timestamp, const std::string& provider,
                  const std::string& model, const TokenCounts& counts) {
    Json record = {{"timestamp", timestamp},
                   {"provider", provider},
                   {"model", model},
                   {"prompt_tokens", counts.prompt},
                   {"completion_tokens", counts.completion}};
    const std::pair<const char*, int64_t> parts[] = {
        {"cached_tokens", counts.cached},
        {"cache_write_tokens", counts.cache_write},
        {"cache_write_1h_tokens", counts.cache_write_1h},
        {"reasoning_tokens", counts.reasoning}};
    for (const auto& [name, value] : parts) {
        if (value != 0) record[name] = value;
    }
    return record;
}

void put_text(Json& object, const char* key, const std::optional<std::string>& value) {
    if (value) object[key] = *value;
}

}  // namespace costops::cli
