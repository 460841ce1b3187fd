// The output module: CSV quoting, JSON cells, tables and RFC 3339 timestamps.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_error.hpp"
#include "output/row_sink.hpp"
#include "../core/test_support.hpp"

using namespace costops::cli;

namespace {

const std::vector<Column> kColumns = {{"name", ColumnKind::Text},
                                      {"tokens", ColumnKind::Integer},
                                      {"cost", ColumnKind::Cost},
                                      {"at", ColumnKind::Timestamp},
                                      {"meta", ColumnKind::Json}};

const std::vector<Row> kRows = {
    {"plain", "42", "0.005615", "2025-01-15 10:00:00.5+00", "{\"k\": 1.50, \"a\": [1e400]}"},
    {"a,b \"q\"\nline", std::nullopt, "-0.000000000000000000000001", std::nullopt, std::nullopt},
};

// Everything a sink of `format` writes for `rows` under `columns`.
std::string render(OutputFormat format, const std::vector<Column>& columns,
                   const std::vector<Row>& rows) {
    std::ostringstream out;
    std::unique_ptr<RowSink> sink = make_row_sink(format, out);
    sink->begin(columns);
    for (const Row& row : rows) sink->row(row);
    sink->end();
    return out.str();
}

}  // namespace

TEST_CASE("CSV output quotes only what needs it; NULL is empty", "[cli][output]") {
    CHECK(render(OutputFormat::Csv, kColumns, kRows) ==
          "name,tokens,cost,at,meta\n"
          "plain,42,0.005615,2025-01-15T10:00:00.5Z,\"{\"\"k\"\": 1.50, \"\"a\"\": [1e400]}\"\n"
          "\"a,b \"\"q\"\"\nline\",,-0.000000000000000000000001,,\n");
    CHECK(render(OutputFormat::Csv, {{"a,b", ColumnKind::Text}, {"c\"d", ColumnKind::Text}},
                 {{"cr\r", " spaced "}, {"", "x"}}) ==
          "\"a,b\",\"c\"\"d\"\n\"cr\r\", spaced \n,x\n");
    CHECK(render(OutputFormat::Csv, kColumns, {}) == "name,tokens,cost,at,meta\n");
}

TEST_CASE("JSON output: integers as numbers, costs as strings, NULL as null", "[cli][output]") {
    const std::string first =
        R"({"name":"plain","tokens":42,"cost":"0.005615","at":"2025-01-15T10:00:00.5Z",)"
        R"("meta":{"a":[1e400],"k":1.50}})";
    const std::string second =
        R"({"name":"a,b \"q\"\nline","tokens":null,"cost":"-0.000000000000000000000001",)"
        R"("at":null,"meta":null})";
    CHECK(json_object(kColumns, kRows[0]) == first);
    CHECK(json_object(kColumns, kRows[1]) == second);
    CHECK(render(OutputFormat::Json, kColumns, kRows) ==
          "[\n  " + first + ",\n  " + second + "\n]\n");
    CHECK(render(OutputFormat::Json, kColumns, {}) == "[]\n");
    CHECK(render(OutputFormat::Ndjson, kColumns, kRows) == first + "\n" + second + "\n");
    CHECK(render(OutputFormat::Ndjson, kColumns, {}) == "");
    // Invalid UTF-8 in text becomes U+FFFD instead of breaking the output.
    CHECK(json_object({{"t", ColumnKind::Text}}, {"bad\xFF"}) == "{\"t\":\"bad\xEF\xBF\xBD\"}");
    CHECK(json_object({{"n", ColumnKind::Integer}}, {"-3"}) == R"({"n":-3})");
}

TEST_CASE("table output aligns columns; numbers to the right", "[cli][output]") {
    const std::vector<Column> columns = {{"model", ColumnKind::Text},
                                         {"records", ColumnKind::Integer},
                                         {"cost", ColumnKind::Cost},
                                         {"first", ColumnKind::Timestamp}};
    const std::vector<Row> rows = {{"gpt-4o", "12", "0.005615", "2025-01-15 10:00:00+00"},
                                   {"claude-3", "7", std::nullopt, std::nullopt}};
    CHECK(render(OutputFormat::Table, columns, rows) ==
          "model     records  cost      first               \n"
          "--------  -------  --------  --------------------\n"
          "gpt-4o         12  0.005615  2025-01-15T10:00:00Z\n"
          "claude-3        7                                \n"
          "(2 rows)\n");
    CHECK(render(OutputFormat::Table, {{"n", ColumnKind::Integer}}, {{"1"}}) ==
          "n\n-\n1\n(1 row)\n");
    CHECK(render(OutputFormat::Table, {{"n", ColumnKind::Integer}}, {}) == "n\n-\n(0 rows)\n");
}

TEST_CASE("rfc3339_from_pg turns PostgreSQL's UTC text into RFC 3339", "[cli][output]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"2025-01-15 10:00:00+00", "2025-01-15T10:00:00Z"},
        {"2025-01-15 10:00:00.123456+00", "2025-01-15T10:00:00.123456Z"},
        {"2025-01-15 10:00:00+05:30", "2025-01-15T10:00:00+05:30"},
        {"2025-01-15T10:00:00Z", "2025-01-15T10:00:00Z"},
        {"2025-01-15", "2025-01-15"},
        {"infinity", "infinity"},
        {"", ""},
    };
    for (const auto& [pg, rfc] : cases) {
        INFO(pg);
        CHECK(rfc3339_from_pg(pg) == rfc);
    }
}

TEST_CASE("output formats by name", "[cli][output]") {
    CHECK(parse_output_format("table") == OutputFormat::Table);
    CHECK(parse_output_format("json") == OutputFormat::Json);
    CHECK(parse_output_format("ndjson") == OutputFormat::Ndjson);
    CHECK(parse_output_format("csv") == OutputFormat::Csv);
    CHECK(test_support::thrown_message<CliError>([] { parse_output_format("yaml"); }) ==
          "unknown output format 'yaml': use table, json, ndjson or csv");
}
