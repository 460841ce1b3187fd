// cost-ops: set-up, pricing, ingestion, queries and exports for LLM Cost Ops.
#include <iostream>

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include "cli_error.hpp"
#include "commands/commands.hpp"
#include "db/connection.hpp"
#include "db/database_errors.hpp"

using namespace costops::cli;

namespace {

// The command word of a command line (the first argument that is not an option or the value
// of a global option), or "".
std::string command_word(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--database-url" || arg == "--config") {
            ++i;
        } else if (arg.empty() || arg[0] != '-') {
            return arg;
        }
    }
    return "";
}

// The migration guide's commands that cost-ops 1.0 does not have, and what to use meanwhile.
const char* not_yet(const std::string& command) {
    if (command == "auth") return "API keys are not in cost-ops 1.0: it has no HTTP API yet";
    return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cost-ops " COST_OPS_VERSION
                 ": track what your organization spends on LLM APIs, priced exactly inside "
                 "PostgreSQL by the llm_cost_ops extension.\n\n"
                 "The database is --database-url, else $DATABASE__URL, else [database] url in "
                 "the config file, else a local instance under $COST_OPS_HOME that cost-ops "
                 "starts on demand.\n\n"
                 "Start with:  cost-ops init   then   cost-ops pricing import --format "
                 "genai-prices FILE   then   cost-ops ingest --file usage.csv",
                 "cost-ops"};
    app.set_version_flag("--version",
                         std::string("cost-ops " COST_OPS_VERSION " (llm_cost_ops extension ") +
                             kExtensionVersion + ")");
    app.fallthrough();

    Context ctx;
    app.add_option("--database-url", ctx.options.database_url,
                   "PostgreSQL URL, e.g. postgresql://user@host:5432/costops "
                   "(default: $DATABASE__URL)");
    app.add_option_function<std::string>(
        "--config",
        [&](const std::string& path) {
            ctx.options.config_file = path;
            ctx.options.config_given = true;
        },
        "TOML config file (default ./cost-ops.toml)");

    register_init_command(app, ctx);
    register_migrate_command(app, ctx);
    register_local_command(app, ctx);
    register_pricing_command(app, ctx);
    register_ingest_command(app, ctx);
    register_query_command(app, ctx);
    register_summary_command(app, ctx);
    register_export_command(app, ctx);
    register_reprice_command(app, ctx);
    register_rejects_command(app, ctx);
    register_runs_command(app, ctx);
    register_retention_command(app, ctx);
    register_budget_command(app, ctx);
    register_alerts_command(app, ctx);
    register_report_command(app, ctx);
    register_forecast_command(app, ctx);
    register_anomalies_command(app, ctx);

    if (const char* message = not_yet(command_word(argc, argv))) {
        std::cerr << "cost-ops: error: " << message << "\n";
        return 2;
    }
    try {
        app.parse(argc, argv);
        if (app.get_subcommands().empty()) {
            std::cerr << app.help() << "\ncost-ops: error: give a command, e.g. cost-ops init\n";
            return 2;
        }
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        std::cerr << "cost-ops: error: " << one_line(e.what()) << " (see --help)\n";
        return 2;
    } catch (const CliError& e) {
        std::cerr << "cost-ops: error: " << one_line(e.what()) << "\n";
        return e.exit_code();
    } catch (const pqxx::sql_error& e) {
        std::cerr << "cost-ops: error: " << one_line(describe_sql_error(e)) << "\n";
        return 1;
    } catch (const pqxx::broken_connection& e) {
        std::cerr << "cost-ops: error: lost the database connection: " << first_line(e.what())
                  << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "cost-ops: error: " << first_line(e.what()) << "\n";
        return 1;
    }
    return 0;
}
