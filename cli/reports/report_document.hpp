// What a report says, independent of its format: facts, tables and charts in sections. The JSON,
// HTML and PDF writers each render the same document, so every format holds the same figures.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../output/row_sink.hpp"
#include "decimal.hpp"

namespace costops::cli {

struct ReportTable {
    std::string title;
    std::vector<Column> columns;  // Cost columns hold exact decimal strings
    std::vector<Row> rows;
};

// Bars per category (a day), stacked by series (a model); values are exact amounts.
struct StackedBarChart {
    std::string title;
    std::vector<std::string> categories;
    std::vector<std::string> series;
    std::vector<std::vector<costops::Decimal>> values;  // [series][category]
};

struct ReportSection {
    std::string heading;
    std::vector<std::pair<std::string, std::string>> facts;  // label, value (exact text)
    std::vector<std::string> notes;                          // sentences explaining the figures
    std::vector<StackedBarChart> charts;
    std::vector<ReportTable> tables;
};

struct ReportDocument {
    std::string type;    // "reconciliation", "monthly"
    std::string title;   // first line of every format
    std::string status;  // "PASS", "FAIL", or "" when the report has no verdict
    std::vector<ReportSection> sections;
};

// Writes `doc` to `path` in the format its extension names (.json, .html, .pdf); throws
// CliError for another extension or a file that cannot be written (nothing is left behind).
void write_report(const ReportDocument& doc, const std::string& path);

// The format writers behind write_report.
void write_json_report(const ReportDocument& doc, std::ostream& out);
void write_html_report(const ReportDocument& doc, std::ostream& out);
void write_pdf_report(const ReportDocument& doc, const std::string& path);

}  // namespace costops::cli
