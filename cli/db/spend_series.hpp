// Exact spend per entity (model, project, ...) per local day or hour, read from
// cost_ops.usage_records with one grouped query: the input of forecast and anomalies.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "../record_filter.hpp"
#include "decimal.hpp"

namespace costops::cli {

enum class Bucket { Day, Hour };

// The usage_records column of a dimension name (provider, model, organization, project, user);
// throws CliError naming `option` and the choices for any other name.
std::string dimension_column(const std::string& name, const std::string& option);

// How an entity whose key is NULL is labelled.
constexpr const char* kNoKeyLabel = "(none)";

struct SpendRows {
    // Per entity label: (bucket number, summed total_cost) rows; unpriced records are left out.
    std::map<std::string, std::vector<std::pair<int64_t, Decimal>>> by_entity;
    // Per entity label: bucket number -> (completion tokens, prompt + completion tokens), every
    // record counted (the token mix does not need a price).
    std::map<std::string, std::map<int64_t, std::pair<int64_t, int64_t>>> tokens;
    std::optional<int64_t> first, last;  // the buckets of the earliest and latest record
};

// The spend and token counts of the records `where` selects (" WHERE ..." or ""), per value of
// `column` (a dimension_column, or "" for one entity "all"), per day (days since 1970-01-01) or
// hour of `local`'s zone (wall hours: the hour a DST change repeats is one bucket, the one it
// skips has no record); records dated after now are not spend yet (one such record would move
// every window).
SpendRows read_spend(pqxx::work& tx, const std::string& column, Bucket bucket,
                     const std::string& where, const LocalTimeSql& local);

// The SQL condition keeping the records from local bucket `first` on.
std::string since_bucket_condition(Bucket bucket, int64_t first, const LocalTimeSql& local);

// `where` with one more condition ANDed to it.
std::string and_where(const std::string& where, const std::string& condition);

}  // namespace costops::cli
