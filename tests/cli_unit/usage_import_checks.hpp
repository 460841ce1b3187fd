// Helpers of the usage importer tests: run an importer on one inline source record and check its
// records the way ingest does, through map_usage_record.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "importers/usage/usage_importer.hpp"
#include "ingest/usage_record.hpp"

namespace usage_import_test {

using costops::Json;
using costops::cli::ImportedRecords;
using costops::cli::UsageRecord;

// An importer's expand function.
using Expand = void (*)(const Json&, ImportedRecords&);

// What `expand` makes of the source record `json` (parsed exactly, as ingest reads it).
inline ImportedRecords expanded(Expand expand, const std::string& json) {
    ImportedRecords out;
    expand(costops::parse_json_exact(json), out);
    return out;
}

// The messages of the importer's errors, in order.
inline std::vector<std::string> error_messages(const ImportedRecords& imported) {
    std::vector<std::string> messages;
    for (const auto& e : imported.errors) messages.push_back(e.message);
    return messages;
}

// Whether the importer reported `name` as an unknown field.
inline bool reported_unknown(const ImportedRecords& imported, const std::string& name) {
    return std::find(imported.unknown.begin(), imported.unknown.end(), name) !=
           imported.unknown.end();
}

// The validator's errors for one imported record, mapped with --default-organization
// `organization`.
inline std::vector<std::string> mapping_errors(const Json& record, UsageRecord& out,
                                               const std::string& organization = "org-default") {
    costops::cli::MappingOptions options;
    options.default_organization = organization;
    std::vector<std::string> messages;
    for (const auto& e : map_usage_record({record, {"test.json", 1, 1}, "", ""}, options, out)) {
        messages.push_back(e.message);
    }
    return messages;
}

// Every record the importer made, mapped by map_usage_record with --default-organization
// `organization`; the import and every mapping must succeed.
inline std::vector<UsageRecord> mapped(const ImportedRecords& imported,
                                       const std::string& organization = "org-default") {
    INFO("import errors: " << Catch::Detail::stringify(error_messages(imported)));
    REQUIRE(imported.errors.empty());
    std::vector<UsageRecord> records;
    for (const Json& record : imported.records) {
        UsageRecord out;
        std::vector<std::string> errors = mapping_errors(record, out, organization);
        INFO("record: " << costops::dump_exact(record));
        INFO("mapping errors: " << Catch::Detail::stringify(errors));
        REQUIRE(errors.empty());
        records.push_back(out);
    }
    return records;
}

// The only record `expand` makes of `json`, mapped.
inline UsageRecord only_record(Expand expand, const std::string& json) {
    std::vector<UsageRecord> records = mapped(expanded(expand, json));
    REQUIRE(records.size() == 1);
    return records[0];
}

// The metadata of a mapped record as JSON.
inline Json metadata_of(const UsageRecord& record) {
    REQUIRE(record.metadata);
    return costops::parse_json_exact(*record.metadata);
}

}  // namespace usage_import_test
