// The TOML configuration file (default ./cost-ops.toml): the parts cost-ops reads.
#pragma once

#include <optional>
#include <string>

namespace costops::cli {

struct Config {
    std::string path;                         // the file read, empty when none
    std::optional<std::string> database_url;  // [database] url
    std::optional<long> ingest_batch_size;    // [ingest] batch_size
    std::optional<std::string> ingest_on_error;  // [ingest] on_error: abort, reject or skip
    std::optional<std::string> ingest_log_file;  // [ingest] log_file
};

// Reads `path`; a missing file is an error only when `required` (the user named it).
Config load_config(const std::string& path, bool required);

}  // namespace costops::cli
