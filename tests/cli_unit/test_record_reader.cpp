// The streaming record readers: CSV, JSON, NDJSON and format detection.
#include <catch2/catch.hpp>

#include <iterator>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cli_error.hpp"
#include "readers/record_reader.hpp"
#include "../core/test_support.hpp"

using namespace costops;
using namespace costops::cli;

namespace {

// Every record `format` reads from `text`, as the file "in.<ext>".
std::vector<SourceRecord> read_all(InputFormat format, const std::string& text) {
    std::istringstream in(text);
    std::vector<SourceRecord> records;
    read_records(in, format, "in.file", [&](SourceRecord&& r) { records.push_back(std::move(r)); });
    return records;
}

// Every record of a CSV text.
std::vector<SourceRecord> read_csv(const std::string& text) {
    return read_all(InputFormat::Csv, text);
}

// "line/record error fields" of a record, fields as exact JSON.
std::string summary(const SourceRecord& r) {
    return std::to_string(r.place.line) + "/" + std::to_string(r.place.record) + " " +
           (r.error.empty() ? "" : "[" + r.error + "] ") + dump_exact(r.fields);
}

// The summaries of every record `format` reads from `text`.
std::vector<std::string> summaries(InputFormat format, const std::string& text) {
    std::vector<std::string> out;
    for (const SourceRecord& r : read_all(format, text)) out.push_back(summary(r));
    return out;
}

// The message of the CliError reading `text` throws; fails the test when none is thrown.
std::string read_error(InputFormat format, const std::string& text) {
    return test_support::thrown_message<CliError>([&] { read_all(format, text); });
}

// The format detected for `file` whose content is `text`, and what is left to read after it.
std::pair<InputFormat, std::string> detect(const std::string& file, const std::string& text) {
    std::istringstream in(text);
    size_t skipped = 0;
    InputFormat format = detect_input_format(file, in, &skipped);
    std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {format, rest};
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("blank lines before the content keep line numbers right", "[cli][readers]") {
    std::istringstream in("\n\n[\n{\"a\": 1}]");
    size_t skipped = 0;
    InputFormat format = detect_input_format("-", in, &skipped);
    CHECK(format == InputFormat::Json);
    CHECK(skipped == 2);
    std::vector<size_t> lines;
    read_records(
        in, format, "-", [&](SourceRecord&& r) { lines.push_back(r.place.line); }, skipped + 1);
    CHECK(lines == std::vector<size_t>{4});
}

TEST_CASE("CSV: header names the columns, empty fields are missing", "[cli][readers]") {
    std::vector<SourceRecord> records =
        read_csv("timestamp,provider,prompt_tokens,project_id\n2025-01-15,openai,10,\n");
    REQUIRE(records.size() == 1);
    const SourceRecord& r = records[0];
    CHECK(r.place.file == "in.file");
    CHECK(r.place.line == 2);
    CHECK(r.place.record == 1);
    CHECK(r.error.empty());
    CHECK(r.fields["timestamp"] == "2025-01-15");
    CHECK(r.fields["prompt_tokens"] == "10");  // a string: CSV has no numbers
    CHECK(r.fields["project_id"].is_null());
    CHECK(summaries(InputFormat::Csv, " a , b\t\n1,2") == Lines{"2/1 {\"a\":\"1\",\"b\":\"2\"}"});
    // Values keep their blanks; only header names are trimmed.
    CHECK(summaries(InputFormat::Csv, "a\n 1 \n") == Lines{"2/1 {\"a\":\" 1 \"}"});
}

TEST_CASE("CSV: quoted fields hold commas, quotes and line breaks", "[cli][readers]") {
    CHECK(summaries(InputFormat::Csv,
                    "a,b\n"
                    "\"x, y\",\"say \"\"hi\"\"\"\n"
                    "\"multi\nline\",z\n"
                    "last,\"\"\n"
                    "\"\"\"\",\",\"\n") ==
          Lines{R"(2/1 {"a":"x, y","b":"say \"hi\""})", R"(3/2 {"a":"multi\nline","b":"z"})",
                R"(5/3 {"a":"last","b":null})", R"(6/4 {"a":"\"","b":","})"});
    CHECK(summaries(InputFormat::Csv, "\"a,1\",\"b\"\"2\"\n1,2\n") ==
          Lines{R"(2/1 {"a,1":"1","b\"2":"2"})"});
}

TEST_CASE("CSV: CRLF line ends, a byte order mark and blank lines", "[cli][readers]") {
    CHECK(summaries(InputFormat::Csv, "a,b\r\n1,2\r\n3,\r\n\"q\",\"r\"\r\n\"x\r\ny\",z\r\n") ==
          Lines{R"(2/1 {"a":"1","b":"2"})", R"(3/2 {"a":"3","b":null})", R"(4/3 {"a":"q","b":"r"})",
                R"(5/4 {"a":"x\r\ny","b":"z"})"});
    CHECK(summaries(InputFormat::Csv,
                    "\xEF\xBB\xBF"
                    "a,b\n1,2\n") == Lines{R"(2/1 {"a":"1","b":"2"})"});
    CHECK(summaries(InputFormat::Csv, "\xEF\xBB\xBF\"a\",\"b\"\r\n1,2\r\n") ==
          Lines{R"(2/1 {"a":"1","b":"2"})"});
    CHECK(summaries(InputFormat::Csv, "a,b\n\n1,2\n\r\n\n3,4\n\n") ==
          Lines{R"(3/1 {"a":"1","b":"2"})", R"(6/2 {"a":"3","b":"4"})"});
    CHECK(summaries(InputFormat::Csv, "a,b\n1,2").size() == 1);  // no final line break
    CHECK(summaries(InputFormat::Csv, "a,b\n").empty());
}

TEST_CASE("CSV: a row with the wrong field count is a record error", "[cli][readers]") {
    CHECK(summaries(InputFormat::Csv, "a,b\n1\n1,2,3\n4,5\n") ==
          Lines{R"(2/1 [the row has 1 field, the header has 2] {"a":"1"})",
                R"(3/2 [the row has 3 fields, the header has 2] {"a":"1","b":"2"})",
                R"(4/3 {"a":"4","b":"5"})"});
    CHECK(summaries(InputFormat::Csv, "a\n\"open\nstill open") ==
          Lines{"2/1 [the row has an unterminated quoted field] {\"a\":\"open\\nstill open\"}"});
}

TEST_CASE("CSV: a record read in place or taken is right either way", "[cli][readers]") {
    // The reader reuses one record: values that come and go, a record taken in the middle, a
    // bad row between good ones.
    std::istringstream in("a,b\nlong value one,\n,2\nx,y\n1\nlast,long value two\n");
    Lines seen;
    std::vector<SourceRecord> taken;
    read_csv_records(in, "in.csv", [&](SourceRecord&& r) {
        seen.push_back(summary(r));
        if (r.place.record == 2) taken.push_back(std::move(r));
    });
    CHECK(seen == Lines{R"(2/1 {"a":"long value one","b":null})", R"(3/2 {"a":null,"b":"2"})",
                        R"(4/3 {"a":"x","b":"y"})",
                        R"(5/4 [the row has 1 field, the header has 2] {"a":"1"})",
                        R"(6/5 {"a":"last","b":"long value two"})"});
    REQUIRE(taken.size() == 1);
    CHECK(summary(taken[0]) == R"(3/2 {"a":null,"b":"2"})");
    CHECK(taken[0].place.file == "in.csv");
}

TEST_CASE("CSV: a bad header throws CliError naming the file", "[cli][readers]") {
    CHECK(read_error(InputFormat::Csv, "a,b,a\n1,2,3\n") ==
          "in.file:1: column 'a' appears twice in the header");
    CHECK(read_error(InputFormat::Csv, "a, a\n") ==
          "in.file:1: column 'a' appears twice in the header");
    CHECK(read_error(InputFormat::Csv, "a,,b\n") ==
          "in.file:1: column 2 of the header has no name");
    CHECK(read_error(InputFormat::Csv, "a, \n") == "in.file:1: column 2 of the header has no name");
    CHECK(read_error(InputFormat::Csv, "") ==
          "in.file:1: expected a CSV header row naming the columns");
    CHECK(read_error(InputFormat::Csv, "\"a,b\n") ==
          "in.file:1: the header row has an unterminated quoted field");
    CHECK(read_error(InputFormat::Csv, std::string("a,\0b\n", 5)) ==
          "in.file:1: the header row contains a NUL byte (binary data, not CSV text)");
}

TEST_CASE("JSON: an array is streamed with element lines; one object is one record",
          "[cli][readers]") {
    CHECK(
        summaries(InputFormat::Json,
                  "[\n  {\"a\": 1, \"cost\": 0.10000000000000000000001},\n\n  {\"a\": \"x\"}\n]") ==
        Lines{R"(2/1 {"a":1,"cost":0.10000000000000000000001})", R"(4/2 {"a":"x"})"});
    CHECK(summaries(InputFormat::Json, "{\"a\": 2.5e-06}") == Lines{R"(1/1 {"a":2.5e-06})"});
    CHECK(summaries(InputFormat::Json, "[]").empty());
    CHECK(summaries(InputFormat::Json, "[1,\n[2],\n\"s\"]") ==
          Lines{"1/1 [expected a JSON object, found a scalar] 1",
                "2/2 [expected a JSON object, found an array] [2]",
                "3/3 [expected a JSON object, found a scalar] \"s\""});
    CHECK(summaries(InputFormat::Json, "42") ==
          Lines{"1/1 [expected a JSON object, found a scalar] 42"});
    std::string error = read_error(InputFormat::Json, "[\n{\"a\": 1},\n{\"a\" 2}\n]");
    CHECK(error.rfind("in.file:3: invalid JSON: ", 0) == 0);
    CHECK(read_error(InputFormat::Json, "").rfind("in.file:1: invalid JSON: ", 0) == 0);
}

TEST_CASE("NDJSON: one object per line, bad lines are record errors", "[cli][readers]") {
    Lines lines = summaries(InputFormat::Ndjson,
                            "{\"a\":1}\n\n{\"a\":2.50}\r\n  \t\nnot json\n[1]\n\"s\"\n{\"a\":3}");
    REQUIRE(lines.size() == 6);
    CHECK(lines[0] == R"(1/1 {"a":1})");
    CHECK(lines[1] == R"(3/2 {"a":2.50})");
    CHECK(lines[2].rfind("5/3 [invalid JSON: ", 0) == 0);
    CHECK(lines[3] == "6/4 [expected a JSON object, found an array] [1]");
    CHECK(lines[4] == "7/5 [expected a JSON object, found a scalar] \"s\"");
    CHECK(lines[5] == R"(8/6 {"a":3})");
    CHECK(summaries(InputFormat::Ndjson, "").empty());
    CHECK(summaries(InputFormat::Ndjson, "{\"a\":1} {\"b\":2}\n")[0].rfind("1/1 [invalid JSON: ",
                                                                           0) == 0);
}

TEST_CASE("input formats by name, extension or first byte", "[cli][readers]") {
    CHECK(parse_input_format("csv") == InputFormat::Csv);
    CHECK(parse_input_format("json") == InputFormat::Json);
    CHECK(parse_input_format("ndjson") == InputFormat::Ndjson);
    CHECK(parse_input_format("jsonl") == InputFormat::Ndjson);
    CHECK(test_support::thrown_message<CliError>([] { parse_input_format("xml"); }) ==
          "unknown input format 'xml': use csv, json or ndjson");
    const std::vector<std::tuple<std::string, std::string, InputFormat>> by_name = {
        {"usage.csv", "[", InputFormat::Csv},
        {"USAGE.CSV", "{", InputFormat::Csv},
        {"a.ndjson", "[", InputFormat::Ndjson},
        {"a.JSONL", "", InputFormat::Ndjson},
        {"a.json", "a,b", InputFormat::Json},
        {"dir.csv/a.Json", "", InputFormat::Json},
        {"-", "[{}]", InputFormat::Json},
        {"-", " \r\n\t{\"a\":1}", InputFormat::Ndjson},
        {"-", "timestamp,model\n", InputFormat::Csv},
        {"-", "", InputFormat::Csv},
        {"-", "\n\n", InputFormat::Csv},
        {"usage.txt", "\n[", InputFormat::Json},
        {"csv", "{", InputFormat::Ndjson},
        // The name under a ".gz" (gzip is undone before the records are read).
        {"a.json.gz", "x", InputFormat::Json},
        {"usage.CSV.GZ", "{", InputFormat::Csv},
        {"usage.gz", "[", InputFormat::Json},
    };
    for (const auto& [file, text, format] : by_name) {
        INFO(file << ": " << text);
        CHECK(detect(file, text).first == format);
    }
    // Detection peeks: the first byte of the content is still there to read.
    CHECK(detect("-", "[{\"a\":1}]").second == "[{\"a\":1}]");
    CHECK(detect("-", "timestamp\n1\n").second == "timestamp\n1\n");
    CHECK(detect("x.csv", "\n\na\n").second == "\n\na\n");
}
