// cost-ops local start|stop|status: the private PostgreSQL 15 instance cost-ops uses when no
// other database is configured.
#include <iostream>

#include "../db/local_instance.hpp"
#include "commands.hpp"

namespace costops::cli {

void register_local_command(CLI::App& app, Context&) {
    auto* cmd = add_command(
        app, "local",
        "The local PostgreSQL 15 instance (start, stop, status): the default database.\n"
        "It is used when no --database-url, $DATABASE__URL or [database] url is set. Any "
        "command that needs the database creates and starts it on demand; these subcommands "
        "manage it by hand.\n"
        "Files: $COST_OPS_HOME (default ~/.local/share/cost-ops, /var/lib/cost-ops for root) "
        "holds pgdata/, run/ (the Unix socket; no TCP) and postgres.log. "
        "$COST_OPS_LOCAL_PORT (default 54320) names the socket. As root, the server runs as "
        "the postgres user.");
    cmd->require_subcommand(1);

    auto* start = add_command(
        *cmd, "start",
        "Create the instance if needed, start it, and print its URL.\n"
        "Creating means initdb, the database costops and the llm_cost_ops extension; nothing "
        "to do when it already runs.\n"
        "Example: eval \"$(cost-ops local start | grep ^export)\" sets $DATABASE__URL for "
        "scripts; psql \"$DATABASE__URL\" then opens a SQL shell on it.");
    start->callback([] {
        std::string url = LocalInstance().ensure_running();
        std::cout << "the local PostgreSQL instance is running: " << url << "\n"
                  << "cost-ops uses it unless --database-url, $DATABASE__URL or [database] url "
                     "is set. For other tools:\n"
                  << "  psql '" << url << "'\n"
                  << "export DATABASE__URL='" << url << "'\n";
    });

    auto* stop = add_command(
        *cmd, "stop",
        "Stop the local instance (fast shutdown: open sessions are disconnected).\n"
        "Its data stays in $COST_OPS_HOME; the next command that needs it starts it again.");
    stop->callback([] {
        LocalInstance instance;
        std::cout << (instance.stop() ? "stopped" : "not running: nothing to stop for")
                  << " the local PostgreSQL instance in " << instance.home() << "\n";
    });

    auto* status =
        add_command(*cmd, "status",
                    "Show the local instance's home, state, server pid and URL; starts nothing.\n"
                    "The state is running, stopped or not created.");
    status->callback([] {
        LocalInstanceStatus s = LocalInstance().status();
        std::cout << "home:  " << s.home << "\n"
                  << "state: "
                  << (s.running       ? "running"
                      : s.initialized ? "stopped"
                                      : "not created")
                  << "\n"
                  << "pid:   " << (s.pid ? std::to_string(*s.pid) : "-") << "\n"
                  << "url:   " << (s.running ? s.url : "- (cost-ops local start)") << "\n";
    });
}

}  // namespace costops::cli
