// Installed and available versions of the llm_cost_ops extension, and the statements that
// install or update it.
#pragma once

#include <optional>
#include <string>

#include <pqxx/pqxx>

namespace costops::cli {

struct ExtensionVersions {
    std::optional<std::string> installed;  // pg_extension
    std::optional<std::string> available;  // default_version of the installed files
    std::string update_path;               // "1.0 -> 1.1" when an update is pending
};

ExtensionVersions read_extension_versions(pqxx::connection& conn);
// CREATE EXTENSION llm_cost_ops CASCADE, in one transaction.
void install_extension(pqxx::connection& conn);
// ALTER EXTENSION llm_cost_ops UPDATE, in one transaction.
void update_extension(pqxx::connection& conn);

}  // namespace costops::cli
