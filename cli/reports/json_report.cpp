// The .json format: the whole document, machine-readable; costs stay exact decimal strings.
#include <ostream>

#include "exact_json.hpp"
#include "report_document.hpp"

namespace costops::cli {

namespace {

// A table as {"title", "rows": [objects]}, each row rendered as the json output renders it.
std::string table_json(const ReportTable& table) {
    std::string out = "{\"title\":" + Json(table.title).dump() + ",\"rows\":[";
    for (size_t i = 0; i < table.rows.size(); ++i) {
        out += (i ? ",\n    " : "\n    ") + json_object(table.columns, table.rows[i]);
    }
    return out + "]}";
}

// A chart's data: categories and, per series, its exact values.
Json chart_json(const StackedBarChart& chart) {
    Json series = Json::array();
    for (size_t s = 0; s < chart.series.size(); ++s) {
        Json values = Json::array();
        for (const auto& v : chart.values[s]) values.push_back(v.to_string());
        series.push_back({{"name", chart.series[s]}, {"values", values}});
    }
    return {{"title", chart.title}, {"categories", chart.categories}, {"series", series}};
}

}  // namespace

void write_json_report(const ReportDocument& doc, std::ostream& out) {
    out << "{\"type\":" << Json(doc.type).dump() << ",\"title\":" << Json(doc.title).dump();
    if (!doc.status.empty()) out << ",\"status\":" << Json(doc.status).dump();
    out << ",\"sections\":[";
    for (size_t i = 0; i < doc.sections.size(); ++i) {
        const ReportSection& s = doc.sections[i];
        Json facts = Json::object();
        for (const auto& [label, value] : s.facts) facts[label] = value;
        Json charts = Json::array();
        for (const auto& c : s.charts) charts.push_back(chart_json(c));
        out << (i ? ",\n" : "\n") << "{\"heading\":" << Json(s.heading).dump()
            << ",\"facts\":" << facts.dump() << ",\"notes\":" << Json(s.notes).dump()
            << ",\"charts\":" << charts.dump() << ",\"tables\":[";
        for (size_t t = 0; t < s.tables.size(); ++t) {
            out << (t ? ",\n  " : "\n  ") << table_json(s.tables[t]);
        }
        out << "]}";
    }
    out << "\n]}\n";
}

}  // namespace costops::cli
