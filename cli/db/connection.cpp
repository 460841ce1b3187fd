#include "connection.hpp"

#include "../cli_error.hpp"
#include "database_errors.hpp"
#include "local_instance.hpp"

namespace costops::cli {

std::unique_ptr<pqxx::connection> connect_database(const DatabaseTarget& target) {
    std::string url = target.local ? LocalInstance().ensure_running() : target.url;
    try {
        auto conn = std::make_unique<pqxx::connection>(url);
        pqxx::nontransaction setup(*conn);
        // search_path: every name cost-ops' SQL leaves unqualified (to_char, date_trunc, =, ...)
        // is pg_catalog's, never a same-named object another role planted in a schema of the
        // caller's path (its own temp tables still resolve, pg_temp last). client_min_messages:
        // what the extension's NOTICEs tell a psql user (stale costs after a new price), the
        // commands print in their own words.
        setup.exec(
            "SET search_path = pg_catalog, pg_temp; SET TimeZone = 'UTC'; "
            "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; "
            "SET client_min_messages = warning");
        return conn;
    } catch (const pqxx::broken_connection& e) {
        throw CliError("cannot connect to " + redact_url(url) + " (from " + target.source +
                       "): " + one_line(e.what()));
    }
}

void require_extension(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    auto r =
        tx.exec("SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'llm_cost_ops'");
    if (r.empty()) {
        throw CliError("the llm_cost_ops extension is not installed in database " +
                       std::string(conn.dbname()) + ": run 'cost-ops init' first");
    }
    std::string installed = r[0][0].as<std::string>();
    if (installed != kExtensionVersion) {
        throw CliError("the llm_cost_ops extension in database " + std::string(conn.dbname()) +
                       " is version " + installed + ", this cost-ops needs " + kExtensionVersion +
                       ": run 'cost-ops migrate run' (ALTER EXTENSION llm_cost_ops UPDATE)");
    }
}

}  // namespace costops::cli
