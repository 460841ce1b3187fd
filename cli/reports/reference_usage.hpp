// The reference side of a reconciliation: an original export (any format `cost-ops ingest`
// reads, importers included) read with ingest's own readers and mapping, loaded into a
// temporary table shaped like cost_ops.usage_records, so both sides are summed the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "../importers/usage/usage_importer.hpp"
#include "../ingest/source_input.hpp"
#include "../ingest/usage_record.hpp"

namespace costops::cli {

// The temporary table both kinds of reference load (dropped at commit): timestamp, provider,
// model, organization_id, project_id, user_id, records, prompt_tokens, completion_tokens,
// cached_tokens, total_tokens, reference_cost (cost_ops.cost) and request_id. A NULL is a figure
// the reference does not give (an invoice has no record counts; an export may have no costs).
constexpr const char* kReferenceTable = "pg_temp.reference_usage";

// Opens a reference file (an export or an invoice); one that cannot be opened is unusable
// input: CliError with exit status 2, as a bad option.
std::unique_ptr<SourceInput> open_reference_file(const std::string& file);

// Creates kReferenceTable in `tx`.
void create_reference_table(pqxx::work& tx);

// Its columns, in COPY order.
const std::vector<std::string>& reference_columns();

// A reference record that could not be read or mapped: it is left out of the comparison.
struct ReferenceReject {
    std::string file;
    int64_t line = 0, record = 0;
    std::string field;   // "" when the record itself could not be read (e.g. its column count)
    std::string reason;  // ingest's message
};

struct ReferenceLoad {
    int64_t records = 0;    // usage records the file stands for (rejected ones not counted)
    int64_t with_cost = 0;  // of them, those carrying a cost of their own
    int64_t not_usage = 0;  // source records an importer found to be no usage (skipped)
    std::vector<ReferenceReject> rejected;
};

// Reads `file` (format detected, or `importer`) into kReferenceTable inside `tx`. A record's
// cost is its `total_cost` field (an export's), else its `metadata.source_cost` (what an
// importer keeps of the source tool's figure). An invalid record (unreadable, a field ingest
// refuses, a cost that is no exact decimal) is rejected and listed; a file without one valid
// record throws CliError (exit 2): there is nothing to compare.
ReferenceLoad load_reference_usage(pqxx::work& tx, const std::string& file,
                                   const UsageImporter* importer, const MappingOptions& mapping);

}  // namespace costops::cli
