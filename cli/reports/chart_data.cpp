#include "chart_data.hpp"

#include <algorithm>
#include <map>

namespace costops::cli {

StackedBarChart stacked_chart(const std::string& title, const std::vector<ChartPoint>& points,
                              size_t max_series) {
    StackedBarChart chart;
    chart.title = title;
    std::map<std::string, size_t> category_index;
    std::map<std::string, costops::Decimal> series_total;
    for (const auto& p : points) {
        if (category_index.emplace(p.category, chart.categories.size()).second) {
            chart.categories.push_back(p.category);
        }
        series_total[p.series] = series_total[p.series] + p.value;
    }
    std::vector<std::pair<std::string, costops::Decimal>> ranked(series_total.begin(),
                                                                 series_total.end());
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::map<std::string, size_t> series_index;
    for (const auto& [name, total] : ranked) {
        if (chart.series.size() == max_series && ranked.size() > max_series) {
            series_index[name] = max_series;
            continue;
        }
        series_index[name] = chart.series.size();
        chart.series.push_back(name);
    }
    if (ranked.size() > max_series) chart.series.push_back("other");
    chart.values.assign(chart.series.size(),
                        std::vector<costops::Decimal>(chart.categories.size()));
    for (const auto& p : points) {
        auto& cell = chart.values[series_index[p.series]][category_index[p.category]];
        cell = cell + p.value;
    }
    return chart;
}

}  // namespace costops::cli
