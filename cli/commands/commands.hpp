// One registration function per command file: each adds its subcommand to the app.
#pragma once

#include <CLI/CLI.hpp>

#include "../context.hpp"

namespace costops::cli {

void register_init_command(CLI::App& app, Context& ctx);
void register_migrate_command(CLI::App& app, Context& ctx);
void register_local_command(CLI::App& app, Context& ctx);
void register_pricing_command(CLI::App& app, Context& ctx);
void register_ingest_command(CLI::App& app, Context& ctx);
void register_query_command(CLI::App& app, Context& ctx);
void register_summary_command(CLI::App& app, Context& ctx);
void register_export_command(CLI::App& app, Context& ctx);

}  // namespace costops::cli
