#include "chart_drawing.hpp"

#include <algorithm>

#include <cairo-svg.h>

namespace costops::cli {

namespace {

using costops::Decimal;

// Distinct, print-friendly colours, one per series (repeating after ten).
const double kPalette[][3] = {{0.12, 0.47, 0.71}, {1.00, 0.50, 0.05}, {0.17, 0.63, 0.17},
                              {0.84, 0.15, 0.16}, {0.58, 0.40, 0.74}, {0.55, 0.34, 0.29},
                              {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}, {0.74, 0.74, 0.13},
                              {0.09, 0.75, 0.81}};

// The share `part` is of `whole`, for a pixel position only (never printed, never summed).
double pixel_ratio(Decimal part, Decimal whole) {
    if (whole <= Decimal()) return 0;
    return static_cast<double>(static_cast<long double>(part.raw()) /
                               static_cast<long double>(whole.raw()));
}

// Sets the report font at `size` points, bold or not.
void set_font(cairo_t* cr, double size, bool bold = false) {
    cairo_select_font_face(cr, kReportFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

// The advance width of `text` in the current font.
double text_width(cairo_t* cr, const std::string& text) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, text.c_str(), &e);
    return e.x_advance;
}

// Draws `text` with its baseline starting at (x, y), in black.
void draw_text(cairo_t* cr, const std::string& text, double x, double y) {
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text.c_str());
}

// A category's axis label: "11-16" for a date "2023-11-16", else the category itself.
std::string short_label(const std::string& category) {
    return category.size() == 10 && category[4] == '-' ? category.substr(5) : category;
}

// Each category's stack total, exact.
std::vector<Decimal> stack_totals(const StackedBarChart& chart) {
    std::vector<Decimal> totals(chart.categories.size());
    for (const auto& series : chart.values) {
        for (size_t c = 0; c < series.size(); ++c) totals[c] = totals[c] + series[c];
    }
    return totals;
}

// The legend: a swatch, the series name and its exact total, one line each, from (x, y).
void draw_legend(cairo_t* cr, const StackedBarChart& chart, double x, double y, double bottom) {
    set_font(cr, 7);
    for (size_t s = 0; s < chart.series.size() && y + 10 <= bottom; ++s, y += 11) {
        Decimal total;
        for (const auto& v : chart.values[s]) total = total + v;
        const double* rgb = kPalette[s % 10];
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle(cr, x, y - 7, 8, 8);
        cairo_fill(cr);
        draw_text(cr, chart.series[s] + "  " + total.to_string(), x + 12, y);
    }
}

// The axis top: the smallest of 4 x (1, 2, 2.5 or 5 x 10^k) that holds `highest`, so the five
// exact axis amounts are short.
Decimal axis_top(Decimal highest) {
    for (int k = -12; k <= 15; ++k) {
        for (const char* m : {"1", "2", "2.5", "5"}) {
            Decimal step = Decimal::parse(std::string(m) + "e" + std::to_string(k));
            if (step.times(4) >= highest) return step.times(4);
        }
    }
    return highest;
}

// The vertical axis: five exact amounts from 0 to `top`, with light grid lines across the plot.
void draw_axis(cairo_t* cr, Decimal top, double left, double plot_top, double plot_width,
               double plot_height) {
    set_font(cr, 7);
    for (int i = 0; i <= 4; ++i) {
        Decimal value = top.times(i).divided_by(4);
        double y = plot_top + plot_height - plot_height * i / 4;
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, left, y);
        cairo_line_to(cr, left + plot_width, y);
        cairo_stroke(cr);
        std::string label = value.to_string();
        draw_text(cr, label, left - 4 - text_width(cr, label), y + 2.5);
    }
}

}  // namespace

void draw_stacked_bar_chart(cairo_t* cr, const StackedBarChart& chart, double x, double y,
                            double width, double height) {
    cairo_save(cr);
    set_font(cr, 10, true);
    draw_text(cr, chart.title, x, y + 10);
    std::vector<Decimal> totals = stack_totals(chart);
    Decimal highest;
    for (const auto& t : totals) highest = std::max(highest, t);
    Decimal top = axis_top(highest);
    set_font(cr, 7);
    double axis_width = text_width(cr, top.to_string()) + 8;
    double legend_width = 0;
    for (size_t s = 0; s < chart.series.size(); ++s) {
        Decimal total;
        for (const auto& v : chart.values[s]) total = total + v;
        legend_width =
            std::max(legend_width, text_width(cr, chart.series[s] + "  " + total.to_string()) + 20);
    }
    double left = x + axis_width, plot_top = y + 22;
    double plot_width = std::max(50.0, width - axis_width - legend_width - 10);
    double plot_height = height - 22 - 16;
    draw_axis(cr, top, left, plot_top, plot_width, plot_height);
    size_t n = chart.categories.size();
    double slot = n ? plot_width / static_cast<double>(n) : plot_width;
    double bar = std::min(40.0, std::max(1.0, slot * 0.7));
    for (size_t c = 0; c < n; ++c) {
        double base = plot_top + plot_height;
        for (size_t s = 0; s < chart.series.size(); ++s) {
            double h = plot_height * pixel_ratio(chart.values[s][c], top);
            const double* rgb = kPalette[s % 10];
            cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            cairo_rectangle(cr, left + slot * static_cast<double>(c) + (slot - bar) / 2, base - h,
                            bar, h);
            cairo_fill(cr);
            base -= h;
        }
    }
    // Category labels: as many as fit without touching.
    set_font(cr, 7);
    double label_width = n ? text_width(cr, short_label(chart.categories[0])) + 6 : 1;
    size_t every = std::max<size_t>(1, static_cast<size_t>(label_width / slot) + 1);
    for (size_t c = 0; c < n; c += every) {
        std::string label = short_label(chart.categories[c]);
        double cx = left + slot * (static_cast<double>(c) + 0.5);
        draw_text(cr, label, cx - text_width(cr, label) / 2, plot_top + plot_height + 10);
    }
    draw_legend(cr, chart, left + plot_width + 12, plot_top + 8, y + height);
    cairo_restore(cr);
}

namespace {

// Appends what cairo's SVG surface writes to a string.
cairo_status_t append_svg(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string chart_svg(const StackedBarChart& chart, double width, double height) {
    std::string svg;
    cairo_surface_t* surface = cairo_svg_surface_create_for_stream(append_svg, &svg, width, height);
    cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX);  // CSS pixels, as HTML's
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_stacked_bar_chart(cr, chart, 8, 4, width - 16, height - 8);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    size_t start = svg.find("<svg");  // drops the XML declaration, which HTML does not want
    return start == std::string::npos ? svg : svg.substr(start);
}

}  // namespace costops::cli
