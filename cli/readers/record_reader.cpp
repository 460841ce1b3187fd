#include "record_reader.hpp"

#include <algorithm>
#include <cctype>

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// True when `name` ends with `suffix`, ignoring case.
bool ends_with(const std::string& name, const std::string& suffix) {
    if (name.size() < suffix.size()) return false;
    // `suffix` is lower case: fold the name's characters, not the suffix's.
    return std::equal(suffix.rbegin(), suffix.rend(), name.rbegin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
    });
}

}  // namespace

InputFormat parse_input_format(const std::string& name) {
    if (name == "csv") return InputFormat::Csv;
    if (name == "json") return InputFormat::Json;
    if (name == "ndjson" || name == "jsonl") return InputFormat::Ndjson;
    throw CliError("unknown input format '" + name + "': use csv, json or ndjson");
}

InputFormat detect_input_format(const std::string& name, std::istream& in, size_t* lines_skipped) {
    *lines_skipped = 0;
    // "usage.csv.gz" is a CSV file (gzip is undone before the records are read).
    std::string file = ends_with(name, ".gz") ? name.substr(0, name.size() - 3) : name;
    if (ends_with(file, ".csv")) return InputFormat::Csv;
    if (ends_with(file, ".ndjson") || ends_with(file, ".jsonl")) return InputFormat::Ndjson;
    if (ends_with(file, ".json")) return InputFormat::Json;
    std::streambuf* buf = in.rdbuf();
    // Skip leading blanks (consuming them is harmless for every format).
    while (true) {
        int c = buf->sgetc();
        if (c == std::char_traits<char>::eof()) return InputFormat::Csv;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (c == '\n') ++*lines_skipped;
            buf->sbumpc();
            continue;
        }
        if (c == '[') return InputFormat::Json;
        if (c == '{') return InputFormat::Ndjson;
        return InputFormat::Csv;
    }
}

void read_records(std::istream& in, InputFormat format, const std::string& file,
                  const RecordCallback& on_record, size_t first_line) {
    switch (format) {
        case InputFormat::Csv:
            return read_csv_records(in, file, on_record, first_line);
        case InputFormat::Json:
            return read_json_records(in, file, on_record, first_line);
        case InputFormat::Ndjson:
            return read_ndjson_records(in, file, on_record, first_line);
    }
}

}  // namespace costops::cli
