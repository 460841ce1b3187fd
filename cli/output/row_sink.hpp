// One output module for every command that prints rows: table, json, ndjson or csv, so formats
// stay consistent. Costs are exact decimal strings in every format.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace costops::cli {

// How a column's text is rendered: JSON numbers for integers, JSON strings for costs (exact),
// RFC 3339 UTC for timestamps, embedded JSON for json columns.
enum class ColumnKind { Text, Integer, Cost, Timestamp, Json };

struct Column {
    std::string name;
    ColumnKind kind = ColumnKind::Text;
};

using Cell = std::optional<std::string>;  // nullopt is SQL NULL
using Row = std::vector<Cell>;

enum class OutputFormat { Table, Json, Ndjson, Csv };

// Parses "table", "json", "ndjson" or "csv"; throws CliError naming the choices.
OutputFormat parse_output_format(const std::string& name);

// Receives rows one at a time; end() completes the output.
class RowSink {
  public:
    virtual ~RowSink() = default;
    virtual void begin(const std::vector<Column>& columns) = 0;
    virtual void row(const Row& row) = 0;
    virtual void end() = 0;
};

// A sink writing `format` to `out`. Table output buffers (to align columns); the others stream.
std::unique_ptr<RowSink> make_row_sink(OutputFormat format, std::ostream& out);

// One row as a JSON object, cells rendered as the json format renders them.
std::string json_object(const std::vector<Column>& columns, const Row& row);

// PostgreSQL's ISO text of a timestamptz in UTC ("2025-01-15 10:00:00.5+00") as RFC 3339
// ("2025-01-15T10:00:00.5Z").
std::string rfc3339_from_pg(const std::string& pg_text);

}  // namespace costops::cli
