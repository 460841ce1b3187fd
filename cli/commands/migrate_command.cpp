// cost-ops migrate run|status: bring the extension to the version this cost-ops ships.
#include <iostream>

#include "../db/extension_versions.hpp"
#include "commands.hpp"

namespace costops::cli {

void register_migrate_command(CLI::App& app, Context& ctx) {
    auto* cmd = add_command(
        app, "migrate",
        "Database migrations: the extension's installed version against the available one.");
    cmd->require_subcommand(1);

    auto* run =
        add_command(*cmd, "run",
                    "Install the extension, or ALTER EXTENSION llm_cost_ops UPDATE to the newest "
                    "installed version (one transaction).");
    run->callback([&ctx] {
        pqxx::connection& conn = ctx.connection(true);
        ExtensionVersions before = read_extension_versions(conn);
        if (!before.installed) {
            install_extension(conn);
            std::cout << "installed llm_cost_ops "
                      << read_extension_versions(conn).installed.value_or("?") << "\n";
            return;
        }
        if (before.available == before.installed) {
            std::cout << "llm_cost_ops is up to date (version " << *before.installed << ")\n";
            return;
        }
        update_extension(conn);
        std::cout << "updated llm_cost_ops from " << *before.installed << " to "
                  << read_extension_versions(conn).installed.value_or("?") << "\n";
    });

    auto* status = add_command(*cmd, "status", "Show installed and available versions.");
    status->callback([&ctx] {
        pqxx::connection& conn = ctx.connection(true);
        ExtensionVersions v = read_extension_versions(conn);
        std::cout << "database:  " << conn.dbname() << " (" << ctx.database_target().source << ")\n"
                  << "installed: " << v.installed.value_or("none") << "\n"
                  << "available: " << v.available.value_or("none (install the extension files)")
                  << "\n";
        if (!v.installed) {
            std::cout << "pending:   install (cost-ops init or cost-ops migrate run)\n";
        } else if (v.available && v.available != v.installed) {
            std::cout << "pending:   " << v.update_path << "\n";
        } else {
            std::cout << "pending:   none\n";
        }
    });
}

}  // namespace costops::cli
