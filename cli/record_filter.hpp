// The filters query, summary, export and reprice share: a time range read in a time zone and key
// equalities, rendered as an SQL WHERE clause with every value quoted by the connection.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

namespace costops::cli {

struct RecordFilter {
    std::string range;  // last-24-hours, last-7-days, last-30-days, last-N-hours|days, today,
                        // yesterday, this-month, last-month, FROM..TO; empty = all time
    std::string timezone = "UTC";  // IANA zone whose local days the range and buckets use
    std::string provider, model, organization, project, user;
    bool unpriced_only = false;
};

// Adds the range option under `names` ("--range", "--period,--range") and --timezone.
void add_range_options(CLI::App& cmd, RecordFilter& filter, const std::string& names = "--range");

// Adds --timezone alone, for a command whose days are local but that takes no range.
void add_timezone_option(CLI::App& cmd, RecordFilter& filter);

// Adds --provider, --model, --organization, --project, --user to a command.
void add_key_filter_options(CLI::App& cmd, RecordFilter& filter);

// " WHERE ..." (or "") for cost_ops.usage_records; checks the zone first, so no transaction may
// be open on `conn`; throws CliError for a bad range or time zone.
std::string where_clause(const RecordFilter& filter, pqxx::connection& conn);

// The same filter as " WHERE ..." (or "") for cost_ops.daily_costs, or nullopt when the rollup
// cannot answer it: a --timezone other than UTC, a range not of whole UTC days (last-N-*,
// times), --user or --unpriced-only. Call where_clause first (it checks the range).
std::optional<std::string> daily_costs_where(const RecordFilter& filter, pqxx::connection& conn);

// The zone-aware SQL expressions of a filter's zone (the session zone, and output, stay UTC).
class LocalTimeSql {
  public:
    // Quotes the filter's zone name with the connection.
    LocalTimeSql(const RecordFilter& filter, pqxx::connection& conn);

    // `expr AT TIME ZONE zone`: timestamptz to local wall time, or wall time to timestamptz.
    std::string at_zone(const std::string& expr) const;

    // The timestamptz starting the local hour of `expr` (a repeated wall hour stays two hours).
    std::string hour_start(const std::string& expr) const;

    // The local hour starting at the timestamptz `hour`, as "YYYY-MM-DDTHH:00±HH:MM" text.
    std::string hour_label(const std::string& hour) const;

  private:
    std::string zone_;  // the quoted zone name
};

}  // namespace costops::cli
