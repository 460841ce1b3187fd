// One registration function per command file: each adds its subcommand to the app.
#pragma once

#include <CLI/CLI.hpp>

#include "../context.hpp"

namespace costops::cli {

// Adds a subcommand whose help text's first line is the summary shown in command lists and
// whose remaining lines (details, examples) are shown by its own --help.
CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& help);

void register_init_command(CLI::App& app, Context& ctx);
void register_migrate_command(CLI::App& app, Context& ctx);
void register_local_command(CLI::App& app, Context& ctx);
void register_pricing_command(CLI::App& app, Context& ctx);
void register_ingest_command(CLI::App& app, Context& ctx);
void register_query_command(CLI::App& app, Context& ctx);
void register_summary_command(CLI::App& app, Context& ctx);
void register_export_command(CLI::App& app, Context& ctx);
void register_reprice_command(CLI::App& app, Context& ctx);
void register_rejects_command(CLI::App& app, Context& ctx);
void register_runs_command(CLI::App& app, Context& ctx);
void register_retention_command(CLI::App& app, Context& ctx);
void register_budget_command(CLI::App& app, Context& ctx);
void register_alerts_command(CLI::App& app, Context& ctx);
void register_report_command(CLI::App& app, Context& ctx);
void register_forecast_command(CLI::App& app, Context& ctx);
void register_anomalies_command(CLI::App& app, Context& ctx);
// Throws CliError unless `month` is empty or a month YYYY-MM (the --month of budget and alerts).
void check_month_option(const std::string& month);
// `pricing alias`, registered by the pricing command.
void register_alias_command(CLI::App& pricing, Context& ctx);

}  // namespace costops::cli
