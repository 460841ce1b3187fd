#include "copy_writer.hpp"

#include <regex>

#include "database_errors.hpp"
#include "raw_connection.hpp"

namespace costops::cli {

namespace {

// Raises the error of a failed COPY, with the batch row the server's CONTEXT names.
[[noreturn]] void throw_copy_failure(PGresult* result) {
    std::string message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
                              ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
                              : "COPY failed";
    const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
    const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT);
    const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT);
    if (detail) message += std::string(" (") + detail + ")";
    if (hint) message += std::string(" ") + hint;
    size_t line = 0;
    std::smatch m;
    std::string ctx = context ? context : "";
    if (std::regex_search(ctx, m, std::regex(R"(COPY [^,]+, line (\d+))"))) {
        line = std::stoul(m[1]);
    }
    const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    std::string code = sqlstate ? sqlstate : "";
    PQclear(result);
    throw CopyFailed(message, line, code);
}

}  // namespace

void append_copy_text(std::string& out, std::string_view text) {
    // Runs of plain bytes are appended whole, each escaped byte as its two characters.
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        const char* escaped = c == '\\'   ? "\\\\"
                              : c == '\t' ? "\\t"
                              : c == '\n' ? "\\n"
                              : c == '\r' ? "\\r"
                                          : nullptr;
        if (escaped == nullptr) continue;
        out.append(text.data() + start, i - start);
        out.append(escaped, 2);
        start = i + 1;
    }
    out.append(text.data() + start, text.size() - start);
}

void append_copy_cells(std::string& out, const Row& row) {
    for (size_t i = 0; i < row.size(); ++i) {
        if (i) out += '\t';
        if (row[i]) {
            append_copy_text(out, *row[i]);
        } else {
            out += "\\N";
        }
    }
}

CopyWriter::CopyWriter(pqxx::dbtransaction& tx, const std::string& table,
                       const std::vector<std::string>& columns, const std::string& first)
    : conn_(RawConnection::of(tx)) {
    // PQexec stops at the COPY (the last statement) and returns its result, or the error of
    // the first statement that failed.
    std::string copy_sql = (first.empty() ? "" : first + "; ") + "COPY " + table + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
        copy_sql += (i ? ", " : "") + tx.quote_name(columns[i]);
    }
    copy_sql += ") FROM STDIN";
    PGresult* start = PQexec(conn_, copy_sql.c_str());
    if (PQresultStatus(start) != PGRES_COPY_IN) throw_copy_failure(start);
    PQclear(start);
}

void CopyWriter::send(std::string_view rows) {
    if (rows.empty()) return;
    if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1) {
        throw pqxx::broken_connection(PQerrorMessage(conn_));
    }
}

void CopyWriter::finish() {
    if (PQputCopyEnd(conn_, nullptr) != 1) throw pqxx::broken_connection(PQerrorMessage(conn_));
    PGresult* done = PQgetResult(conn_);
    bool ok = PQresultStatus(done) == PGRES_COMMAND_OK;
    if (!ok) {
        while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
        throw_copy_failure(done);
    }
    PQclear(done);
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
}

}  // namespace costops::cli
