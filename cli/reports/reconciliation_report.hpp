// `report generate --type reconciliation`: the database's usage in a range against a reference
// (an original export, or a provider invoice), as a report document with its verdict.
#pragma once

#include <string>

#include <pqxx/pqxx>

#include "../importers/usage/usage_importer.hpp"
#include "../ingest/usage_record.hpp"
#include "../record_filter.hpp"
#include "report_document.hpp"

namespace costops::cli {

struct ReconciliationRequest {
    RecordFilter filter;  // the range (start..end, end day included) and key filters
    std::string against;  // an export in an ingest format, or
    std::string invoice;  // an invoice CSV
    const UsageImporter* importer = nullptr;  // --format of the --against file
    MappingOptions mapping;
    costops::Decimal tolerance;
};

struct ReconciliationReport {
    ReportDocument doc;  // its status is the verdict
    size_t differing_groups = 0;
    std::vector<std::string> summary;   // a line per differing group (and unmatched records)
    std::vector<std::string> rejected;  // a line per rejected reference record (for stderr)
};

// Loads the reference, compares it with the database day by day (days of the filter's zone)
// per provider and model, and lists every difference, unpriced records, open rejects and the
// reference records that were rejected (any of those makes it FAIL).
ReconciliationReport reconciliation_report(pqxx::connection& conn,
                                           const ReconciliationRequest& req);

}  // namespace costops::cli
