#include "config.hpp"

#include <filesystem>

#include <toml++/toml.h>

#include "cli_error.hpp"

namespace costops::cli {

namespace {

// Reads the booleans of [features] into `features`; any other value or key is an error.
void read_features(const toml::table& table, const std::string& path, Features& features) {
    const toml::node* section = table.get("features");
    if (!section) return;
    if (!section->is_table())
        throw CliError("config file " + path + ": [features] must be a table");
    for (const auto& [key, value] : *section->as_table()) {
        bool* flag = key == "forecasting"          ? &features.forecasting
                     : key == "anomaly_detection"  ? &features.anomaly_detection
                     : key == "new_export_formats" ? &features.new_export_formats
                                                   : nullptr;
        if (!flag) {
            throw CliError("config file " + path + ": unknown [features] key '" +
                           std::string(key.str()) +
                           "' (known: forecasting, anomaly_detection, new_export_formats)");
        }
        if (!value.is_boolean()) {
            throw CliError("config file " + path + ", line " +
                           std::to_string(value.source().begin.line) + ": [features] " +
                           std::string(key.str()) + " must be true or false");
        }
        *flag = *value.value<bool>();
    }
}

}  // namespace

Config load_config(const std::string& path, bool required) {
    Config config;
    if (!std::filesystem::exists(path)) {
        if (required) throw CliError("config file " + path + " does not exist");
        return config;
    }
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw CliError("config file " + path + ", line " + std::to_string(e.source().begin.line) +
                       ": " + std::string(e.description()));
    }
    config.path = path;
    if (auto url = table["database"]["url"]) {
        if (!url.is_string())
            throw CliError("config file " + path + ": [database] url must be a string");
        config.database_url = url.value<std::string>();
    }
    if (table["database_url"]) {
        throw CliError("config file " + path +
                       ": 'database_url' is the 0.x format; write it as [database] url = \"...\"");
    }
    if (auto batch = table["ingest"]["batch_size"]) {
        if (!batch.is_integer() || *batch.value<long>() <= 0) {
            throw CliError("config file " + path +
                           ": [ingest] batch_size must be a positive integer");
        }
        config.ingest_batch_size = batch.value<long>();
    }
    if (auto mode = table["ingest"]["on_error"]) {
        std::string text = mode.value_or(std::string());
        if (text != "abort" && text != "reject" && text != "skip") {
            throw CliError("config file " + path +
                           ": [ingest] on_error must be \"abort\", \"reject\" or \"skip\"");
        }
        config.ingest_on_error = text;
    }
    if (auto log = table["ingest"]["log_file"]) {
        if (!log.is_string()) {
            throw CliError("config file " + path + ": [ingest] log_file must be a string");
        }
        config.ingest_log_file = log.value<std::string>();
    }
    read_features(table, path, config.features);
    return config;
}

void require_feature(const Config& config, bool enabled, const std::string& key,
                     const std::string& what) {
    if (enabled) return;
    throw CliError(what + " is disabled in the config file " + config.path + ": [features] " + key +
                   " = false (set it to true, or remove it, to enable)");
}

}  // namespace costops::cli
