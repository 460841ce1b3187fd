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

void append_copy_text(std::string& out, const std::string& text) {
    for (char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
}

CopyWriter::CopyWriter(pqxx::dbtransaction& tx, std::string table, std::vector<std::string> columns)
    : conn_(RawConnection::of(tx)) {
    copy_sql_ = "COPY " + table + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
        copy_sql_ += (i ? ", " : "") + tx.quote_name(columns[i]);
    }
    copy_sql_ += ") FROM STDIN";
}

void CopyWriter::add(const Row& row) {
    if (pending_rows_ == 0) {
        PGresult* start = PQexec(conn_, copy_sql_.c_str());
        if (PQresultStatus(start) != PGRES_COPY_IN) throw_copy_failure(start);
        PQclear(start);
    }
    for (size_t i = 0; i < row.size(); ++i) {
        if (i) buffer_ += '\t';
        if (row[i]) {
            append_copy_text(buffer_, *row[i]);
        } else {
            buffer_ += "\\N";
        }
    }
    buffer_ += '\n';
    ++pending_rows_;
    if (buffer_.size() >= (64 << 10)) send_buffer();
}

void CopyWriter::send_buffer() {
    if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
        throw pqxx::broken_connection(PQerrorMessage(conn_));
    }
    buffer_.clear();
}

void CopyWriter::flush() {
    if (pending_rows_ == 0) return;
    send_buffer();
    pending_rows_ = 0;
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
