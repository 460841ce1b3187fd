// What cache reads saved: for each priced record, cached_tokens x (input price - cached input
// price) / 1e6 of the price row that priced it (usage_records.pricing_id), exactly.
#pragma once

#include <pqxx/pqxx>

#include "../record_filter.hpp"
#include "report_document.hpp"

namespace costops::cli {

// The savings section: a total and a row per provider x model. Records whose rates are not the
// row's base columns (context tiers above the first threshold or on a bucket of requests,
// time-of-day windows, a service tier other than standard) or that are unpriced are counted
// apart as not computed, with the reason, rather than guessed.
ReportSection cache_savings_section(pqxx::connection& conn, const RecordFilter& filter);

}  // namespace costops::cli
