// Sends rows to a table with COPY ... FROM STDIN (text format), in batches: one COPY statement
// per batch, all inside the caller's transaction. The caller hands over whole rows of COPY text
// as the batch fills, so the server prices them while the caller reads and checks the next ones.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include "../output/row_sink.hpp"

namespace costops::cli {

// A COPY statement failed; `line` is the 1-based row of the batch the server named, or 0;
// `sqlstate` the error's code ("23505" for a unique violation).
class CopyFailed : public std::runtime_error {
  public:
    CopyFailed(const std::string& message, size_t line, std::string sqlstate)
        : std::runtime_error(message), line(line), sqlstate(std::move(sqlstate)) {}
    size_t line;
    std::string sqlstate;
};

class CopyWriter {
  public:
    // Starts the COPY statement, after the statements `first` (a SAVEPOINT) in the same round
    // trip; throws CopyFailed.
    CopyWriter(pqxx::dbtransaction& tx, const std::string& table,
               const std::vector<std::string>& columns, const std::string& first = "");

    // Sends whole rows of COPY text (each ending in a newline).
    void send(std::string_view rows);
    // Ends the COPY statement; throws CopyFailed.
    void finish();

  private:
    PGconn* conn_;
};

// Escapes text for a field of COPY's text format.
void append_copy_text(std::string& out, std::string_view text);

// Appends `row` as one line of COPY text (cells tab-separated, NULL as \N), without the newline.
void append_copy_cells(std::string& out, const Row& row);

}  // namespace costops::cli
