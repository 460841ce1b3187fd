#include "row_sink.hpp"

#include <algorithm>

#include "../cli_error.hpp"
#include "exact_json.hpp"

namespace costops::cli {

namespace {

// Aligned columns for people; integers and costs right-aligned, NULL shown empty.
class TableSink : public RowSink {
  public:
    explicit TableSink(std::ostream& out) : out_(out) {}
    void begin(const std::vector<Column>& columns) override { columns_ = columns; }
    void row(const Row& row) override {
        std::vector<std::string> cells;
        for (size_t i = 0; i < row.size(); ++i) {
            std::string text = row[i].value_or("");
            if (columns_[i].kind == ColumnKind::Timestamp && row[i]) text = rfc3339_from_pg(text);
            cells.push_back(std::move(text));
        }
        rows_.push_back(std::move(cells));
    }
    void end() override {
        std::vector<size_t> width(columns_.size());
        for (size_t i = 0; i < columns_.size(); ++i) width[i] = columns_[i].name.size();
        for (const auto& r : rows_) {
            for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
        }
        auto line = [&](const std::vector<std::string>& cells, bool header) {
            for (size_t i = 0; i < cells.size(); ++i) {
                bool right = !header && (columns_[i].kind == ColumnKind::Integer ||
                                         columns_[i].kind == ColumnKind::Cost);
                std::string pad(width[i] - cells[i].size(), ' ');
                out_ << (i ? "  " : "") << (right ? pad + cells[i] : cells[i] + pad);
            }
            out_ << "\n";
        };
        std::vector<std::string> names;
        for (const auto& c : columns_) names.push_back(c.name);
        line(names, true);
        std::vector<std::string> rule;
        for (size_t w : width) rule.push_back(std::string(w, '-'));
        line(rule, true);
        for (const auto& r : rows_) line(r, false);
        out_ << "(" << rows_.size() << (rows_.size() == 1 ? " row)\n" : " rows)\n");
    }

  private:
    std::ostream& out_;
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

// A JSON value for one cell.
std::string json_cell(const Column& column, const Cell& cell) {
    if (!cell) return "null";
    switch (column.kind) {
        case ColumnKind::Integer:
            return *cell;
        case ColumnKind::Json:
            return dump_exact(parse_json_exact(*cell));
        case ColumnKind::Timestamp:
            return Json(rfc3339_from_pg(*cell)).dump();
        case ColumnKind::Cost:
        case ColumnKind::Text:
            break;
    }
    return Json(*cell).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// JSON objects, as one array (json) or one per line (ndjson).
class JsonSink : public RowSink {
  public:
    JsonSink(std::ostream& out, bool lines) : out_(out), lines_(lines) {}
    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        if (!lines_) out_ << "[";
    }
    void row(const Row& row) override {
        std::string obj = json_object(columns_, row);
        if (lines_) {
            out_ << obj << "\n";
        } else {
            out_ << (count_ ? ",\n  " : "\n  ") << obj;
        }
        ++count_;
    }
    void end() override {
        if (!lines_) out_ << (count_ ? "\n]\n" : "]\n");
    }

  private:
    std::ostream& out_;
    bool lines_;
    size_t count_ = 0;
    std::vector<Column> columns_;
};

// RFC 4180 quoting: only when a field needs it. NULL is an empty field.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

class CsvSink : public RowSink {
  public:
    explicit CsvSink(std::ostream& out) : out_(out) {}
    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        for (size_t i = 0; i < columns.size(); ++i)
            out_ << (i ? "," : "") << csv_field(columns[i].name);
        out_ << "\n";
    }
    void row(const Row& row) override {
        for (size_t i = 0; i < row.size(); ++i) {
            std::string text = row[i].value_or("");
            if (row[i] && columns_[i].kind == ColumnKind::Timestamp) text = rfc3339_from_pg(text);
            out_ << (i ? "," : "") << csv_field(text);
        }
        out_ << "\n";
    }
    void end() override { out_.flush(); }

  private:
    std::ostream& out_;
    std::vector<Column> columns_;
};

}  // namespace

std::string json_object(const std::vector<Column>& columns, const Row& row) {
    std::string obj = "{";
    for (size_t i = 0; i < row.size(); ++i) {
        if (i) obj += ",";
        obj += Json(columns[i].name).dump() + ":" + json_cell(columns[i], row[i]);
    }
    return obj + "}";
}

OutputFormat parse_output_format(const std::string& name) {
    if (name == "table") return OutputFormat::Table;
    if (name == "json") return OutputFormat::Json;
    if (name == "ndjson") return OutputFormat::Ndjson;
    if (name == "csv") return OutputFormat::Csv;
    throw CliError("unknown output format '" + name + "': use table, json, ndjson or csv");
}

std::unique_ptr<RowSink> make_row_sink(OutputFormat format, std::ostream& out) {
    switch (format) {
        case OutputFormat::Table:
            return std::make_unique<TableSink>(out);
        case OutputFormat::Json:
            return std::make_unique<JsonSink>(out, false);
        case OutputFormat::Ndjson:
            return std::make_unique<JsonSink>(out, true);
        case OutputFormat::Csv:
            break;
    }
    return std::make_unique<CsvSink>(out);
}

std::string rfc3339_from_pg(const std::string& pg_text) {
    std::string out = pg_text;
    if (out.size() > 10 && out[10] == ' ') out[10] = 'T';
    if (out.size() >= 3 && out.compare(out.size() - 3, 3, "+00") == 0) {
        out.replace(out.size() - 3, 3, "Z");
    }
    return out;
}

}  // namespace costops::cli
