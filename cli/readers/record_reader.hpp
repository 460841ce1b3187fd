// Streaming readers of usage files: every format becomes a sequence of JSON objects (field
// name -> value) with the place in the file each came from.
#pragma once

#include <functional>
#include <istream>
#include <string>

#include "exact_json.hpp"

namespace costops::cli {

enum class InputFormat { Csv, Json, Ndjson };

// Where a record came from, for messages: "usage.csv:12".
struct SourcePlace {
    std::string file;   // as the user named it; "-" is standard input
    size_t line = 0;    // 1-based line where the record starts
    size_t record = 0;  // 1-based record number
};

// One input record: a JSON object whose values are strings (CSV) or JSON values.
struct SourceRecord {
    Json fields;
    SourcePlace place;
    std::string error;  // non-empty when the record could not be read (e.g. CSV column count)
    std::string raw;    // for such a record: its text as the source had it
};

// Hears each record. A reader may reuse the record's storage for the next one once the callback
// returns: a consumer that keeps a record moves it away whole.
using RecordCallback = std::function<void(SourceRecord&&)>;

// Parses "csv", "json" or "ndjson"/"jsonl"; throws CliError naming the choices.
InputFormat parse_input_format(const std::string& name);

// The format of `file` from its extension (after a ".gz"), else from its first non-blank byte ('['
// JSON,
// '{' NDJSON, anything else CSV). Blank lines it reads past are counted in *lines_skipped.
InputFormat detect_input_format(const std::string& file, std::istream& in, size_t* lines_skipped);

// Reads every record of `in` and hands it to `on_record`. A syntax error that makes the rest
// unreadable throws CliError naming the file and line. `first_line` is the line number of the
// stream's current position.
void read_records(std::istream& in, InputFormat format, const std::string& file,
                  const RecordCallback& on_record, size_t first_line = 1);

// The readers behind read_records, one per format.
void read_csv_records(std::istream& in, const std::string& file, const RecordCallback& on_record,
                      size_t first_line = 1);
void read_json_records(std::istream& in, const std::string& file, const RecordCallback& on_record,
                       size_t first_line = 1);
void read_ndjson_records(std::istream& in, const std::string& file, const RecordCallback& on_record,
                         size_t first_line = 1);

}  // namespace costops::cli
