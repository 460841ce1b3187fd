#include "database_target.hpp"

#include <cstdlib>
#include <iostream>
#include <regex>

#include "../cli_error.hpp"

namespace costops::cli {

namespace {

// Errors on URLs cost-ops cannot use, before any connection attempt.
void check_url(const std::string& url, const std::string& source) {
    if (url.rfind("sqlite:", 0) == 0) {
        throw CliError("sqlite databases are not supported (" + source + " is " + url +
                       "): LLM Cost Ops prices usage inside PostgreSQL; use a postgresql:// URL, "
                       "or leave the URL unset to use the local instance (cost-ops local start)");
    }
}

}  // namespace

DatabaseTarget resolve_database_target(const std::string& flag_url, const Config& config) {
    DatabaseTarget target;
    if (!flag_url.empty()) {
        target = {flag_url, "--database-url", false};
    } else if (const char* env = std::getenv("DATABASE__URL"); env != nullptr && *env) {
        target = {env, "DATABASE__URL", false};
    } else if (config.database_url) {
        target = {*config.database_url, "config file " + config.path, false};
    } else {
        target = {"", "local instance", true};
    }
    if (target.source != "--database-url" && target.source != "DATABASE__URL" &&
        std::getenv("DATABASE_URL") != nullptr) {
        std::cerr << "cost-ops: warning: DATABASE_URL is ignored: cost-ops 1.0 reads "
                     "DATABASE__URL (two underscores); using the "
                  << target.source << "\n";
    }
    if (!target.local) check_url(target.url, target.source);
    return target;
}

std::string redact_url(const std::string& url) {
    static const std::regex password(R"(^([a-z]+://[^:/@]*):[^@]*@)");
    return std::regex_replace(url, password, "$1:***@");
}

}  // namespace costops::cli
