// Query results handed to a row sink.
#pragma once

#include <pqxx/pqxx>

#include "../output/row_sink.hpp"

namespace costops::cli {

// One result row as cells (NULL as a missing cell).
inline Row result_row(const pqxx::row& row) {
    Row cells;
    for (const auto& field : row) cells.push_back(field.is_null() ? Cell() : Cell(field.c_str()));
    return cells;
}

// Every row of a result as cells.
inline std::vector<Row> result_rows(const pqxx::result& rows) {
    std::vector<Row> out;
    for (const auto& row : rows) out.push_back(result_row(row));
    return out;
}

// Writes every row of `rows` (one cell per field, NULL as a missing cell) to `sink`, with
// `columns` as its header.
inline void write_result(RowSink& sink, const std::vector<Column>& columns,
                         const pqxx::result& rows) {
    sink.begin(columns);
    for (const auto& row : rows) sink.row(result_row(row));
    sink.end();
}

}  // namespace costops::cli
