// Query results handed to a row sink.
#pragma once

#include <pqxx/pqxx>

#include "../output/row_sink.hpp"

namespace costops::cli {

// Writes every row of `rows` (one cell per field, NULL as a missing cell) to `sink`, with
// `columns` as its header.
inline void write_result(RowSink& sink, const std::vector<Column>& columns,
                         const pqxx::result& rows) {
    sink.begin(columns);
    for (const auto& row : rows) {
        Row cells;
        for (const auto& field : row)
            cells.push_back(field.is_null() ? Cell() : Cell(field.c_str()));
        sink.row(cells);
    }
    sink.end();
}

}  // namespace costops::cli
