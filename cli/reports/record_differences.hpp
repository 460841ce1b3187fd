// The records behind a reconciliation's differences: a record of one side that the other lacks,
// or whose tokens or cost differ, matched by identity (provider, organization_id, request_id).
#pragma once

#include <string>

#include <pqxx/pqxx>

#include "../record_filter.hpp"
#include "report_document.hpp"

namespace costops::cli {

// At most this many records are listed (all are counted).
constexpr int kRecordDifferencesListed = 100;

struct RecordDifferenceCounts {
    int64_t all = 0;
    int64_t unmatched = 0;  // of them, on one side only or with other tokens (not only a cost)
};

// The table of differing records of the range (`where`), days of `local`'s zone, with their
// counts; records without a request_id are compared in their group only.
ReportTable record_differences(pqxx::work& tx, const std::string& where, const LocalTimeSql& local,
                               RecordDifferenceCounts& counts);

}  // namespace costops::cli
