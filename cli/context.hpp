// What every command shares: the global options and, resolved on first use, the config file
// and the database connection.
#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "config.hpp"
#include "db/database_target.hpp"

namespace costops::cli {

struct GlobalOptions {
    std::string database_url;
    std::string config_file = "cost-ops.toml";
    bool config_given = false;  // --config was on the command line
};

class Context {
  public:
    GlobalOptions options;

    const Config& config();
    // Resolved once per run.
    const DatabaseTarget& database_target();
    // The connection, opened on first use; requires the extension unless `allow_missing`.
    pqxx::connection& connection(bool allow_missing_extension = false);

  private:
    std::unique_ptr<Config> config_;
    std::unique_ptr<DatabaseTarget> target_;
    std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace costops::cli
