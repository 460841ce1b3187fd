#include "importer_fields.hpp"

#include <algorithm>
#include <charconv>

#include "../../text_case.hpp"
#include "../../timestamps.hpp"
#include "calendar.hpp"
#include "price_rule.hpp"

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

// `value` as `width` decimal digits.
std::string padded(int64_t value, size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

// The RFC 3339 UTC text of a non-negative unix time, `seconds` and `nanos` (below 10^9) after
// it; the fraction without trailing zeros, none when it is 0.
std::string rfc3339_utc(int64_t seconds, int64_t nanos) {
    constexpr int64_t kSecondsPerDay = 86400;
    int64_t second_of_day = seconds % kSecondsPerDay;
    std::string text = day_label(seconds / kSecondsPerDay) + "T" + padded(second_of_day / 3600, 2) +
                       ":" + padded(second_of_day / 60 % 60, 2) + ":" +
                       padded(second_of_day % 60, 2);
    if (nanos != 0) {
        std::string digits = padded(nanos, 9);
        text += "." + digits.substr(0, digits.find_last_not_of('0') + 1);
    }
    return text + "Z";
}

// The member `key` of `object`, or nullptr when `object` is no object, or the member is absent
// or null (CSV rows give null for an empty cell).
const Json* find_member(const Json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

// Reports every member of `object` (at `at`) that `known` does not list as unknown.
void report_unknown_members(const Json& object, const SourcePath& at, const KnownFields& known,
                            NullMembers nulls, ImportedRecords& out) {
    if (!object.is_object()) return;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if ((it->is_null() && nulls == NullMembers::skipped) ||
            std::find(known.begin(), known.end(), it.key()) != known.end()) {
            continue;
        }
        out.unknown.push_back(joined(at.name, it.key()));
    }
}

// `part` with '%' and ':' percent-encoded.
std::string encoded_part(const std::string& part) {
    std::string out;
    for (char c : part) {
        if (c == '%') {
            out += "%25";
        } else if (c == ':') {
            out += "%3A";
        } else {
            out += c;
        }
    }
    return out;
}

// A member's text for a request id: "" when absent or null, true/false for booleans.
std::string key_text(const SourceObject& object, std::string_view key) {
    const Json* value = object.find(key);
    if (value == nullptr) return "";
    if (value->is_boolean()) return value->get<bool>() ? "true" : "false";
    return json_scalar_text(*value);
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

SourcePath SourcePath::marked_element(size_t index) const {
    return {path + "[" + std::to_string(index) + "]", name + "[]"};
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

std::optional<std::string> read_text(const Json& value, const SourcePath& at, TextRule rule,
                                     ImportedRecords& out) {
    if (rule == TextRule::identifier) {
        if (value.is_string() && value.get<std::string>().empty()) return std::nullopt;
        if (value.is_string() || value.is_number_integer()) return json_scalar_text(value);
    } else if (value.is_string() || is_json_number(value)) {
        return json_scalar_text(value);
    }
    fail_at(out, at, "expected a string, got " + quoted(value));
    return std::nullopt;
}

std::string rfc3339_from_unix_nanos(int64_t nanos) {
    constexpr int64_t kNanosPerSecond = 1000000000;
    return rfc3339_utc(nanos / kNanosPerSecond, nanos % kNanosPerSecond);
}

std::optional<int64_t> sum_counts(std::initializer_list<int64_t> terms) {
    int64_t sum = 0;
    for (int64_t term : terms) {
        if (__builtin_add_overflow(sum, term, &sum)) return std::nullopt;
    }
    return sum;
}

SourceObject::SourceObject(SourcePath at, ImportedRecords& out)
    : at_(std::move(at)), out_(&out), first_error_(out.errors.size()) {}

SourceObject::SourceObject(const Json& value, SourcePath at, ImportedRecords& out)
    : SourceObject(std::move(at), out) {
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

SourceObject SourceObject::members_of(const Json* value, SourcePath at, ImportedRecords& out) {
    SourceObject object(std::move(at), out);
    if (value != nullptr && value->is_object()) object.object_ = value;
    return object;
}

const Json* SourceObject::find(std::string_view key) const {
    return object_ == nullptr ? nullptr : find_member(*object_, key);
}

bool SourceObject::is(std::string_view key, std::string_view value) const {
    const Json* member = find(key);
    return member != nullptr && member->is_string() && member->get<std::string>() == value;
}

void SourceObject::fail(std::string_view key, const std::string& message) {
    fail_at(*out_, at_.member(key), message);
}

std::optional<std::string> SourceObject::text(std::string_view key, TextRule rule) {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    return read_text(*value, at_.member(key), rule, *out_);
}

std::optional<std::string> SourceObject::required_text(std::string_view key, TextRule rule,
                                                       const std::string& hint) {
    size_t errors = out_->errors.size();
    auto value = text(key, rule);
    if (!value && errors == out_->errors.size()) fail(key, "missing" + hint);
    return value;
}

std::optional<std::string> SourceObject::timestamp(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) {
        fail(key, "missing");
        return std::nullopt;
    }
    ParsedTimestamp parsed;
    std::string why = "expected a timestamp text";
    if (value->is_string() && parse_timestamp(value->get<std::string>(), parsed, why)) {
        return value->get<std::string>();
    }
    fail(key, why + ", got " + quoted(*value));
    return std::nullopt;
}

std::optional<std::string> SourceObject::unix_seconds(std::string_view key) {
    constexpr int64_t kLastSecond = 253402300799;  // 9999-12-31T23:59:59Z
    const Json* value = find(key);
    if (value == nullptr) {
        fail(key, "missing");
        return std::nullopt;
    }
    if (!value->is_number_integer() && !value->is_string()) {
        fail(key, "expected unix seconds (an integer), got " + quoted(*value));
        return std::nullopt;
    }
    std::optional<int64_t> seconds = count(key);
    if (!seconds) return std::nullopt;
    if (*seconds > kLastSecond) {
        fail(key, "unix seconds beyond the year 9999: " + std::to_string(*seconds));
        return std::nullopt;
    }
    return rfc3339_utc(*seconds, 0);
}

std::optional<std::string> SourceObject::service_tier(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return std::nullopt;
    std::optional<ServiceTier> tier;
    if (value->is_string()) tier = parse_service_tier(value->get<std::string>());
    if (tier) return service_tier_name(*tier);
    fail(key, "expected a service tier cost-ops prices (standard, batch, priority or flex), got " +
                  quoted(*value));
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

SourceObject SourceObject::members_of(std::string_view key) const {
    return members_of(find(key), at_.member(key), *out_);
}

void SourceObject::report_unknown(const KnownFields& known, NullMembers nulls) {
    if (object_ != nullptr) report_unknown_members(*object_, at_, known, nulls, *out_);
}

void SourceObject::copy_members(const KnownFields& keys, Json& to) const {
    for (std::string_view key : keys) {
        if (const Json* value = find(key)) to[std::string(key)] = *value;
    }
}

bool expand_page(const Json& source, std::string_view member, const KnownFields& envelope,
                 NullMembers nulls, ElementNames names,
                 const std::function<void(const Json& element, const SourcePath& at)>& expand_one,
                 ImportedRecords& out) {
    const Json* records = find_member(source, member);
    if (records == nullptr || !records->is_array()) return false;
    KnownFields known = envelope;
    known.push_back(member);
    report_unknown_members(source, {}, known, nulls, out);
    SourcePath array{std::string(member), names == ElementNames::marked ? std::string(member) : ""};
    for (size_t i = 0; i < records->size(); ++i) {
        expand_one((*records)[i],
                   names == ElementNames::marked ? array.marked_element(i) : array.element(i));
    }
    return true;
}

void for_each_bucket(
    const Json& source, const BucketLayout& layout, ImportedRecords& out,
    const std::function<void(const Json& bucket, const SourcePath& at)>& on_bucket) {
    auto expand_bucket = [&](const Json& bucket, const SourcePath& at) {
        report_unknown_members(bucket, at, layout.bucket_members, NullMembers::reported, out);
        on_bucket(bucket, at);
    };
    if (find_member(source, "results") != nullptr) {
        expand_bucket(source, {});
    } else if (!expand_page(source, "data", layout.page_members, NullMembers::reported,
                            ElementNames::marked, expand_bucket, out)) {
        fail_at(out, {"data", "data"},
                "expected a usage page ({\"data\": [bucket, ...], ...}) or one of its buckets "
                "({\"results\": [...], ...})");
    }
}

void for_each_result(
    const SourceObject& bucket, ImportedRecords& out,
    const std::function<void(const Json& result, const SourcePath& at)>& on_result) {
    const Json* results = bucket.find("results");
    SourcePath at = bucket.at().member("results");
    if (results == nullptr || !results->is_array()) {
        fail_at(out, at, "expected an array of results");
        return;
    }
    for (size_t i = 0; i < results->size(); ++i) on_result((*results)[i], at.marked_element(i));
}

std::string bucket_request_id(std::string_view source, const std::string& start,
                              const SourceObject& result, const KnownFields& dimensions) {
    std::string id = std::string(source) + ":" + encoded_part(start);
    for (std::string_view key : dimensions) id += ":" + encoded_part(key_text(result, key));
    return id;
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
