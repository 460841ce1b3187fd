#include "extension_versions.hpp"

namespace costops::cli {

ExtensionVersions read_extension_versions(pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    ExtensionVersions v;
    auto r = tx.exec(
        "SELECT e.extversion, a.default_version FROM pg_catalog.pg_available_extensions AS a "
        "LEFT JOIN pg_catalog.pg_extension AS e ON e.extname = a.name "
        "WHERE a.name = 'llm_cost_ops'");
    if (!r.empty()) {
        if (!r[0][0].is_null()) v.installed = r[0][0].as<std::string>();
        v.available = r[0][1].as<std::string>();
    } else {
        auto installed = tx.exec(
            "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'llm_cost_ops'");
        if (!installed.empty()) v.installed = installed[0][0].as<std::string>();
    }
    if (v.installed && v.available && *v.installed != *v.available) {
        auto path = tx.exec_params(
            "SELECT path FROM pg_catalog.pg_extension_update_paths('llm_cost_ops') "
            "WHERE source = $1 AND target = $2",
            *v.installed, *v.available);
        v.update_path = path.empty() || path[0][0].is_null()
                            ? "no update path from " + *v.installed + " to " + *v.available
                            : path[0][0].as<std::string>();
    }
    return v;
}

void install_extension(pqxx::connection& conn) {
    pqxx::work tx(conn);
    tx.exec("CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE");
    tx.commit();
}

void update_extension(pqxx::connection& conn) {
    pqxx::work tx(conn);
    tx.exec("ALTER EXTENSION llm_cost_ops UPDATE");
    tx.commit();
}

}  // namespace costops::cli
