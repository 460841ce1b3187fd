#include "usage_columns.hpp"

namespace costops::cli {

const std::vector<Column>& usage_record_columns() {
    static const std::vector<Column> columns = {{"timestamp", ColumnKind::Timestamp},
                                                {"provider", ColumnKind::Text},
                                                {"model", ColumnKind::Text},
                                                {"organization_id", ColumnKind::Text},
                                                {"total_tokens", ColumnKind::Integer},
                                                {"prompt_tokens", ColumnKind::Integer},
                                                {"completion_tokens", ColumnKind::Integer},
                                                {"cached_tokens", ColumnKind::Integer},
                                                {"cache_write_tokens", ColumnKind::Integer},
                                                {"reasoning_tokens", ColumnKind::Integer},
                                                {"project_id", ColumnKind::Text},
                                                {"user_id", ColumnKind::Text},
                                                {"request_id", ColumnKind::Text},
                                                {"latency_ms", ColumnKind::Integer},
                                                {"input_cost", ColumnKind::Cost},
                                                {"output_cost", ColumnKind::Cost},
                                                {"total_cost", ColumnKind::Cost},
                                                {"pricing_id", ColumnKind::Integer},
                                                {"metadata", ColumnKind::Json},
                                                {"cache_write_1h_tokens", ColumnKind::Integer},
                                                {"service_tier", ColumnKind::Text},
                                                {"price_match", ColumnKind::Text},
                                                {"unpriced_reason", ColumnKind::Text},
                                                {"request_count", ColumnKind::Integer},
                                                {"request_prompt_tokens_min", ColumnKind::Integer},
                                                {"request_prompt_tokens_max", ColumnKind::Integer},
                                                {"period_end", ColumnKind::Timestamp}};
    return columns;
}

const std::vector<Column>& usage_table_columns() {
    static const std::vector<Column> columns = {{"timestamp", ColumnKind::Timestamp},
                                                {"provider", ColumnKind::Text},
                                                {"model", ColumnKind::Text},
                                                {"organization_id", ColumnKind::Text},
                                                {"project_id", ColumnKind::Text},
                                                {"user_id", ColumnKind::Text},
                                                {"prompt_tokens", ColumnKind::Integer},
                                                {"completion_tokens", ColumnKind::Integer},
                                                {"cached_tokens", ColumnKind::Integer},
                                                {"total_cost", ColumnKind::Cost}};
    return columns;
}

std::string usage_select(const std::vector<Column>& columns) {
    std::string sql = "SELECT ";
    for (size_t i = 0; i < columns.size(); ++i) {
        sql += (i ? ", " : "") + std::string("u.\"") + columns[i].name + "\"";
    }
    return sql + " FROM cost_ops.usage_records AS u";
}

}  // namespace costops::cli
