// cost-ops query: print usage records with their exact costs.
#include <iostream>

#include "../db/copy_reader.hpp"
#include "../record_filter.hpp"
#include "../text_count.hpp"
#include "../usage_columns.hpp"
#include "commands.hpp"

namespace costops::cli {

void register_query_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "query",
        "Print usage records, oldest first, with their exact costs (NULL cost = unpriced).\n"
        "json, ndjson and csv have every column of the records, among them service_tier,\n"
        "price_match (how the model found its price: exact, alias, rule, fallback or\n"
        "normalized) and unpriced_reason (why a record has no cost); the table shows the main\n"
        "ones.\n"
        "Examples:\n"
        "  cost-ops query --range last-7-days --output table\n"
        "  cost-ops query --output json | jq 'length'");
    struct Options {
        RecordFilter filter;
        std::string output = "table";
        long limit = -1;
    };
    auto o = std::make_shared<Options>();
    add_range_options(*cmd, o->filter);
    add_key_filter_options(*cmd, o->filter);
    cmd->add_flag("--unpriced", o->filter.unpriced_only,
                  "only records stored unpriced (see unpriced_reason)");
    cmd->add_option("--output,-o", o->output, "table, json (an array of records), ndjson or csv")
        ->check(CLI::IsMember({"table", "json", "ndjson", "csv"}));
    cmd->add_option("--limit", o->limit,
                    "at most this many records (default: 100 for table, all otherwise; 0 = all)");
    cmd->callback([&ctx, o] {
        OutputFormat format = parse_output_format(o->output);
        const auto& columns =
            format == OutputFormat::Table ? usage_table_columns() : usage_record_columns();
        pqxx::connection& conn = ctx.connection();
        long limit = o->limit >= 0 ? o->limit : (format == OutputFormat::Table ? 100 : 0);
        std::string sql = usage_select(columns) + where_clause(o->filter, conn) +
                          " ORDER BY u.\"timestamp\", u.id";
        if (limit > 0) sql += " LIMIT " + std::to_string(limit + 1);
        pqxx::work tx(conn);
        auto sink = make_row_sink(format, std::cout);
        sink->begin(columns);
        long shown = 0;
        bool more = false;
        copy_query_rows(tx, sql, [&](const Row& row) {
            if (limit > 0 && shown == limit) {
                more = true;
                return;
            }
            ++shown;
            sink->row(row);
        });
        sink->end();
        if (more) {
            std::cerr << "cost-ops: showing the first " << counted(limit, "record")
                      << "; use --limit 0 for all, or --output csv|json\n";
        }
    });
}

}  // namespace costops::cli
