// Which database a command talks to, and how that was decided.
#pragma once

#include <string>

#include "../config.hpp"

namespace costops::cli {

struct DatabaseTarget {
    std::string url;
    std::string source;  // "--database-url", "DATABASE__URL", "config file F", "local instance"
    bool local = false;  // the embedded default instance
};

// --database-url, else $DATABASE__URL, else [database] url of the config, else the local
// instance (not started here). Rejects sqlite: URLs with a message saying what to use.
DatabaseTarget resolve_database_target(const std::string& flag_url, const Config& config);

// The URL with any password replaced by "***", for messages.
std::string redact_url(const std::string& url);

}  // namespace costops::cli
