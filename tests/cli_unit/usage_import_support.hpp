// What the usage importer tests share: expanding a source record given as JSON text and
// checking the records it becomes with ingest's own validator, map_usage_record.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "importers/usage/usage_importer.hpp"

namespace costops::cli::testing {

using Expand = void (*)(const Json&, ImportedRecords&);

// The organization the tests map with (the sources have no tenant field).
inline MappingOptions with_organization() {
    MappingOptions options;
    options.default_organization = "org-test";
    return options;
}

// What `expand` makes of `json`: the importer's output, then every record mapped.
struct Expanded {
    ImportedRecords imported;
    std::vector<UsageRecord> records;
    std::vector<std::string> errors;  // the importer's messages, then map_usage_record's
};

// Expands the source record `json` and maps each record it yields.
inline Expanded expand(Expand expand_source, const std::string& json,
                       const MappingOptions& options = with_organization()) {
    Expanded result;
    expand_source(parse_json_exact(json), result.imported);
    for (const FieldError& e : result.imported.errors) result.errors.push_back(e.message);
    for (const Json& record : result.imported.records) {
        UsageRecord mapped;
        for (const FieldError& e :
             map_usage_record({record, {"in.json", 1, 1}, "", ""}, options, mapped))
            result.errors.push_back(e.message);
        result.records.push_back(mapped);
    }
    return result;
}

// The one record `json` yields, which must map without errors.
inline UsageRecord only_record(Expand expand_source, const std::string& json,
                               const MappingOptions& options = with_organization()) {
    Expanded result = expand(expand_source, json, options);
    INFO("errors: " << Catch::Detail::stringify(result.errors));
    REQUIRE(result.errors.empty());
    REQUIRE(result.records.size() == 1);
    return result.records[0];
}

// The one error `json` yields (an importer's error leaves no record).
inline std::string only_error(Expand expand_source, const std::string& json) {
    Expanded result = expand(expand_source, json);
    INFO("errors: " << Catch::Detail::stringify(result.errors));
    REQUIRE(result.errors.size() == 1);
    if (!result.imported.errors.empty()) CHECK(result.imported.records.empty());
    return result.errors[0];
}

// Whether `json` is not usage: no record, no error.
inline bool yields_nothing(Expand expand_source, const std::string& json) {
    Expanded result = expand(expand_source, json);
    return result.imported.records.empty() && result.imported.errors.empty();
}

}  // namespace costops::cli::testing
