// Builds a stacked bar chart from (category, series, amount) rows, as SQL returns them.
#pragma once

#include <string>
#include <vector>

#include "report_document.hpp"

namespace costops::cli {

struct ChartPoint {
    std::string category, series;
    costops::Decimal value;
};

// Categories in order of first appearance (the SQL's order); series by their total, largest
// first, at most `max_series` (the rest summed as "other"), so the legend stays readable.
StackedBarChart stacked_chart(const std::string& title, const std::vector<ChartPoint>& points,
                              size_t max_series = 9);

}  // namespace costops::cli
