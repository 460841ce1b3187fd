// The reference side of a reconciliation: an original export (any format `cost-ops ingest`
// reads, importers included) read with ingest's own readers and mapping, loaded into a
// temporary table shaped like cost_ops.usage_records, so both sides are summed the same way.
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/pqxx>

#include "../importers/usage/usage_importer.hpp"
#include "../ingest/usage_record.hpp"

namespace costops::cli {

// The temporary table both kinds of reference load (dropped at commit): timestamp, provider,
// model, organization_id, project_id, user_id, records, prompt_tokens, completion_tokens,
// cached_tokens, total_tokens, reference_cost (cost_ops.cost) and request_id. A NULL is a figure
// the reference does not give (an invoice has no record counts; an export may have no costs).
constexpr const char* kReferenceTable = "pg_temp.reference_usage";

// Creates kReferenceTable in `tx`.
void create_reference_table(pqxx::work& tx);

// Its columns, in COPY order.
const std::vector<std::string>& reference_columns();

struct ReferenceLoad {
    int64_t records = 0;    // usage records the file stands for
    int64_t with_cost = 0;  // of them, those carrying a cost of their own
    int64_t not_usage = 0;  // source records an importer found to be no usage (skipped)
};

// Reads `file` (format detected, or `importer`) into kReferenceTable inside `tx`. A record's
// cost is its `total_cost` field (an export's), else its `metadata.source_cost` (what an
// importer keeps of the source tool's figure). The first invalid record throws CliError naming
// its file, line and field: a reference that cannot be read whole is not compared.
ReferenceLoad load_reference_usage(pqxx::work& tx, const std::string& file,
                                   const UsageImporter* importer, const MappingOptions& mapping);

}  // namespace costops::cli
