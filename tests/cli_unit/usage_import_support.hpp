// What the usage importer tests share: running an importer on one source record given as JSON
// text, and checking the records it becomes the way ingest does, with map_usage_record.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "importers/usage/usage_importer.hpp"
#include "ingest/usage_record.hpp"

namespace costops::cli::testing {

// An importer's expand function.
using Expand = void (*)(const Json&, ImportedRecords&);

// The mapping options of --default-organization `organization` (the sources have no tenant
// field).
inline MappingOptions with_organization(const std::string& organization = "org-default") {
    MappingOptions options;
    options.default_organization = organization;
    return options;
}

// What `expand_source` makes of the source record `json` (parsed exactly, as ingest reads it).
inline ImportedRecords expanded(Expand expand_source, const std::string& json) {
    ImportedRecords out;
    expand_source(parse_json_exact(json), out);
    return out;
}

// The messages of the importer's errors, in order.
inline std::vector<std::string> error_messages(const ImportedRecords& imported) {
    std::vector<std::string> messages;
    for (const FieldError& e : imported.errors) messages.push_back(e.message);
    return messages;
}

// The validator's messages for one imported record, which it maps into `out`.
inline std::vector<std::string> mapping_errors(
    const Json& record, UsageRecord& out, const MappingOptions& options = with_organization()) {
    std::vector<std::string> messages;
    for (const FieldError& e :
         map_usage_record({record, {"test.json", 1, 1}, "", ""}, options, out)) {
        messages.push_back(e.message);
    }
    return messages;
}

// What an importer makes of a source record: its output, then every record mapped.
struct Expanded {
    ImportedRecords imported;
    std::vector<UsageRecord> records;
    std::vector<std::string> errors;  // the importer's messages, then map_usage_record's
};

// Expands the source record `json` and maps each record it yields, whatever their errors.
inline Expanded expand_and_map(Expand expand_source, const std::string& json,
                               const MappingOptions& options = with_organization()) {
    Expanded result;
    result.imported = expanded(expand_source, json);
    result.errors = error_messages(result.imported);
    for (const Json& record : result.imported.records) {
        UsageRecord out;
        for (std::string& message : mapping_errors(record, out, options)) {
            result.errors.push_back(std::move(message));
        }
        result.records.push_back(out);
    }
    return result;
}

// Every record the importer made, mapped; the import and every mapping must succeed.
inline std::vector<UsageRecord> mapped(const ImportedRecords& imported,
                                       const MappingOptions& options = with_organization()) {
    INFO("import errors: " << Catch::Detail::stringify(error_messages(imported)));
    REQUIRE(imported.errors.empty());
    std::vector<UsageRecord> records;
    for (const Json& record : imported.records) {
        UsageRecord out;
        std::vector<std::string> errors = mapping_errors(record, out, options);
        INFO("record: " << dump_exact(record));
        INFO("mapping errors: " << Catch::Detail::stringify(errors));
        REQUIRE(errors.empty());
        records.push_back(out);
    }
    return records;
}

// The one record `json` yields, which must import and map without errors.
inline UsageRecord only_record(Expand expand_source, const std::string& json,
                               const MappingOptions& options = with_organization()) {
    std::vector<UsageRecord> records = mapped(expanded(expand_source, json), options);
    REQUIRE(records.size() == 1);
    return records[0];
}

// The one error `json` yields (an importer's error leaves no record).
inline std::string only_error(Expand expand_source, const std::string& json) {
    Expanded result = expand_and_map(expand_source, json);
    INFO("errors: " << Catch::Detail::stringify(result.errors));
    REQUIRE(result.errors.size() == 1);
    if (!result.imported.errors.empty()) CHECK(result.imported.records.empty());
    return result.errors[0];
}

// Whether `json` is not usage: no record, no error.
inline bool yields_nothing(Expand expand_source, const std::string& json) {
    ImportedRecords imported = expanded(expand_source, json);
    return imported.records.empty() && imported.errors.empty();
}

// The metadata of a mapped record as JSON.
inline Json metadata_of(const UsageRecord& record) {
    REQUIRE(record.metadata);
    return parse_json_exact(*record.metadata);
}

}  // namespace costops::cli::testing
