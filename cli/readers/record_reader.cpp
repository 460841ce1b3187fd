#include "record_reader.hpp"

#include <algorithm>
#include <cctype>

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// True when `name` ends with `suffix`, ignoring case.
bool ends_with(const std::string& name, const std::string& suffix) {
    if (name.size() < suffix.size()) return false;
    return std::equal(suffix.rbegin(), suffix.rend(), name.rbegin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
    });
}

}  // namespace

InputFormat parse_input_format(const std::string& name) {
    if (name == "csv") return InputFormat::Csv;
    if (name == "json") return InputFormat::Json;
    if (name == "ndjson" || name == "jsonl") return InputFormat::Ndjson;
    throw CliError("unknown input format '" + name + "': use csv, json or ndjson");
}

InputFormat detect_input_format(const std::string& file, std::istream& in) {
    if (ends_with(file, ".csv")) return InputFormat::Csv;
    if (ends_with(file, ".ndjson") || ends_with(file, ".jsonl")) return InputFormat::Ndjson;
    if (ends_with(file, ".json")) return InputFormat::Json;
    std::streambuf* buf = in.rdbuf();
    // Skip leading blanks (consuming them is harmless for every format).
    while (true) {
        int c = buf->sgetc();
        if (c == std::char_traits<char>::eof()) return InputFormat::Csv;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            buf->sbumpc();
            continue;
        }
        if (c == '[') return InputFormat::Json;
        if (c == '{') return InputFormat::Ndjson;
        return InputFormat::Csv;
    }
}

void read_records(std::istream& in, InputFormat format, const std::string& file,
                  const RecordCallback& on_record) {
    switch (format) {
        case InputFormat::Csv:
            return read_csv_records(in, file, on_record);
        case InputFormat::Json:
            return read_json_records(in, file, on_record);
        case InputFormat::Ndjson:
            return read_ndjson_records(in, file, on_record);
    }
}

}  // namespace costops::cli
