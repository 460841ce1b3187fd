// Picks the format from the output file's extension and writes the report through a temporary
// file renamed into place, so a failed write leaves nothing half-done behind.
#include <cstdio>
#include <fstream>

#include "../cli_error.hpp"
#include "report_document.hpp"

namespace costops::cli {

namespace {

// Whether `path` ends with `suffix`.
bool ends_with(const std::string& path, const std::string& suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void write_report(const ReportDocument& doc, const std::string& path) {
    bool pdf = ends_with(path, ".pdf"), html = ends_with(path, ".html") || ends_with(path, ".htm"),
         json = ends_with(path, ".json");
    if (!pdf && !html && !json) {
        throw CliError("--output " + path +
                       ": the extension picks the format: .pdf, .html or .json");
    }
    std::string partial = path + ".partial";
    try {
        if (pdf) {
            write_pdf_report(doc, partial);
        } else {
            std::ofstream out(partial, std::ios::binary);
            if (!out) throw CliError("cannot write " + path);
            if (html) {
                write_html_report(doc, out);
            } else {
                write_json_report(doc, out);
            }
            out.close();
            if (!out) throw CliError("writing " + path + " failed");
        }
        if (std::rename(partial.c_str(), path.c_str()) != 0) throw CliError("cannot write " + path);
    } catch (...) {
        std::remove(partial.c_str());
        throw;
    }
}

}  // namespace costops::cli
