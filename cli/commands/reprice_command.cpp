// cost-ops reprice: recompute stored costs with the prices valid at each record's time, after a
// price was corrected or added (new prices apply to new rows at once; stored rows on request).
#include <iostream>

#include "../record_filter.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// One statement: reprice the selected rows through the trigger, and compare old and new costs.
std::string reprice_sql(const std::string& where) {
    return "WITH selected AS (SELECT u.id, u.total_cost FROM cost_ops.usage_records AS u" + where +
           "), repriced AS (UPDATE cost_ops.usage_records AS u SET model = u.model "
           "FROM selected AS s WHERE u.id = s.id "
           "RETURNING s.total_cost AS old_cost, u.total_cost AS new_cost) "
           "SELECT count(*), "
           // Text comparison: the cost type's text is canonical, and needs no search_path.
           "count(*) FILTER (WHERE old_cost::text IS DISTINCT FROM new_cost::text), "
           "count(*) FILTER (WHERE old_cost IS NULL AND new_cost IS NOT NULL), "
           "count(*) FILTER (WHERE new_cost IS NULL), "
           "coalesce(cost_ops.sum(old_cost)::text, '0'), coalesce(cost_ops.sum(new_cost)::text, "
           "'0') "
           "FROM repriced";
}

}  // namespace

void register_reprice_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "reprice",
        "Recompute stored costs with the prices valid at each record's own time.\n"
        "Use it after correcting a price, adding a price for a period that already has\n"
        "records, or adding the price of a model whose records were stored unpriced. Runs in\n"
        "one transaction and prints how many records changed and the old and new totals.\n"
        "Examples:\n"
        "  cost-ops reprice --unpriced\n"
        "  cost-ops reprice --provider openai --model gpt-4-turbo --range 2025-01-01..");
    auto filter = std::make_shared<RecordFilter>();
    cmd->add_option("--range", filter->range, kRangeHelp);
    add_key_filter_options(*cmd, *filter);
    cmd->add_flag("--unpriced", filter->unpriced_only, "only records stored unpriced");
    cmd->callback([&ctx, filter] {
        pqxx::connection& conn = ctx.connection();
        pqxx::work tx(conn);
        pqxx::row r = tx.exec1(reprice_sql(where_clause(*filter, conn)));
        tx.commit();
        std::cout << "repriced " << r[0].as<long>() << " records: " << r[1].as<long>()
                  << " changed cost (" << r[2].as<long>() << " newly priced), " << r[3].as<long>()
                  << " still unpriced; total " << r[4].c_str() << " -> " << r[5].c_str()
                  << " USD (priced records)\n";
    });
}

}  // namespace costops::cli
