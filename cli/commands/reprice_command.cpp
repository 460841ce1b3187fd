// cost-ops reprice: recompute stored costs with the prices valid at each record's time, after a
// price was corrected or added (new prices apply to new rows at once; stored rows on request).
#include <iostream>

#include "../cli_error.hpp"
#include "../record_filter.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// Reprices the selected records through cost_ops.reprice_records, which logs every change.
std::string reprice_sql(const std::string& where, const std::string& quoted_reason) {
    return "SELECT records, changed, newly_priced, newly_unpriced, unpriced, "
           "coalesce(old_total::text, '0'), coalesce(new_total::text, '0') "
           "FROM cost_ops.reprice_records(ARRAY(SELECT u.id FROM cost_ops.usage_records AS u" +
           where + "), " + quoted_reason + ")";
}

}  // namespace

void register_reprice_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "reprice",
        "Recompute stored costs with the prices valid at each record's own time.\n"
        "Use it after correcting a price, adding a price for a period that already has\n"
        "records, adding an alias, or adding the price of a model whose records were stored\n"
        "unpriced. Runs in one transaction, logs every change in cost_ops.reprice_log (old and\n"
        "new cost and price row, when, why) and prints how many records changed.\n"
        "Examples:\n"
        "  cost-ops reprice --unpriced\n"
        "  cost-ops reprice --provider openai --model gpt-4-turbo --from 2025-01-01\n"
        "  cost-ops reprice --range last-30-days --reason \"gpt-4o price corrected\"\n"
        "  cost-ops reprice --provider azure --dry-run      # what would change; nothing written\n"
        "The log: SELECT * FROM cost_ops.reprice_log ORDER BY id DESC;");
    struct Options {
        RecordFilter filter;
        std::string from, to, reason = "reprice";
        bool dry_run = false;
    };
    auto o = std::make_shared<Options>();
    add_range_options(*cmd, o->filter);
    cmd->add_option("--from", o->from, "first day or instant (same as --range FROM..)");
    cmd->add_option("--to", o->to, "last day, or an exclusive instant (same as --range ..TO)");
    add_key_filter_options(*cmd, o->filter);
    cmd->add_flag("--unpriced", o->filter.unpriced_only, "only records stored unpriced");
    cmd->add_option("--reason", o->reason, "why, recorded with each change (default: reprice)");
    cmd->add_flag("--dry-run", o->dry_run,
                  "compute and report the changes, then roll them back (nothing is written)");
    cmd->callback([&ctx, o] {
        if (!o->from.empty() || !o->to.empty()) {
            if (!o->filter.range.empty()) throw CliError("give --range or --from/--to, not both");
            o->filter.range = o->from + ".." + o->to;
        }
        pqxx::connection& conn = ctx.connection();
        std::string where = where_clause(o->filter, conn);
        pqxx::work tx(conn);
        pqxx::row r = tx.exec1(reprice_sql(where, tx.quote(o->reason)));
        if (o->dry_run) {
            tx.abort();
        } else {
            tx.commit();
        }
        std::cout << (o->dry_run ? "dry run, nothing written: would reprice " : "repriced ")
                  << counted(r[0].as<long>(), "record") << ": " << r[1].as<long>()
                  << " changed cost or price row (" << r[2].as<long>() << " newly priced, "
                  << r[3].as<long>() << " newly unpriced), " << r[4].as<long>()
                  << " unpriced; total " << r[5].c_str() << " -> " << r[6].c_str()
                  << " USD (priced records)\n";
    });
}

}  // namespace costops::cli
