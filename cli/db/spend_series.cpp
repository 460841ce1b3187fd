#include "spend_series.hpp"

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// The SQL of a record's local bucket number: days or wall hours since 1970-01-01T00:00 local.
std::string bucket_sql(Bucket bucket, const LocalTimeSql& local) {
    std::string wall = local.at_zone("u.\"timestamp\"");
    if (bucket == Bucket::Day) return "(date_trunc('day', " + wall + ")::date - DATE '1970-01-01')";
    return "floor(extract(epoch FROM date_trunc('hour', " + wall + ")) / 3600)::bigint";
}

}  // namespace

std::string dimension_column(const std::string& name, const std::string& option) {
    if (name == "provider") return "u.provider";
    if (name == "model") return "u.model";
    if (name == "organization") return "u.organization_id";
    if (name == "project") return "u.project_id";
    if (name == "user") return "u.user_id";
    throw CliError("unknown " + option + " '" + name +
                   "': use provider, model, organization, project or user");
}

SpendRows read_spend(pqxx::work& tx, const std::string& column, Bucket bucket,
                     const std::string& where, const LocalTimeSql& local) {
    std::string key = column.empty() ? "'all'" : column;
    pqxx::result r =
        tx.exec("SELECT " + key + ", " + bucket_sql(bucket, local) +
                ", cost_ops.sum(u.total_cost), coalesce(sum(u.completion_tokens), 0), "
                "coalesce(sum(u.prompt_tokens + u.completion_tokens), 0) "
                "FROM cost_ops.usage_records AS u" +
                and_where(where, "u.\"timestamp\" <= now()") + " GROUP BY 1, 2 ORDER BY 1, 2");
    SpendRows rows;
    for (const auto& row : r) {
        int64_t b = row[1].as<int64_t>();
        if (!rows.first || b < *rows.first) rows.first = b;
        if (!rows.last || b > *rows.last) rows.last = b;
        std::string label = row[0].is_null() ? kNoKeyLabel : row[0].c_str();
        auto& entity = rows.by_entity[label];
        if (!row[2].is_null()) entity.emplace_back(b, Decimal::parse(row[2].c_str()));
        rows.tokens[label][b] = {row[3].as<int64_t>(), row[4].as<int64_t>()};
    }
    return rows;
}

std::string since_bucket_condition(Bucket bucket, int64_t first, const LocalTimeSql& local) {
    int64_t seconds = first * (bucket == Bucket::Day ? 86400 : 3600);
    return local.at_zone("u.\"timestamp\"") + " >= TIMESTAMP 'epoch' + " + std::to_string(seconds) +
           " * INTERVAL '1 second'";
}

std::string and_where(const std::string& where, const std::string& condition) {
    return (where.empty() ? " WHERE " : where + " AND ") + condition;
}

}  // namespace costops::cli
