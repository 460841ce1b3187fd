// cost-ops summary: exact totals of requests, tokens and costs, grouped by keys.
#include <iostream>

#include "../output/row_sink.hpp"
#include "../record_filter.hpp"
#include "../summary_query.hpp"
#include "../text_count.hpp"
#include "exact_json.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// Prints the summary in `format`: the total is a last "TOTAL" row (table) or its own member
// (json); csv holds the groups only, so summing its columns counts every record once (with no
// --group-by, its one row is the total).
void print_summary(OutputFormat format, const std::vector<Column>& columns,
                   const std::vector<Row>& groups, const Row& total, const std::string& range,
                   const std::vector<GroupKey>& keys) {
    size_t nkeys = keys.size();
    if (format == OutputFormat::Json || format == OutputFormat::Ndjson) {
        std::vector<Column> measures(columns.begin() + static_cast<long>(nkeys), columns.end());
        Row total_measures(total.begin() + static_cast<long>(nkeys), total.end());
        Json group_by = Json::array();
        for (const auto& k : keys) group_by.push_back(k.column);
        std::cout << "{\"range\":" << Json(range.empty() ? "all" : range).dump()
                  << ",\"group_by\":" << group_by.dump() << ",\"groups\":[";
        for (size_t i = 0; i < groups.size(); ++i) {
            std::cout << (i ? ",\n  " : "\n  ") << json_object(columns, groups[i]);
        }
        std::cout << (groups.empty() ? "]" : "\n]")
                  << ",\"total\":" << json_object(measures, total_measures) << "}\n";
        return;
    }
    auto sink = make_row_sink(format, std::cout);
    sink->begin(columns);
    for (const auto& row : groups) sink->row(row);
    if (format == OutputFormat::Table || nkeys == 0) {
        Row labelled = total;
        if (nkeys > 0) labelled[0] = std::string("TOTAL");
        sink->row(labelled);
    }
    sink->end();
}

}  // namespace

void register_summary_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "summary",
        "Exact totals of requests, tokens and costs, grouped (days of --timezone, default UTC).\n"
        "Hour buckets are labelled with their UTC offset (2025-10-26T02:00+02:00), so the hour\n"
        "repeated when clocks go back is two buckets.\n"
        "Unpriced records (no price for their model, time or service tier) are counted apart:\n"
        "their cost is unknown, not zero.\n"
        "Examples:\n"
        "  cost-ops summary --period last-30-days\n"
        "  cost-ops summary --group-by day,model --output csv\n"
        "  cost-ops summary --group-by day --timezone Europe/Paris --period last-month");
    struct Options {
        RecordFilter filter;
        std::string group_by = "provider,model", output = "table";
    };
    auto o = std::make_shared<Options>();
    add_range_options(*cmd, o->filter, "--period,--range");
    cmd->add_option("--group-by", o->group_by,
                    "comma-separated: provider, model, organization, project, user, day, month, "
                    "hour (default provider,model; \"\" for the total only)");
    add_key_filter_options(*cmd, o->filter);
    cmd->add_option("--output,-o", o->output, "table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd->callback([&ctx, o] {
        OutputFormat format = parse_output_format(o->output);
        SummaryResult r = run_summary(ctx.connection(), o->filter, o->group_by);
        print_summary(format, r.columns, r.groups, r.total, o->filter.range, r.keys);
        const Cell& unpriced = r.total_measure("unpriced");
        if (format == OutputFormat::Table && unpriced && *unpriced != "0") {
            bool one = *unpriced == "1";
            std::cout << (one ? "1 unpriced record is" : *unpriced + " unpriced records are")
                      << " not in the costs; 'cost-ops query --unpriced' lists "
                      << (one ? "it with its" : "them with their") << " unpriced_reason\n";
        }
    });
}

}  // namespace costops::cli
