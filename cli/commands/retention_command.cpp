// cost-ops retention: detach or drop the monthly partitions of usage older than a given age.
#include <iostream>
#include <regex>

#include "../cli_error.hpp"
#include "../text_count.hpp"
#include "commands.hpp"

namespace costops::cli {

namespace {

// The SQL interval of an age such as 13mo, 90d or 2y; an error naming the accepted forms.
std::string age_interval(const std::string& age) {
    static const std::regex form("([0-9]{1,6})(mo|d|y)");
    std::smatch m;
    if (!std::regex_match(age, m, form)) {
        throw CliError("--older-than '" + age +
                       "' is not an age: give a whole number of months, days or years, e.g. "
                       "13mo, 400d, 2y");
    }
    const std::string unit = m[2] == "mo" ? " months" : m[2] == "d" ? " days" : " years";
    return m[1].str() + unit;
}

}  // namespace

void register_retention_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "retention",
        "Detach or drop the monthly partitions of usage older than an age.\n"
        "usage_records is partitioned by UTC month; a partition goes when its whole month ended\n"
        "at least --older-than ago. Its records leave every summary and the daily rollup, and\n"
        "their request ids may be ingested again. --detach keeps the month as a table of its\n"
        "own (cost_ops.usage_records_YYYY_MM_detached, to archive with pg_dump -t), --drop\n"
        "deletes it.\n"
        "All partitions go in one transaction: all or none. The default partition (instants no\n"
        "monthly partition covered when stored) is never touched.\n"
        "Examples:\n"
        "  cost-ops retention --older-than 13mo --drop --dry-run   # what would go; nothing done\n"
        "  cost-ops retention --older-than 13mo --detach\n"
        "Partitions are made ahead with SQL: SELECT cost_ops.create_partitions(now() + '3 "
        "months');");
    struct Options {
        std::string older_than;
        bool detach = false, drop = false, dry_run = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--older-than", o->older_than, "age: months (13mo), days (400d), years (2y)")
        ->required();
    auto* detach = cmd->add_flag("--detach", o->detach, "keep each month as a table of its own");
    cmd->add_flag("--drop", o->drop, "delete each month's records for good")->excludes(detach);
    cmd->add_flag("--dry-run", o->dry_run, "list what would go, with records and cost; do nothing");
    cmd->callback([&ctx, o] {
        if (!o->detach && !o->drop) {
            throw CliError(
                "say what to do with the old partitions: --detach or --drop (add "
                "--dry-run to see them first)");
        }
        const std::string interval = age_interval(o->older_than);
        pqxx::work tx(ctx.connection());
        const std::string cutoff = "now() - " + tx.quote(interval) + "::interval";
        pqxx::result r = o->dry_run
                             ? tx.exec(
                                   "SELECT partition::text, range_start, range_end, records, "
                                   "coalesce(total_cost::text, '0') FROM cost_ops.partitions() "
                                   "WHERE range_end <= " +
                                   cutoff + " ORDER BY range_start")
                             : tx.exec(
                                   "SELECT partition, range_start, range_end, records, "
                                   "coalesce(total_cost::text, '0') FROM "
                                   "cost_ops.detach_partitions(" +
                                   cutoff + ", " + (o->drop ? "true" : "false") + ")");
        std::string verb = o->drop ? "dropped" : "detached";
        if (o->dry_run) {
            tx.abort();
            verb = "would " + std::string(o->drop ? "drop" : "detach");
        } else {
            tx.commit();
        }
        long records = 0;
        for (const auto& row : r) {
            records += row[3].as<long>();
            std::cout << verb << " " << row[0].c_str() << " [" << row[1].c_str() << ", "
                      << row[2].c_str() << "): " << counted(row[3].as<long>(), "record") << ", "
                      << row[4].c_str() << " USD\n";
        }
        std::cout << (o->dry_run ? "dry run, nothing changed: " : "")
                  << counted(static_cast<int64_t>(r.size()), "partition") << " older than "
                  << o->older_than << ", " << counted(records, "record") << "\n";
    });
}

}  // namespace costops::cli
