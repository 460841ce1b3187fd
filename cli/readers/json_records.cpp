// JSON input: an array of record objects (streamed element by element) or a single object;
// NDJSON input: one object per line.
#include <string>

#include "../cli_error.hpp"
#include "record_reader.hpp"

namespace costops::cli {

namespace {

// The message for an element that is not an object.
std::string not_an_object(const Json& value) {
    return std::string("expected a JSON object, found ") +
           (value.is_array() ? "an array" : "a scalar");
}

// A record line longer than this is not usage data; it is skipped, not held in memory.
constexpr size_t kMaxLineBytes = 16 << 20;

// std::getline with a bound: reads the next line into `text` (without the newline); a longer
// line is consumed to its end, `text` keeps only its start and *too_long is set.
bool read_bounded_line(std::istream& in, std::string& text, bool* too_long) {
    text.clear();
    *too_long = false;
    std::streambuf* buf = in.rdbuf();
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) return false;
    for (; c != std::char_traits<char>::eof() && c != '\n'; c = buf->sbumpc()) {
        if (text.size() < kMaxLineBytes) {
            text += static_cast<char>(c);
        } else {
            *too_long = true;
        }
    }
    return true;
}

}  // namespace

void read_json_records(std::istream& in, const std::string& file, const RecordCallback& on_record,
                       size_t first_line) {
    try {
        read_json_stream(
            in,
            [&](Json&& value, size_t index, size_t line) {
                SourceRecord record{std::move(value), {file, line, index == 0 ? 1 : index}, {}, {}};
                if (!record.fields.is_object()) record.error = not_an_object(record.fields);
                on_record(std::move(record));
            },
            first_line);
    } catch (const JsonSyntaxError& e) {
        throw CliError(file + ":" + std::to_string(e.line()) + ": invalid JSON: " + e.what());
    }
}

void read_ndjson_records(std::istream& in, const std::string& file, const RecordCallback& on_record,
                         size_t first_line) {
    std::string text;
    size_t line = first_line - 1, record = 0;
    bool too_long;
    while (read_bounded_line(in, text, &too_long)) {
        ++line;
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (!too_long && text.find_first_not_of(" \t") == std::string::npos) continue;
        SourceRecord r{Json::object(), {file, line, ++record}, {}, {}};
        if (too_long) {
            r.error = "the line is longer than 16 MiB";
            on_record(std::move(r));
            continue;
        }
        try {
            r.fields = parse_json_exact(text);
            if (!r.fields.is_object()) r.error = not_an_object(r.fields);
        } catch (const JsonSyntaxError& e) {
            r.error = std::string("invalid JSON: ") + e.what();
        }
        if (!r.error.empty()) r.raw = std::move(text);
        on_record(std::move(r));
    }
}

}  // namespace costops::cli
