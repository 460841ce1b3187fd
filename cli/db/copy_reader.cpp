#include "copy_reader.hpp"

#include "raw_connection.hpp"

namespace costops::cli {

namespace {

// Raises a server error from a COPY OUT result.
[[noreturn]] void throw_result_error(PGresult* result, const std::string& sql) {
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    throw pqxx::sql_error(message, sql);
}

// The value of the octal digit c, or -1.
int octal(char c) {
    return c >= '0' && c <= '7' ? c - '0' : -1;
}

}  // namespace

Row parse_copy_text_line(const char* line, size_t length) {
    Row row;
    std::string field;
    bool null_field = false;
    auto finish = [&]() {
        row.push_back(null_field ? Cell() : Cell(std::move(field)));
        field.clear();
        null_field = false;
    };
    for (size_t i = 0; i < length; ++i) {
        char c = line[i];
        if (c == '\t') {
            finish();
        } else if (c == '\\' && i + 1 < length) {
            char e = line[++i];
            switch (e) {
                case 'N':
                    null_field = true;
                    break;
                case 't':
                    field += '\t';
                    break;
                case 'n':
                    field += '\n';
                    break;
                case 'r':
                    field += '\r';
                    break;
                case 'b':
                    field += '\b';
                    break;
                case 'f':
                    field += '\f';
                    break;
                case 'v':
                    field += '\v';
                    break;
                default:
                    if (octal(e) >= 0) {
                        int value = octal(e);
                        for (int k = 0; k < 2 && i + 1 < length && octal(line[i + 1]) >= 0; ++k) {
                            value = value * 8 + octal(line[++i]);
                        }
                        field += static_cast<char>(value);
                    } else {
                        field += e;
                    }
            }
        } else if (c != '\n') {
            field += c;
        }
    }
    finish();
    return row;
}

void copy_query_rows(pqxx::dbtransaction& tx, const std::string& select_sql,
                     const std::function<void(const Row&)>& on_row) {
    PGconn* conn = RawConnection::of(tx);
    std::string sql = "COPY (" + select_sql + ") TO STDOUT";
    PGresult* start = PQexec(conn, sql.c_str());
    if (PQresultStatus(start) != PGRES_COPY_OUT) throw_result_error(start, sql);
    PQclear(start);
    char* buffer = nullptr;
    int n;
    while ((n = PQgetCopyData(conn, &buffer, 0)) > 0) {
        Row row = parse_copy_text_line(buffer, static_cast<size_t>(n));
        PQfreemem(buffer);
        try {
            on_row(row);
        } catch (...) {
            // Leave the connection usable (the caller's rollback needs it): drain the COPY.
            while ((n = PQgetCopyData(conn, &buffer, 0)) > 0) PQfreemem(buffer);
            while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
            throw;
        }
    }
    if (n == -2) throw pqxx::broken_connection(PQerrorMessage(conn));
    PGresult* done = PQgetResult(conn);
    if (PQresultStatus(done) != PGRES_COMMAND_OK) throw_result_error(done, sql);
    PQclear(done);
    while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
}

}  // namespace costops::cli
