// The TOML configuration file (default ./cost-ops.toml): the parts cost-ops reads.
#pragma once

#include <optional>
#include <string>

namespace costops::cli {

// The [features] section: each flag turns a feature off when false. A missing section or key
// leaves the feature on (users who never wrote the section keep every command).
struct Features {
    bool forecasting = true;         // cost-ops forecast
    bool anomaly_detection = true;   // cost-ops anomalies
    bool new_export_formats = true;  // export --format ndjson and focus (beyond csv and json)
};

struct Config {
    std::string path;                            // the file read, empty when none
    std::optional<std::string> database_url;     // [database] url
    std::optional<long> ingest_batch_size;       // [ingest] batch_size
    std::optional<std::string> ingest_on_error;  // [ingest] on_error: abort, reject or skip
    std::optional<std::string> ingest_log_file;  // [ingest] log_file
    Features features;                           // [features]
};

// Reads `path`; a missing file is an error only when `required` (the user named it).
Config load_config(const std::string& path, bool required);

// Throws CliError (one line naming the config file and the key) unless `enabled`; `key` is the
// [features] key, `what` the thing it turned off ("cost-ops forecast").
void require_feature(const Config& config, bool enabled, const std::string& key,
                     const std::string& what);

}  // namespace costops::cli
