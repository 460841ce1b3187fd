// The one chart painter of the reports: cairo draws it on a PDF page or an SVG surface, so the
// PDF and the HTML show the same chart. Labels print exact amounts; only pixel positions are
// computed from ratios.
#pragma once

#include <string>

#include <cairo.h>

#include "report_document.hpp"

namespace costops::cli {

// The font every report text is drawn with (a sans-serif face fontconfig resolves).
constexpr const char* kReportFont = "DejaVu Sans";

// Draws `chart` (title, axis with exact amounts, bars, legend with each series' exact total)
// into the rectangle at (x, y) of the given size.
void draw_stacked_bar_chart(cairo_t* cr, const StackedBarChart& chart, double x, double y,
                            double width, double height);

// The chart as a standalone <svg> element (cairo's SVG surface), to inline in HTML.
std::string chart_svg(const StackedBarChart& chart, double width, double height);

}  // namespace costops::cli
