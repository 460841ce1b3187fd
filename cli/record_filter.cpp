#include "record_filter.hpp"

#include <regex>
#include <vector>

#include "cli_error.hpp"
#include "text_case.hpp"
#include "timestamps.hpp"

namespace costops::cli {

const char* const kRangeHelp =
    "last-24-hours, last-7-days, last-30-days, last-N-hours, last-N-days, today, yesterday, "
    "this-month, last-month, a date (that whole day), or FROM..TO with dates or timestamps "
    "(a TO date includes that whole day; either side may be empty); UTC; default: all time";

namespace {

// SQL for one side of FROM..TO: a timestamp literal, the day after a TO date, or "".
std::string bound_sql(const std::string& text, bool upper, pqxx::connection& conn) {
    if (text.empty()) return "";
    ParsedTimestamp t;
    std::string why;
    if (!parse_timestamp(text, t, why)) {
        throw CliError("invalid range bound '" + text + "': " + why);
    }
    std::string value = upper && !t.has_time ? next_day_text(t) : timestamptz_text(t);
    return conn.quote(value) + "::timestamptz";
}

// Whether FROM..TO is reversed, comparing the instants as PostgreSQL will (UTC, TO dates
// inclusive).
bool ends_before_it_starts(const std::string& from, const std::string& to) {
    ParsedTimestamp a, b;
    std::string why;
    if (!parse_timestamp(from, a, why) || !parse_timestamp(to, b, why)) return false;
    if (!a.zone.empty() || !b.zone.empty()) return false;  // zones: let the empty result say it
    std::string start = timestamptz_text(a),
                end = b.has_time ? timestamptz_text(b) : next_day_text(b);
    return end <= start;
}

// The time predicate of a range, or "" for all time.
std::string range_predicate(const std::string& range, pqxx::connection& conn) {
    if (range.empty() || range == "all") return "";
    static const std::regex last(R"(last-(\d+)-(hours?|days?))");
    std::smatch m;
    if (std::regex_match(range, m, last)) {
        std::string unit = m[2].str()[0] == 'h' ? "hours" : "days";
        return "\"timestamp\" >= now() - interval " + conn.quote(m[1].str() + " " + unit);
    }
    const std::string day = "date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";
    const std::string month = "date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";
    if (range == "today") return "\"timestamp\" >= " + day;
    if (range == "yesterday") {
        return "\"timestamp\" >= " + day + " - interval '1 day' AND \"timestamp\" < " + day;
    }
    if (range == "this-month") return "\"timestamp\" >= " + month;
    if (range == "last-month") {
        return "\"timestamp\" >= " + month + " - interval '1 month' AND \"timestamp\" < " + month;
    }
    size_t dots = range.find("..");
    ParsedTimestamp one_date;
    std::string why;
    if (dots == std::string::npos && parse_timestamp(range, one_date, why) && !one_date.has_time) {
        return range_predicate(range + ".." + range, conn);  // one date: that whole day
    }
    if (dots == std::string::npos) {
        throw CliError("unknown range '" + range + "': use " + kRangeHelp);
    }
    std::string from = bound_sql(range.substr(0, dots), false, conn);
    std::string to = bound_sql(range.substr(dots + 2), true, conn);
    if (!from.empty() && !to.empty() &&
        ends_before_it_starts(range.substr(0, dots), range.substr(dots + 2))) {
        throw CliError("range '" + range + "' ends before it starts");
    }
    std::vector<std::string> parts;
    if (!from.empty()) parts.push_back("\"timestamp\" >= " + from);
    if (!to.empty()) parts.push_back("\"timestamp\" < " + to);
    if (parts.empty()) return "";
    return parts.size() == 1 ? parts[0] : parts[0] + " AND " + parts[1];
}

}  // namespace

void add_key_filter_options(CLI::App& cmd, RecordFilter& filter) {
    cmd.add_option("--provider", filter.provider, "only this provider");
    cmd.add_option("--model", filter.model, "only this model (as recorded)");
    cmd.add_option("--organization", filter.organization, "only this organization_id");
    cmd.add_option("--project", filter.project, "only this project_id");
    cmd.add_option("--user", filter.user, "only this user_id");
}

std::string where_clause(const RecordFilter& filter, pqxx::connection& conn) {
    std::vector<std::string> parts;
    std::string time = range_predicate(filter.range, conn);
    if (!time.empty()) parts.push_back(time);
    auto equal = [&](const char* column, const std::string& value) {
        if (!value.empty()) parts.push_back(std::string(column) + " = " + conn.quote(value));
    };
    equal("provider", lower_case(filter.provider));
    equal("model", filter.model);
    equal("organization_id", filter.organization);
    equal("project_id", filter.project);
    equal("user_id", filter.user);
    if (filter.unpriced_only) parts.push_back("total_cost IS NULL");
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? " AND " : " WHERE ") + parts[i];
    return out;
}

}  // namespace costops::cli
