// The .html format: one self-contained page (inline CSS, charts as inline SVG, no scripts).
#include <ostream>

#include "chart_drawing.hpp"
#include "report_document.hpp"

namespace costops::cli {

namespace {

// Text escaped for HTML content and attribute values.
std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

const char* const kStyle =
    "body{font-family:'DejaVu Sans',sans-serif;margin:24px;color:#1a1a1a;font-size:13px}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}"
    "h3{font-size:14px}table{border-collapse:collapse;margin:8px 0}"
    "td,th{border:1px solid #ddd;padding:3px "
    "7px;white-space:nowrap}th{background:#f2f2f2;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".PASS{color:#17801f;font-size:18px}.FAIL{color:#c0161b;font-size:18px}dl{display:grid;grid-"
    "template-columns:max-content "
    "auto;gap:2px 16px}dt{color:#555}dd{margin:0;font-variant-numeric:tabular-nums}"
    "svg{width:100%;max-width:1140px;height:auto;display:block}";

// A table with its title; integer and cost cells right-aligned; NULL as an empty cell.
void write_table(const ReportTable& table, std::ostream& out) {
    out << "<h3>" << escaped(table.title) << "</h3>\n<table><tr>";
    for (const auto& c : table.columns) out << "<th>" << escaped(c.name) << "</th>";
    out << "</tr>\n";
    for (const auto& row : table.rows) {
        out << "<tr>";
        for (size_t i = 0; i < row.size(); ++i) {
            bool number = table.columns[i].kind == ColumnKind::Integer ||
                          table.columns[i].kind == ColumnKind::Cost;
            out << (number ? "<td class=\"n\">" : "<td>") << escaped(row[i].value_or(""))
                << "</td>";
        }
        out << "</tr>\n";
    }
    out << "</table>\n";
}

}  // namespace

void write_html_report(const ReportDocument& doc, std::ostream& out) {
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        << escaped(doc.title) << "</title><style>" << kStyle << "</style></head><body>\n<h1>"
        << escaped(doc.title) << "</h1>\n";
    if (!doc.status.empty()) {
        out << "<p class=\"" << doc.status << "\"><strong>" << doc.status << "</strong></p>\n";
    }
    for (const auto& s : doc.sections) {
        out << "<h2>" << escaped(s.heading) << "</h2>\n";
        if (!s.facts.empty()) {
            out << "<dl>";
            for (const auto& [label, value] : s.facts) {
                out << "<dt>" << escaped(label) << "</dt><dd>" << escaped(value) << "</dd>";
            }
            out << "</dl>\n";
        }
        for (const auto& n : s.notes) out << "<p>" << escaped(n) << "</p>\n";
        for (const auto& c : s.charts) out << chart_svg(c, 760, 250) << "\n";
        for (const auto& t : s.tables) write_table(t, out);
    }
    out << "</body></html>\n";
}

}  // namespace costops::cli
