// Opening the connection every command uses, with errors a user can act on.
#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "database_target.hpp"

namespace costops::cli {

// Connects to `target` (starting the local instance first when it is the target), with the
// session set to UTC and ISO dates so timestamps read and print unambiguously.
std::unique_ptr<pqxx::connection> connect_database(const DatabaseTarget& target);

// The extension version whose schema this cost-ops reads and writes.
constexpr const char* kExtensionVersion = "1.6";

// Errors unless the extension is installed at kExtensionVersion, naming the command that
// installs or updates it.
void require_extension(pqxx::connection& conn);

}  // namespace costops::cli
