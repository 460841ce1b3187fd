// The .pdf format: cairo's PDF surface, A4 landscape pages; text is drawn as text (pdftotext
// extracts it), charts with the same painter as the HTML's.
#include <algorithm>

#include <cairo-pdf.h>

#include "../cli_error.hpp"
#include "chart_drawing.hpp"
#include "report_document.hpp"

namespace costops::cli {

namespace {

constexpr double kPageWidth = 842, kPageHeight = 595, kMargin = 36;
constexpr double kChartHeight = 230;

// Lays text out down the pages: a cursor, and a new page when the next item does not fit.
class PdfPages {
  public:
    explicit PdfPages(cairo_t* cr) : cr_(cr) {}

    // Makes room for `height` points, starting a page when they do not fit on this one.
    void need(double height) {
        if (y_ + height <= kPageHeight - kMargin) return;
        cairo_show_page(cr_);
        y_ = kMargin;
    }

    // One line of text at `size` points, then the cursor moves below it.
    void line(const std::string& text, double size, bool bold = false, double indent = 0) {
        font(size, bold);
        need(size * 1.5);
        y_ += size * 1.2;
        cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
        cairo_move_to(cr_, kMargin + indent, y_);
        cairo_show_text(cr_, text.c_str());
        y_ += size * 0.3;
    }

    // A paragraph wrapped at word boundaries to the text width.
    void paragraph(const std::string& text, double size) {
        font(size);
        for (const auto& l : wrapped(text, kPageWidth - 2 * kMargin)) line(l, size);
    }

    // A chart the width of the text, on one page.
    void chart(const StackedBarChart& chart) {
        need(kChartHeight + 8);
        draw_stacked_bar_chart(cr_, chart, kMargin, y_ + 4, kPageWidth - 2 * kMargin, kChartHeight);
        y_ += kChartHeight + 8;
    }

    // A table: its font shrinks (to 4.5 points) until the columns fit the page width; the
    // header row is repeated on every page it spans.
    void table(const ReportTable& t) {
        need(9 * 1.5 + 7.5 * 1.5 * 3);  // the title stays with its header and first rows
        line(t.title, 9, true);
        double size = 7.5;
        std::vector<double> widths;
        for (;; size -= 0.5) {
            widths = column_widths(t, size);
            double total = 0;
            for (double w : widths) total += w;
            if (total <= kPageWidth - 2 * kMargin || size <= 4.5) break;
        }
        auto header = [&] {
            Row names;
            for (const auto& c : t.columns) names.push_back(c.name);
            table_row(t, names, widths, size, true);
        };
        header();
        for (const auto& row : t.rows) {
            if (y_ + size * 1.5 > kPageHeight - kMargin) {
                need(kPageHeight);
                header();
            }
            table_row(t, row, widths, size, false);
        }
        y_ += 6;
    }

    // Leaves `points` of blank space.
    void space(double points) { y_ += points; }

  private:
    // `text` cut at spaces into lines no wider than `max_width` in the current font (a word
    // wider than that is a line of its own).
    std::vector<std::string> wrapped(const std::string& text, double max_width) {
        std::vector<std::string> lines;
        std::string current, word;
        auto add_word = [&] {
            std::string next = current.empty() ? word : current + " " + word;
            if (!current.empty() && width(next) > max_width) {
                lines.push_back(current);
                current = word;
            } else {
                current = next;
            }
            word.clear();
        };
        for (char c : text) {
            if (c == ' ') {
                add_word();
            } else {
                word += c;
            }
        }
        add_word();
        if (!current.empty() || lines.empty()) lines.push_back(current);
        return lines;
    }

    // Sets the report font.
    void font(double size, bool bold = false) {
        cairo_select_font_face(cr_, kReportFont, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr_, size);
    }

    // The advance width of `text` in the current font.
    double width(const std::string& text) {
        cairo_text_extents_t e;
        cairo_text_extents(cr_, text.c_str(), &e);
        return e.x_advance;
    }

    // Each column's width at `size`: its widest cell or header, plus padding.
    std::vector<double> column_widths(const ReportTable& t, double size) {
        std::vector<double> widths(t.columns.size());
        for (size_t i = 0; i < t.columns.size(); ++i) {
            font(size, true);
            widths[i] = width(t.columns[i].name);
            font(size);
            for (const auto& row : t.rows)
                widths[i] = std::max(widths[i], width(row[i].value_or("")));
            // A long text (what differs, a reason) wraps rather than shrinking the whole table.
            if (t.columns[i].kind == ColumnKind::Text) widths[i] = std::min(widths[i], size * 16);
            widths[i] += size * 1.2;
        }
        return widths;
    }

    // One row of a table; numbers right-aligned in their column, long texts wrapped.
    void table_row(const ReportTable& t, const Row& row, const std::vector<double>& widths,
                   double size, bool bold) {
        font(size, bold);
        std::vector<std::vector<std::string>> cells;
        size_t lines = 1;
        for (size_t i = 0; i < row.size(); ++i) {
            cells.push_back(wrapped(row[i].value_or(""), widths[i] - size * 1.2));
            lines = std::max(lines, cells.back().size());
        }
        double step = size * 1.25;
        need(step * static_cast<double>(lines) + size * 0.25);
        double x = kMargin;
        cairo_set_source_rgb(cr_, 0.1, 0.1, 0.1);
        for (size_t i = 0; i < row.size(); ++i) {
            bool number =
                t.columns[i].kind == ColumnKind::Integer || t.columns[i].kind == ColumnKind::Cost;
            for (size_t l = 0; l < cells[i].size(); ++l) {
                const std::string& text = cells[i][l];
                double at = number ? x + widths[i] - size * 0.6 - width(text) : x;
                cairo_move_to(cr_, at, y_ + step * static_cast<double>(l + 1));
                cairo_show_text(cr_, text.c_str());
            }
            x += widths[i];
        }
        y_ += step * static_cast<double>(lines);
        if (bold) {
            cairo_set_line_width(cr_, 0.4);
            cairo_move_to(cr_, kMargin, y_ + size * 0.35);
            cairo_line_to(cr_, x, y_ + size * 0.35);
            cairo_stroke(cr_);
        }
        y_ += size * 0.25;
    }

    cairo_t* cr_;
    double y_ = kMargin;
};

}  // namespace

void write_pdf_report(const ReportDocument& doc, const std::string& path) {
    cairo_surface_t* surface = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        throw CliError("cannot write " + path);
    }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc.title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "cost-ops report");
    cairo_t* cr = cairo_create(surface);
    PdfPages pages(cr);
    pages.line(doc.title, 16, true);
    if (!doc.status.empty()) pages.line("Result: " + doc.status, 13, true);
    for (const auto& s : doc.sections) {
        pages.space(8);
        // A heading stays with what follows it: its facts, or its chart.
        pages.need(18 + (s.charts.empty() ? 40 : kChartHeight + 8));
        pages.line(s.heading, 12, true);
        for (const auto& [label, value] : s.facts) pages.line(label + ": " + value, 8, false, 6);
        for (const auto& n : s.notes) pages.paragraph(n, 8);
        for (const auto& c : s.charts) pages.chart(c);
        for (const auto& t : s.tables) pages.table(t);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) throw CliError("writing " + path + " failed");
}

}  // namespace costops::cli
