// cost-ops init: install the llm_cost_ops extension in the target database.
#include <iostream>

#include "../db/extension_versions.hpp"
#include "commands.hpp"

namespace costops::cli {

void register_init_command(CLI::App& app, Context& ctx) {
    auto* cmd =
        add_command(app, "init",
                    "Install the llm_cost_ops extension (schema cost_ops) in the database.\n"
                    "Needs a role that may CREATE EXTENSION; installs btree_gist too if missing.\n"
                    "Example: cost-ops init --database-url postgresql://admin@db/costops");
    cmd->callback([&ctx] {
        pqxx::connection& conn = ctx.connection(true);
        ExtensionVersions before = read_extension_versions(conn);
        if (before.installed) {
            // The local instance installs the extension when it creates the database.
            std::cout << "llm_cost_ops " << *before.installed
                      << (ctx.database_target().local
                              ? " is installed in the local instance's database "
                              : " is already installed in database ")
                      << conn.dbname();
            if (before.available && *before.available != *before.installed) {
                std::cout << "; version " << *before.available
                          << " is available: run 'cost-ops migrate run'";
            }
            std::cout << "\n";
            return;
        }
        install_extension(conn);
        ExtensionVersions after = read_extension_versions(conn);
        std::cout << "installed llm_cost_ops " << after.installed.value_or("?") << " in database "
                  << conn.dbname() << " (schema cost_ops)\n";
    });
}

}  // namespace costops::cli
