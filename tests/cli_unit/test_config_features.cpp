// The config file's [features] flags: defaults, values read, errors, and the disabled message.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_error.hpp"
#include "config.hpp"
#include "../core/test_support.hpp"

using namespace costops::cli;

namespace {

// A config file holding `text` in the temporary directory, removed when it goes out of scope.
struct TempConfig {
    std::string path;
    TempConfig(const std::string& name, const std::string& text)
        : path((std::filesystem::temp_directory_path() / name).string()) {
        std::ofstream(path) << text;
    }
    ~TempConfig() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("features are on when the section or the file is missing") {
    Config none = load_config("/nonexistent/cost-ops.toml", false);
    CHECK(none.features.forecasting);
    CHECK(none.features.anomaly_detection);
    CHECK(none.features.new_export_formats);
    TempConfig absent("features_absent.toml", "[ingest]\nbatch_size = 10\n");
    Config other = load_config(absent.path, true);
    CHECK(other.features.forecasting);
    CHECK(other.features.new_export_formats);
}

TEST_CASE("the guide's [features] example turns every feature off") {
    TempConfig off("features_off.toml",
                   "[features]\nforecasting = false\nanomaly_detection = false\n"
                   "new_export_formats = false\n");
    Config c = load_config(off.path, true);
    CHECK_FALSE(c.features.forecasting);
    CHECK_FALSE(c.features.anomaly_detection);
    CHECK_FALSE(c.features.new_export_formats);
    TempConfig one("features_some.toml", "[features]\nforecasting = false\n");
    Config some = load_config(one.path, true);
    CHECK_FALSE(some.features.forecasting);
    CHECK(some.features.anomaly_detection);
}

TEST_CASE("a disabled feature names the file and the key") {
    TempConfig file("features_msg.toml", "[features]\nforecasting = false\n");
    const std::string& path = file.path;
    Config c = load_config(path, true);
    CHECK(test_support::thrown_message<CliError>([&] {
              require_feature(c, c.features.forecasting, "forecasting", "cost-ops forecast");
          }) == "cost-ops forecast is disabled in the config file " + path +
                    ": [features] forecasting = false (set it to true, or remove it, to enable)");
    CHECK_NOTHROW(require_feature(c, c.features.anomaly_detection, "anomaly_detection", "x"));
}

TEST_CASE("[features] values must be booleans of known keys") {
    TempConfig bad_file("features_bad.toml", "[features]\n\nforecasting = \"no\"\n");
    const std::string& bad = bad_file.path;
    CHECK(test_support::thrown_message<CliError>([&] { load_config(bad, true); }) ==
          "config file " + bad + ", line 3: [features] forecasting must be true or false");
    TempConfig unknown_file("features_unknown.toml", "[features]\nforecast = false\n");
    const std::string& unknown = unknown_file.path;
    CHECK(test_support::thrown_message<CliError>([&] { load_config(unknown, true); }) ==
          "config file " + unknown +
              ": unknown [features] key 'forecast' (known: forecasting, anomaly_detection, "
              "new_export_formats)");
}
