// One source record as the usage records it stands for, read as cost-ops' own fields or by an
// importer: what ingest stores and what a reconciliation compares with the database.
#pragma once

#include <string>
#include <vector>

#include "../importers/usage/usage_importer.hpp"
#include "../readers/record_reader.hpp"
#include "usage_record.hpp"

namespace costops::cli {

// Maps `record` (by `importer`, or as cost-ops' fields when null) to `usages`; every problem goes
// to `errors`, the importer's unknown source field paths to `unknown`. No usages and no errors:
// the importer found the record is no usage (a cache hit, a chain run).
void map_source_record(const SourceRecord& record, const UsageImporter* importer,
                       const MappingOptions& mapping, std::vector<UsageRecord>& usages,
                       std::vector<FieldError>& errors, std::vector<std::string>& unknown);

}  // namespace costops::cli
