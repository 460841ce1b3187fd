#include "context.hpp"

#include "db/connection.hpp"

namespace costops::cli {

const Config& Context::config() {
    if (!config_) {
        config_ = std::make_unique<Config>(load_config(options.config_file, options.config_given));
    }
    return *config_;
}

const DatabaseTarget& Context::database_target() {
    if (!target_) {
        target_ = std::make_unique<DatabaseTarget>(
            resolve_database_target(options.database_url, config()));
    }
    return *target_;
}

pqxx::connection& Context::connection(bool allow_missing_extension) {
    if (!connection_) {
        connection_ = connect_database(database_target());
        if (!allow_missing_extension) require_extension(*connection_);
    }
    return *connection_;
}

}  // namespace costops::cli
