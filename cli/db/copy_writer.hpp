// Sends rows to a table with COPY ... FROM STDIN (text format), in batches: one COPY statement
// per batch, all inside the caller's transaction. Rows stream to the server while the batch
// fills, so the server prices them while the caller reads and checks the next ones.
#pragma once

#include <string>
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
    CopyWriter(pqxx::dbtransaction& tx, std::string table, std::vector<std::string> columns);

    // Appends one row (cells in column order) to the current batch, starting its COPY.
    void add(const Row& row);
    size_t pending() const { return pending_rows_; }
    // Ends the current batch's COPY statement; throws CopyFailed.
    void flush();

  private:
    // Hands the buffered rows to libpq.
    void send_buffer();

    PGconn* conn_;
    std::string copy_sql_;
    std::string buffer_;
    size_t pending_rows_ = 0;
};

// Escapes text for a field of COPY's text format.
void append_copy_text(std::string& out, const std::string& text);

}  // namespace costops::cli
