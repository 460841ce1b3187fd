#include "bucket_fields.hpp"

#include <algorithm>
#include <charconv>

#include "../../timestamps.hpp"
#include "price_rule.hpp"

namespace costops::cli {

namespace {

// A value as messages quote it: scalars as written (long ones cut), containers by kind.
std::string quoted(const Json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    constexpr size_t kMaxQuoted = 40;
    std::string text = dump_exact(value);
    return text.size() <= kMaxQuoted ? text : text.substr(0, kMaxQuoted) + "...";
}

// The digits of `text` as a non-negative int64_t, or nullopt when it is not only digits or too
// large (from_chars takes no '+' or spaces; the '-' it takes is refused first).
std::optional<int64_t> digits_value(const std::string& text) {
    int64_t n = 0;
    const char* end = text.data() + text.size();
    if (text.empty() || text[0] == '-') return std::nullopt;
    auto [stop, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc() || stop != end) return std::nullopt;
    return n;
}

// Days since 1970-01-01 as a proleptic Gregorian date (Howard Hinnant's civil_from_days).
void civil_from_days(int64_t days, int64_t& year, int& month, int& day) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

// `value` zero-padded to `width` digits.
std::string padded(int64_t value, size_t width) {
    std::string digits = std::to_string(value);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
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
std::string key_text(const Json& object, std::string_view key) {
    const Json* value = find_member(object, key);
    if (value == nullptr) return "";
    if (value->is_boolean()) return value->get<bool>() ? "true" : "false";
    return json_scalar_text(*value);
}

}  // namespace

void fail_field(ImportedRecords& out, const std::string& path, const std::string& why) {
    out.errors.push_back({path, path + ": " + why});
}

std::string member_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string element_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

const Json* find_member(const Json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const Json* required_member(const Json& object, std::string_view key, const std::string& path,
                            ImportedRecords& out) {
    const Json* value = find_member(object, key);
    if (value == nullptr) fail_field(out, member_path(path, key), "missing");
    return value;
}

std::optional<int64_t> count_value(const Json& value, const std::string& path,
                                   ImportedRecords& out) {
    std::optional<int64_t> count;
    if (value.is_number_unsigned()) {
        if (value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
            count = static_cast<int64_t>(value.get<uint64_t>());
        }
    } else if (value.is_number_integer()) {
        if (value.get<int64_t>() >= 0) count = value.get<int64_t>();
    } else if (value.is_string()) {
        count = digits_value(value.get<std::string>());
    }
    if (!count) fail_field(out, path, "must be a non-negative integer, got " + quoted(value));
    return count;
}

std::optional<int64_t> count_or_zero(const Json& object, std::string_view key,
                                     const std::string& path, ImportedRecords& out) {
    const Json* value = find_member(object, key);
    return value == nullptr ? 0 : count_value(*value, member_path(path, key), out);
}

std::optional<int64_t> required_count(const Json& object, std::string_view key,
                                      const std::string& path, ImportedRecords& out) {
    const Json* value = required_member(object, key, path, out);
    if (value == nullptr) return std::nullopt;
    return count_value(*value, member_path(path, key), out);
}

std::optional<int64_t> checked_sum(const std::vector<int64_t>& terms, const std::string& path,
                                   ImportedRecords& out) {
    int64_t sum = 0;
    for (int64_t term : terms) {
        if (__builtin_add_overflow(sum, term, &sum)) {
            fail_field(out, path, "the token counts add up to more than a bigint holds");
            return std::nullopt;
        }
    }
    return sum;
}

std::optional<std::string> text_member(const Json& object, std::string_view key,
                                       const std::string& path, ImportedRecords& out) {
    const Json* value = find_member(object, key);
    if (value == nullptr) return std::nullopt;
    if (value->is_string()) {
        if (value->get<std::string>().empty()) return std::nullopt;
        return value->get<std::string>();
    }
    if (value->is_number_integer()) return value->dump();
    fail_field(out, member_path(path, key), "expected a string, got " + quoted(*value));
    return std::nullopt;
}

std::optional<std::string> required_text(const Json& object, std::string_view key,
                                         const std::string& path, const std::string& hint,
                                         ImportedRecords& out) {
    size_t errors = out.errors.size();
    auto text = text_member(object, key, path, out);
    if (!text && errors == out.errors.size())
        fail_field(out, member_path(path, key), "missing" + hint);
    return text;
}

std::optional<std::string> unix_time_text(const Json& value, const std::string& path,
                                          ImportedRecords& out) {
    constexpr int64_t kSecondsPerDay = 86400;
    constexpr int64_t kLastSecond = 253402300799;  // 9999-12-31T23:59:59Z
    if (!value.is_number_integer() && !value.is_string()) {
        fail_field(out, path, "expected unix seconds (an integer), got " + quoted(value));
        return std::nullopt;
    }
    std::optional<int64_t> seconds = count_value(value, path, out);
    if (!seconds) return std::nullopt;
    if (*seconds > kLastSecond) {
        fail_field(out, path, "unix seconds beyond the year 9999: " + std::to_string(*seconds));
        return std::nullopt;
    }
    int64_t year = 0;
    int month = 0, day = 0;
    civil_from_days(*seconds / kSecondsPerDay, year, month, day);
    int64_t in_day = *seconds % kSecondsPerDay;
    return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" +
           padded(in_day / 3600, 2) + ":" + padded(in_day / 60 % 60, 2) + ":" +
           padded(in_day % 60, 2) + "Z";
}

std::optional<std::string> service_tier_text(const Json& value, const std::string& path,
                                             ImportedRecords& out) {
    std::optional<ServiceTier> tier;
    if (value.is_string()) tier = parse_service_tier(value.get<std::string>());
    if (tier) return service_tier_name(*tier);
    fail_field(out, path,
               "expected a service tier cost-ops prices (standard, batch, priority or flex), got " +
                   quoted(value));
    return std::nullopt;
}

void report_unknown(const Json& object, const std::string& prefix,
                    const std::vector<std::string_view>& known, ImportedRecords& out) {
    if (!object.is_object()) return;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
            out.unknown.push_back(prefix + it.key());
        }
    }
}

std::optional<std::string> timestamp_value(const Json& value, const std::string& path,
                                           ImportedRecords& out) {
    ParsedTimestamp parsed;
    std::string why = "expected a timestamp text";
    if (value.is_string() && parse_timestamp(value.get<std::string>(), parsed, why)) {
        return value.get<std::string>();
    }
    fail_field(out, path, why + ", got " + quoted(value));
    return std::nullopt;
}

std::optional<std::string> required_timestamp(const Json& object, std::string_view key,
                                              const std::string& path, ImportedRecords& out) {
    const Json* value = required_member(object, key, path, out);
    if (value == nullptr) return std::nullopt;
    return timestamp_value(*value, member_path(path, key), out);
}

void copy_members(const Json& from, const std::vector<std::string_view>& keys, Json& to) {
    for (std::string_view key : keys) {
        if (const Json* value = find_member(from, key)) to[std::string(key)] = *value;
    }
}

std::string bucket_request_id(std::string_view source, const std::string& start, const Json& result,
                              const std::vector<std::string_view>& dimensions) {
    std::string id = std::string(source) + ":" + encoded_part(start);
    for (std::string_view key : dimensions) id += ":" + encoded_part(key_text(result, key));
    return id;
}

void for_each_bucket(const Json& source, const BucketLayout& layout, ImportedRecords& out,
                     const std::function<void(const Json& bucket, const std::string& path,
                                              const std::string& unknown_prefix)>& on_bucket) {
    if (find_member(source, "results") != nullptr) {
        report_unknown(source, "", layout.bucket_members, out);
        on_bucket(source, "", "");
        return;
    }
    const Json* data = find_member(source, "data");
    if (data == nullptr || !data->is_array()) {
        fail_field(out, "data",
                   "expected a usage page ({\"data\": [bucket, ...], ...}) or one of its "
                   "buckets ({\"results\": [...], ...})");
        return;
    }
    report_unknown(source, "", layout.page_members, out);
    for (size_t i = 0; i < data->size(); ++i) {
        report_unknown((*data)[i], "data[].", layout.bucket_members, out);
        on_bucket((*data)[i], element_path("data", i), "data[].");
    }
}

void for_each_result(const Json& bucket, const std::string& path, const std::string& unknown_prefix,
                     ImportedRecords& out,
                     const std::function<void(const Json& result, const std::string& path,
                                              const std::string& unknown_prefix)>& on_result) {
    const Json* results = find_member(bucket, "results");
    std::string results_path = member_path(path, "results");
    if (results == nullptr || !results->is_array()) {
        fail_field(out, results_path, "expected an array of results");
        return;
    }
    for (size_t i = 0; i < results->size(); ++i) {
        on_result((*results)[i], element_path(results_path, i), unknown_prefix + "results[].");
    }
}

}  // namespace costops::cli
