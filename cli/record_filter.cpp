#include "record_filter.hpp"

#include <optional>
#include <regex>
#include <vector>

#include "cli_error.hpp"
#include "text_case.hpp"
#include "timestamps.hpp"

namespace costops::cli {

namespace {

const char* const kRangeHelp =
    "last-24-hours, last-7-days, last-30-days, last-N-hours, last-N-days, today, yesterday, "
    "this-month, last-month, a date (that whole day), or FROM..TO with dates or timestamps "
    "(a TO date includes that whole day; either side may be empty); days, months and bounds "
    "without an offset are in --timezone (a bound with an offset such as +02:00 keeps it); "
    "last-N-* count back from now; default: all time";

const char* const kTimezoneHelp =
    "IANA time zone (Europe/Paris, America/New_York...) whose local days and months the range, "
    "summary's day/month/hour buckets and the days of forecast and anomalies use; default UTC. "
    "Record timestamps in the output stay UTC (RFC 3339)";

// Throws CliError unless PostgreSQL knows `zone` as a time zone name (UTC needs no lookup).
void check_timezone(const std::string& zone, pqxx::connection& conn) {
    if (zone == "UTC") return;
    pqxx::nontransaction tx(conn);
    if (tx.exec_params("SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = $1", zone)
            .empty()) {
        throw CliError("unknown time zone '" + zone + "': see pg_timezone_names");
    }
}

// The local wall time of a zone-less timestamp, as text PostgreSQL reads as a plain timestamp.
std::string local_text(const ParsedTimestamp& t) {
    std::string text = timestamptz_text(t);
    return text.substr(0, text.size() - 6);  // drops the "+00:00" a zone-less t is given
}

// SQL for one side of FROM..TO (the day after a TO date), local to `local` without an offset.
std::string bound_sql(const std::string& text, bool upper, const LocalTimeSql& local,
                      pqxx::connection& conn) {
    if (text.empty()) return "";
    ParsedTimestamp t;
    std::string why;
    if (!parse_timestamp(text, t, why)) {
        throw CliError("invalid range bound '" + text + "': " + why);
    }
    std::string day_after = upper && !t.has_time ? " + interval '1 day'" : "";
    if (!t.zone.empty()) {
        // A fixed offset has no DST, and the session zone is UTC: a day is 24 hours here.
        return "(" + conn.quote(timestamptz_text(t)) + "::timestamptz" + day_after + ")";
    }
    return local.at_zone("(" + conn.quote(local_text(t)) + "::timestamp" + day_after + ")");
}

// Whether FROM..TO (their SQL, TO dates inclusive) ends at or before it starts, as the
// database reads both bounds: offsets and --timezone included.
bool ends_before_it_starts(const std::string& from_sql, const std::string& to_sql,
                           pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return tx.exec1("SELECT " + to_sql + " <= " + from_sql)[0].as<bool>();
}

// The instant the local `unit` (day, month) containing now starts, or the one `offset` units
// before (-1) or after (+1) it.
std::string local_start_sql(const std::string& unit, int offset, const LocalTimeSql& local) {
    std::string start = "date_trunc('" + unit + "', " + local.at_zone("now()") + ")";
    if (offset != 0) {
        start = "(" + start + (offset < 0 ? " - " : " + ") + "interval '1 " + unit + "')";
    }
    return local.at_zone(start);
}

// The time predicate of a range in `local`'s zone, or "" for all time.
std::string range_predicate(const std::string& range, const LocalTimeSql& local,
                            pqxx::connection& conn) {
    if (range.empty() || range == "all") return "";
    static const std::regex last(R"(last-(\d+)-(hours?|days?))");
    std::smatch m;
    if (std::regex_match(range, m, last)) {
        std::string unit = m[2].str()[0] == 'h' ? "hours" : "days";
        // Up to now: a record dated in the future is in no "last" window.
        return "\"timestamp\" >= now() - interval " + conn.quote(m[1].str() + " " + unit) +
               " AND \"timestamp\" <= now()";
    }
    const std::string since = "\"timestamp\" >= ", until = " AND \"timestamp\" < ";
    // Each a whole local day or month: records dated later are not in it.
    if (range == "today" || range == "yesterday") {
        int first = range == "today" ? 0 : -1;
        return since + local_start_sql("day", first, local) + until +
               local_start_sql("day", first + 1, local);
    }
    if (range == "this-month" || range == "last-month") {
        int first = range == "this-month" ? 0 : -1;
        return since + local_start_sql("month", first, local) + until +
               local_start_sql("month", first + 1, local);
    }
    size_t dots = range.find("..");
    ParsedTimestamp one_date;
    std::string why;
    if (dots == std::string::npos && parse_timestamp(range, one_date, why) && !one_date.has_time) {
        return range_predicate(range + ".." + range, local, conn);  // one date: that whole day
    }
    if (dots == std::string::npos) {
        throw CliError("unknown range '" + range + "': use " + kRangeHelp);
    }
    std::string from = bound_sql(range.substr(0, dots), false, local, conn);
    std::string to = bound_sql(range.substr(dots + 2), true, local, conn);
    if (!from.empty() && !to.empty() && ends_before_it_starts(from, to, conn)) {
        throw CliError("range '" + range + "' ends before it starts");
    }
    std::vector<std::string> parts;
    if (!from.empty()) parts.push_back("\"timestamp\" >= " + from);
    if (!to.empty()) parts.push_back("\"timestamp\" < " + to);
    if (parts.empty()) return "";
    return parts.size() == 1 ? parts[0] : parts[0] + " AND " + parts[1];
}

}  // namespace

void add_range_options(CLI::App& cmd, RecordFilter& filter, const std::string& names) {
    cmd.add_option(names, filter.range, kRangeHelp);
    add_timezone_option(cmd, filter);
}

void add_timezone_option(CLI::App& cmd, RecordFilter& filter) {
    cmd.add_option("--timezone", filter.timezone, kTimezoneHelp);
}

void add_key_filter_options(CLI::App& cmd, RecordFilter& filter) {
    cmd.add_option("--provider", filter.provider, "only this provider");
    cmd.add_option("--model", filter.model, "only this model (as recorded)");
    cmd.add_option("--organization", filter.organization, "only this organization_id");
    cmd.add_option("--project", filter.project, "only this project_id");
    cmd.add_option("--user", filter.user, "only this user_id");
}

namespace {

// Adds to `parts` the equality predicates of the filter's keys that are given.
void add_key_predicates(const RecordFilter& filter, pqxx::connection& conn,
                        std::vector<std::string>& parts) {
    auto equal = [&](const char* column, const std::string& value) {
        if (!value.empty()) parts.push_back(std::string(column) + " = " + conn.quote(value));
    };
    equal("provider", lower_case(filter.provider));
    equal("model", filter.model);
    equal("organization_id", filter.organization);
    equal("project_id", filter.project);
    equal("user_id", filter.user);
}

// " WHERE a AND b ..." of `parts`, or "" for none.
std::string joined_where(const std::vector<std::string>& parts) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? " AND " : " WHERE ") + parts[i];
    return out;
}

// The range as a predicate on the UTC `day` of cost_ops.daily_costs ("" for all time), or
// nullopt when it does not start and end at UTC midnights (last-N-*, times, offsets).
std::optional<std::string> utc_day_predicate(const std::string& range, pqxx::connection& conn) {
    const std::string today = "(now() AT TIME ZONE 'UTC')::date";
    const std::string month = "date_trunc('month', now() AT TIME ZONE 'UTC')";
    if (range.empty() || range == "all") return std::string();
    if (range == "today") return "day = " + today;
    if (range == "yesterday") return "day = " + today + " - 1";
    if (range == "this-month") {
        return "day >= " + month + "::date AND day < (" + month + " + interval '1 month')::date";
    }
    if (range == "last-month") {
        return "day >= (" + month + " - interval '1 month')::date AND day < " + month + "::date";
    }
    size_t dots = range.find("..");
    const std::string from = range.substr(0, dots);
    const std::string to = dots == std::string::npos ? from : range.substr(dots + 2);
    std::vector<std::string> parts;
    for (const auto& [text, op] : {std::pair{from, " >= "}, std::pair{to, " <= "}}) {
        ParsedTimestamp t;
        std::string why;
        if (text.empty()) continue;
        if (!parse_timestamp(text, t, why) || t.has_time || !t.zone.empty()) return std::nullopt;
        parts.push_back("day" + std::string(op) + conn.quote(text) + "::date");
    }
    if (parts.empty()) return std::string();
    return parts.size() == 1 ? parts[0] : parts[0] + " AND " + parts[1];
}

}  // namespace

std::string where_clause(const RecordFilter& filter, pqxx::connection& conn) {
    check_timezone(filter.timezone, conn);
    std::vector<std::string> parts;
    std::string time = range_predicate(filter.range, LocalTimeSql(filter, conn), conn);
    if (!time.empty()) parts.push_back(time);
    add_key_predicates(filter, conn, parts);
    if (filter.unpriced_only) parts.push_back("total_cost IS NULL");
    return joined_where(parts);
}

std::optional<std::string> daily_costs_where(const RecordFilter& filter, pqxx::connection& conn) {
    if (filter.timezone != "UTC" || !filter.user.empty() || filter.unpriced_only) {
        return std::nullopt;
    }
    std::optional<std::string> days = utc_day_predicate(filter.range, conn);
    if (!days) return std::nullopt;
    std::vector<std::string> parts;
    if (!days->empty()) parts.push_back(*days);
    add_key_predicates(filter, conn, parts);
    return joined_where(parts);
}

LocalTimeSql::LocalTimeSql(const RecordFilter& filter, pqxx::connection& conn)
    : zone_(conn.quote(filter.timezone)) {}

std::string LocalTimeSql::at_zone(const std::string& expr) const {
    return "(" + expr + " AT TIME ZONE " + zone_ + ")";
}

std::string LocalTimeSql::hour_start(const std::string& expr) const {
    // Unlike truncating the wall time, this keeps the offset the instant had.
    return "date_trunc('hour', " + expr + ", " + zone_ + ")";
}

std::string LocalTimeSql::hour_label(const std::string& hour) const {
    std::string offset = "(" + at_zone(hour) + " - (" + hour + " AT TIME ZONE 'UTC'))";
    return "(to_char(" + at_zone(hour) + ", 'YYYY-MM-DD\"T\"HH24:00') || CASE WHEN " + offset +
           " < interval '0' THEN '-' ELSE '+' END || to_char(greatest(" + offset + ", -" + offset +
           "), 'HH24:MI'))";
}

}  // namespace costops::cli
