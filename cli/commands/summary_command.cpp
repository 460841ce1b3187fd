// cost-ops summary: exact totals of requests, tokens and costs, grouped by keys.
#include <iostream>
#include <optional>
#include <sstream>

#include "../cli_error.hpp"
#include "../output/row_sink.hpp"
#include "../record_filter.hpp"
#include "exact_json.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// A --group-by key: its output column, SQL expression, and the SQL shown for it if not that.
struct GroupKey {
    std::string column, sql;
    std::string label = "";  // computed from `sql`, which stays the grouping and sort key
};

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

// Prints the summary in `format`: the total is a last "TOTAL" row (table) or its own member
// (json); csv holds the groups only, so summing its columns counts every record once (with no
// --group-by, its one row is the total).
void print_summary(OutputFormat format, const std::vector<Column>& columns,
                   const std::vector<Row>& groups, const Row& total, const std::string& range,
                   const std::vector<GroupKey>& keys) {
    size_t nkeys = keys.size();
    if (format == OutputFormat::Json || format == OutputFormat::Ndjson) {
        std::vector<Column> measures(columns.begin() + static_cast<long>(nkeys), columns.end());
        Row total_measures(total.begin() + static_cast<long>(nkeys), total.end());
        Json group_by = Json::array();
        for (const auto& k : keys) group_by.push_back(k.column);
        std::cout << "{\"range\":" << Json(range.empty() ? "all" : range).dump()
                  << ",\"group_by\":" << group_by.dump() << ",\"groups\":[";
        for (size_t i = 0; i < groups.size(); ++i) {
            std::cout << (i ? ",\n  " : "\n  ") << json_object(columns, groups[i]);
        }
        std::cout << (groups.empty() ? "]" : "\n]")
                  << ",\"total\":" << json_object(measures, total_measures) << "}\n";
        return;
    }
    auto sink = make_row_sink(format, std::cout);
    sink->begin(columns);
    for (const auto& row : groups) sink->row(row);
    if (format == OutputFormat::Table || nkeys == 0) {
        Row labelled = total;
        if (nkeys > 0) labelled[0] = std::string("TOTAL");
        sink->row(labelled);
    }
    sink->end();
}

}  // namespace

void register_summary_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "summary",
        "Exact totals of requests, tokens and costs, grouped (days of --timezone, default UTC).\n"
        "Hour buckets are labelled with their UTC offset (2025-10-26T02:00+02:00), so the hour\n"
        "repeated when clocks go back is two buckets.\n"
        "Unpriced records (no price for their model, time or service tier) are counted apart:\n"
        "their cost is unknown, not zero.\n"
        "Examples:\n"
        "  cost-ops summary --period last-30-days\n"
        "  cost-ops summary --group-by day,model --output csv\n"
        "  cost-ops summary --group-by day --timezone Europe/Paris --period last-month");
    struct Options {
        RecordFilter filter;
        std::string group_by = "provider,model", output = "table";
    };
    auto o = std::make_shared<Options>();
    add_range_options(*cmd, o->filter, "--period,--range");
    cmd->add_option("--group-by", o->group_by,
                    "comma-separated: provider, model, organization, project, user, day, month, "
                    "hour (default provider,model; \"\" for the total only)");
    add_key_filter_options(*cmd, o->filter);
    cmd->add_option("--output,-o", o->output, "table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd->callback([&ctx, o] {
        OutputFormat format = parse_output_format(o->output);
        pqxx::connection& conn = ctx.connection();
        std::vector<GroupKey> keys = parse_group_by(o->group_by, LocalTimeSql(o->filter, conn));
        std::string where = where_clause(o->filter, conn);
        std::optional<std::string> rollup_where = daily_costs_where(o->filter, conn);
        pqxx::work tx(conn);
        std::optional<std::vector<GroupKey>> from_rollup =
            rollup_where && tx.exec1("SELECT cost_ops.daily_costs_kept()")[0].as<bool>()
                ? rollup_keys(keys)
                : std::nullopt;
        pqxx::result r = from_rollup ? tx.exec(summary_sql(*from_rollup, *rollup_where, true))
                                     : tx.exec(summary_sql(keys, where, false));
        std::vector<Column> columns;
        for (const auto& k : keys) columns.push_back({k.column, ColumnKind::Text});
        for (const auto& m : measure_columns()) columns.push_back(m);
        std::vector<Row> groups;
        Row total;
        for (const auto& db_row : r) {
            Row row;
            for (size_t i = 0; i < columns.size(); ++i) {
                row.push_back(db_row[static_cast<int>(i)].is_null()
                                  ? Cell()
                                  : Cell(db_row[static_cast<int>(i)].c_str()));
            }
            bool is_total = db_row[static_cast<int>(columns.size())].as<long>() != 0;
            if (is_total) {
                total = std::move(row);
            } else {
                groups.push_back(std::move(row));
            }
        }
        print_summary(format, columns, groups, total, o->filter.range, keys);
        if (format == OutputFormat::Table && !total.empty() && total[keys.size() + 2] &&
            *total[keys.size() + 2] != "0") {
            std::cout << *total[keys.size() + 2]
                      << " unpriced records are not in the costs; 'cost-ops query --unpriced' "
                         "lists them with their unpriced_reason\n";
        }
    });
}

}  // namespace costops::cli
