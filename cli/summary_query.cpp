#include "summary_query.hpp"

#include <optional>
#include <sstream>

#include "cli_error.hpp"
#include "db/result_rows.hpp"

namespace costops::cli {

namespace {

// The keys of a comma-separated --group-by list; day, month and hour are local to `local`.
std::vector<GroupKey> parse_group_by(const std::string& list, const LocalTimeSql& local) {
    std::vector<GroupKey> keys;
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        if (name.empty()) continue;
        const std::string wall = local.at_zone("u.\"timestamp\"");
        if (name == "provider")
            keys.push_back({"provider", "u.provider"});
        else if (name == "model")
            keys.push_back({"model", "u.model"});
        else if (name == "organization")
            keys.push_back({"organization_id", "u.organization_id"});
        else if (name == "project")
            keys.push_back({"project_id", "u.project_id"});
        else if (name == "user")
            keys.push_back({"user_id", "u.user_id"});
        else if (name == "day" || name == "month") {
            // Grouped by the local day (month) itself, labelled once per group: formatting
            // each row's time as text to group it would cost more than the sums.
            std::string start = "date_trunc('" + name + "', " + wall + ")";
            keys.push_back(
                {name, start,
                 "to_char(" + start + (name == "day" ? ", 'YYYY-MM-DD')" : ", 'YYYY-MM')")});
        } else if (name == "hour") {
            std::string hour = local.hour_start("u.\"timestamp\"");
            keys.push_back({"hour", hour, local.hour_label(hour)});
        } else {
            throw CliError("unknown --group-by key '" + name +
                           "': use provider, model, organization, project, user, day, month, hour");
        }
    }
    return keys;
}

// The measure columns every summary row has.
const std::vector<Column>& measure_columns() {
    static const std::vector<Column> columns = {
        {"requests", ColumnKind::Integer},          {"priced", ColumnKind::Integer},
        {"unpriced", ColumnKind::Integer},          {"prompt_tokens", ColumnKind::Integer},
        {"completion_tokens", ColumnKind::Integer}, {"cached_tokens", ColumnKind::Integer},
        {"total_tokens", ColumnKind::Integer},      {"input_cost", ColumnKind::Cost},
        {"output_cost", ColumnKind::Cost},          {"total_cost", ColumnKind::Cost}};
    return columns;
}

// The keys as cost_ops.daily_costs has them (UTC days), each giving the same output from the
// rollup; nullopt when one of them is not in it.
std::optional<std::vector<GroupKey>> rollup_keys(const std::vector<GroupKey>& keys) {
    std::vector<GroupKey> out;
    for (const auto& k : keys) {
        if (k.column == "provider" || k.column == "model" || k.column == "organization_id" ||
            k.column == "project_id") {
            out.push_back(k);
        } else if (k.column == "day") {
            out.push_back({k.column, "u.day", "to_char(u.day, 'YYYY-MM-DD')"});
        } else if (k.column == "month") {
            out.push_back({k.column, "date_trunc('month', u.day)",
                           "to_char(date_trunc('month', u.day), 'YYYY-MM')"});
        } else {
            return std::nullopt;
        }
    }
    return out;
}

// The exact total cost of a group, over the raw rows or the rollup.
std::string total_cost_sql(bool rollup) {
    return rollup ? "CASE WHEN sum(u.priced_records) > 0 THEN cost_ops.sum(u.total_cost) END"
                  : "cost_ops.sum(u.total_cost)";
}

// The measure columns' SQL: over the raw rows, or over the rows of changes the rollup holds
// per key (a cost sum of no costed rows is NULL, as over the rows).
std::string measures_sql(bool rollup) {
    if (!rollup) {
        return "count(*), count(u.total_cost), count(*) - count(u.total_cost), "
               "coalesce(sum(u.prompt_tokens), 0), coalesce(sum(u.completion_tokens), 0), "
               "coalesce(sum(u.cached_tokens), 0), coalesce(sum(u.total_tokens), 0), "
               "cost_ops.sum(u.input_cost), cost_ops.sum(u.output_cost), " +
               total_cost_sql(false);
    }
    return "coalesce(sum(u.records), 0), coalesce(sum(u.priced_records), 0), "
           "coalesce(sum(u.records - u.priced_records), 0), "
           "coalesce(sum(u.prompt_tokens), 0), coalesce(sum(u.completion_tokens), 0), "
           "coalesce(sum(u.cached_tokens), 0), coalesce(sum(u.total_tokens), 0), "
           "CASE WHEN sum(u.input_costed) > 0 THEN cost_ops.sum(u.input_cost) END, "
           "CASE WHEN sum(u.output_costed) > 0 THEN cost_ops.sum(u.output_cost) END, " +
           total_cost_sql(true);
}

// One SQL statement: the groups and, through GROUPING SETS, the grand total (last row); over
// cost_ops.daily_costs when `rollup` (`where` is then daily_costs_where's), else the rows.
std::string summary_sql(const std::vector<GroupKey>& keys, const std::string& where, bool rollup) {
    std::string key_list, order;
    for (size_t i = 0; i < keys.size(); ++i) {
        key_list += (i ? ", " : "") + keys[i].sql;
        bool time_key =
            keys[i].column == "day" || keys[i].column == "month" || keys[i].column == "hour";
        if (time_key) order += keys[i].sql + ", ";
    }
    std::string sql = "SELECT ";
    for (const auto& k : keys) sql += (k.label.empty() ? k.sql : k.label) + ", ";
    sql += measures_sql(rollup);
    sql += keys.empty() ? ", 1" : ", GROUPING(" + key_list + ")";
    sql += std::string(rollup ? " FROM cost_ops.daily_costs AS u"
                              : " FROM cost_ops.usage_records AS u") +
           where;
    if (!keys.empty()) {
        sql += " GROUP BY GROUPING SETS ((" + key_list + "), ())";
        // A key of the rollup whose rows were all deleted has changes summing to no record.
        if (rollup) sql += " HAVING sum(u.records) <> 0 OR GROUPING(" + key_list + ") <> 0";
        sql += " ORDER BY GROUPING(" + key_list + "), " + order + total_cost_sql(rollup) +
               " DESC NULLS LAST, " + key_list;
    }
    return sql;
}

}  // namespace

const Cell& SummaryResult::total_measure(const std::string& name) const {
    for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == name && i >= keys.size()) return total[i];
    }
    throw std::logic_error("no summary measure " + name);
}

SummaryResult run_summary(pqxx::connection& conn, const RecordFilter& filter,
                          const std::string& group_by) {
    SummaryResult out;
    out.keys = parse_group_by(group_by, LocalTimeSql(filter, conn));
    std::string where = where_clause(filter, conn);
    std::optional<std::string> rollup_where = daily_costs_where(filter, conn);
    pqxx::work tx(conn);
    // The rollup when it holds the answer and is kept (README "Scaling out"): the same output.
    std::optional<std::vector<GroupKey>> from_rollup =
        rollup_where && tx.exec1("SELECT cost_ops.daily_costs_kept()")[0].as<bool>()
            ? rollup_keys(out.keys)
            : std::nullopt;
    pqxx::result r = from_rollup ? tx.exec(summary_sql(*from_rollup, *rollup_where, true))
                                 : tx.exec(summary_sql(out.keys, where, false));
    for (const auto& k : out.keys) out.columns.push_back({k.column, ColumnKind::Text});
    for (const auto& m : measure_columns()) out.columns.push_back(m);
    for (const auto& db_row : r) {
        Row row = result_row(db_row);
        bool is_total = *row.back() != "0";  // the GROUPING() column after the measures
        row.pop_back();
        if (is_total) {
            out.total = std::move(row);
        } else {
            out.groups.push_back(std::move(row));
        }
    }
    tx.commit();
    return out;
}

}  // namespace costops::cli
