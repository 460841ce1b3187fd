// Streams the rows of a query with COPY (query) TO STDOUT, so exports of any size run in
// constant memory.
#pragma once

#include <functional>
#include <string>

#include <pqxx/pqxx>

#include "../output/row_sink.hpp"

namespace costops::cli {

// Runs `select_sql` and calls on_row for each row (fields as text, NULL as nullopt).
void copy_query_rows(pqxx::dbtransaction& tx, const std::string& select_sql,
                     const std::function<void(const Row&)>& on_row);

// Splits one line of COPY's text format into fields, undoing its escapes.
Row parse_copy_text_line(const char* line, size_t length);

}  // namespace costops::cli
