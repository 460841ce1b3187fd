// The filters query, summary and export share: a time range and key equalities, rendered as
// an SQL WHERE clause with every value quoted by the connection.
#pragma once

#include <string>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

namespace costops::cli {

struct RecordFilter {
    std::string range;  // last-24-hours, last-7-days, last-30-days, last-N-hours|days, today,
                        // yesterday, this-month, last-month, FROM..TO; empty = all time
    std::string provider, model, organization, project, user;
    bool unpriced_only = false;
};

// Adds --provider, --model, --organization, --project, --user to a command; the range option
// is added by the caller because its name differs (--range / --period).
void add_key_filter_options(CLI::App& cmd, RecordFilter& filter);

// " WHERE ..." (or "") for cost_ops.usage_records; throws CliError for a bad range.
std::string where_clause(const RecordFilter& filter, pqxx::connection& conn);

// The help text describing the range forms.
extern const char* const kRangeHelp;

}  // namespace costops::cli
