// CSV input (RFC 4180): the header row names the columns, in any order; quoted fields may hold
// commas, quotes and line breaks. An empty field is a missing value.
#include <algorithm>
#include <string>
#include <vector>

#include "../cli_error.hpp"
#include "../text_count.hpp"
#include "record_reader.hpp"

namespace costops::cli {

namespace {

// Consumes a UTF-8 byte order mark at the start of `in`, so a quoted first header name still
// opens its quotes.
void skip_byte_order_mark(std::istream& in) {
    std::streambuf* buf = in.rdbuf();
    for (int byte : {0xEF, 0xBB, 0xBF}) {
        if (buf->sgetc() != byte) return;
        buf->sbumpc();
    }
}

// A field longer than this is not usage data: most likely an unterminated quote, which would
// otherwise make the rest of the file one field held in memory.
constexpr size_t kMaxFieldBytes = 1 << 20;

// Reads one CSV row (which may span lines inside quotes). Returns false at end of input.
// `lines` counts the line breaks consumed; `error` is set for an unterminated quote or a NUL
// byte; a field over kMaxFieldBytes throws CliError naming `file`:`line` (where the row starts).
// The strings of `fields` are reused, so their storage is allocated once, not per row.
bool read_csv_row(std::istream& in, std::vector<std::string>& fields, size_t& lines,
                  std::string& error, const std::string& file, size_t line) {
    size_t count = 0;
    // The next field, cleared; its capacity is kept.
    auto next_field = [&]() -> std::string& {
        if (count == fields.size()) fields.emplace_back();
        std::string& f = fields[count++];
        f.clear();
        return f;
    };
    std::string* field = &next_field();
    bool quoted = false, any = false, after_quote = false;
    std::streambuf* buf = in.rdbuf();
    for (int c = buf->sbumpc(); c != std::char_traits<char>::eof(); c = buf->sbumpc()) {
        any = true;
        char ch = static_cast<char>(c);
        if (field->size() >= kMaxFieldBytes) {
            throw CliError(file + ":" + std::to_string(line) +
                           ": a field runs past 1 MiB (an unterminated quote, or not a "
                           "CSV file?); nothing was written");
        }
        if (ch == '\0') error = "contains a NUL byte (binary data, not CSV text)";
        if (quoted) {
            if (ch == '"') {
                if (buf->sgetc() == '"') {
                    *field += '"';
                    buf->sbumpc();
                } else {
                    quoted = false;
                    after_quote = true;
                }
            } else {
                if (ch == '\n') ++lines;
                *field += ch;
            }
            continue;
        }
        if (ch == ',') {
            field = &next_field();
            after_quote = false;
        } else if (ch == '\n') {
            ++lines;
            if (!field->empty() && field->back() == '\r' && !after_quote) field->pop_back();
            fields.resize(count);
            return true;
        } else if (ch == '"' && field->empty() && !after_quote) {
            quoted = true;
        } else if (ch == '\r' && after_quote) {
            // CRLF after a closing quote
        } else {
            *field += ch;
        }
    }
    if (!any) return false;
    if (quoted) error = "has an unterminated quoted field";
    if (!field->empty() && field->back() == '\r' && !after_quote) field->pop_back();
    fields.resize(count);
    return true;
}

// The fields of a row written back as one CSV line (quoted where needed), for a reject.
std::string csv_row_text(const std::vector<std::string>& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        const std::string& f = fields[i];
        if (f.find_first_of(",\"\r\n") == std::string::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
    }
    return out;
}

// The record handed out for each well-formed row: its fields are the header's names, their
// values replaced row by row in place (swapped with the row's strings: no allocation once they
// have grown), unless the consumer took the record (moved it away) and it must be made again.
class ReusedRecord {
  public:
    ReusedRecord(const std::string& file, const std::vector<std::string>& header)
        : file_(file), header_(header) {}

    // The record of a row with one value per header column (the values are taken).
    SourceRecord& fill(std::vector<std::string>& values, size_t line, size_t number) {
        if (!record_.fields.is_object() || record_.fields.size() != header_.size()) rebuild();
        if (record_.place.file != file_) record_.place.file = file_;
        record_.place.line = line;
        record_.place.record = number;
        record_.error.clear();
        record_.raw.clear();
        for (size_t i = 0; i < values.size(); ++i) {
            Json& slot = *slots_[i];
            if (values[i].empty()) {
                slot = nullptr;
            } else if (slot.is_string()) {
                slot.get_ref<std::string&>().swap(values[i]);
            } else {
                slot = std::move(values[i]);
            }
        }
        return record_;
    }

  private:
    // The fields object with every header name, and where each value is.
    void rebuild() {
        record_.fields = Json::object();
        slots_.clear();
        for (const std::string& name : header_) slots_.push_back(&record_.fields[name]);
    }

    const std::string& file_;
    const std::vector<std::string>& header_;
    SourceRecord record_;
    std::vector<Json*> slots_;  // the value of each header column in record_.fields
};

}  // namespace

void read_csv_records(std::istream& in, const std::string& file, const RecordCallback& on_record,
                      size_t first_line) {
    std::vector<std::string> header, fields;
    size_t lines = first_line - 1, record = 0;
    const std::string header_place = file + ":" + std::to_string(first_line) + ": ";
    std::string error;
    skip_byte_order_mark(in);
    if (!read_csv_row(in, header, lines, error, file, first_line)) {
        throw CliError(header_place + "expected a CSV header row naming the columns");
    }
    if (!error.empty()) throw CliError(header_place + "the header row " + error);
    for (size_t i = 0; i < header.size(); ++i) {
        std::string& name = header[i];
        size_t a = name.find_first_not_of(" \t"), b = name.find_last_not_of(" \t");
        name = a == std::string::npos ? "" : name.substr(a, b - a + 1);
        if (name.empty()) {
            throw CliError(header_place + "column " + std::to_string(i + 1) +
                           " of the header has no name");
        }
        if (std::find(header.begin(), header.begin() + static_cast<long>(i), name) !=
            header.begin() + static_cast<long>(i)) {
            throw CliError(header_place + "column '" + name + "' appears twice in the header");
        }
    }
    ReusedRecord reused(file, header);
    while (true) {
        size_t start_line = lines + 1;
        error.clear();
        if (!read_csv_row(in, fields, lines, error, file, start_line)) break;
        if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
        if (error.empty() && fields.size() == header.size()) {
            on_record(std::move(reused.fill(fields, start_line, ++record)));
            continue;
        }
        SourceRecord r{Json::object(),
                       {file, start_line, ++record},
                       error.empty() ? "" : "the row " + error,
                       csv_row_text(fields)};
        if (r.error.empty()) {
            r.error = "the row has " + counted(static_cast<int64_t>(fields.size()), "field") +
                      ", the header has " + std::to_string(header.size());
        }
        for (size_t i = 0; i < fields.size() && i < header.size(); ++i) {
            r.fields[header[i]] = fields[i].empty() ? Json(nullptr) : Json(std::move(fields[i]));
        }
        on_record(std::move(r));
    }
}

}  // namespace costops::cli
