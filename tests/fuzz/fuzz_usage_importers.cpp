// libFuzzer target: ingest's pure path from a file to COPY rows. The first byte picks the
// importer (0: cost-ops' own fields, then each of usage_importers()) and whether a default
// organization is given; the rest is the file, read as ingest detects it. Every record becomes
// usage rows that satisfy the domain's invariants, or field errors: never an exception.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "cli_error.hpp"
#include "exact_json.hpp"
#include "fuzz_check.hpp"
#include "importers/usage/usage_importer.hpp"
#include "ingest/source_mapping.hpp"
#include "readers/record_reader.hpp"
#include "text_case.hpp"
#include "output/row_sink.hpp"
#include "usage.hpp"

using namespace costops;
using namespace costops::cli;
using costops::fuzz::require;

namespace {

// Whether `text` is UTF-8 as PostgreSQL takes it: nlohmann's strict validator is the oracle.
bool is_strict_utf8(const std::string& text) {
    try {
        Json(text).dump();
        return text.find('\0') == std::string::npos;
    } catch (const Json::type_error&) {
        return false;
    }
}

// Checks one usage row that mapped without errors: what the database's COPY will take.
void check_usage_record(const UsageRecord& u) {
    require(!u.timestamp.empty(), "a row without a timestamp");
    require(!u.provider.empty() && u.provider == lower_case(u.provider),
            "provider empty or not lower case", u.provider);
    require(!u.model.empty(), "a row without a model");
    UsageCounts counts{u.prompt_tokens,      u.completion_tokens, u.cached_tokens,
                       u.cache_write_tokens, u.reasoning_tokens,  u.cache_write_1h_tokens};
    require(!check_usage(counts, u.total_tokens), "counts break the domain invariants");
    require(!check_requests(u.requests, u.prompt_tokens), "request shape is unsound");
    if (u.metadata) {
        require(parse_json_exact(*u.metadata).is_object(), "metadata is not an object",
                *u.metadata);
    }
    Row row = usage_copy_row(u);
    require(row.size() == usage_copy_columns().size(), "COPY row of another width");
    for (const Cell& cell : row) {
        if (cell) require(is_strict_utf8(*cell), "COPY text PostgreSQL refuses", *cell);
    }
}

// Maps one record and checks the outcome.
void map_checked(const SourceRecord& record, const UsageImporter* importer,
                 const MappingOptions& mapping) {
    std::vector<UsageRecord> usages;
    std::vector<FieldError> errors;
    std::vector<std::string> unknown;
    map_source_record(record, importer, mapping, usages, errors, unknown);
    for (const FieldError& e : errors) require(!e.message.empty(), "an error without a message");
    if (!errors.empty()) return;
    for (const UsageRecord& u : usages) check_usage_record(u);
}

}  // namespace

// Reads the input after its first byte as ingest would and maps each record.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto& importers = usage_importers();
    size_t choice = data[0] % (importers.size() + 1);
    const UsageImporter* importer = choice == 0 ? nullptr : &importers[choice - 1];
    MappingOptions mapping;
    if (data[0] & 0x80) mapping.default_organization = "fuzz-org";
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        size_t skipped = 0;
        InputFormat format = detect_input_format("-", in, &skipped);
        read_records(
            in, format, "fuzz",
            [&](SourceRecord&& record) { map_checked(record, importer, mapping); }, 1 + skipped);
    } catch (const CliError&) {
        // the file itself is refused (bad JSON, a CSV header without names): expected
    }
    return 0;
}
