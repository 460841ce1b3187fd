// Reconciliation's arithmetic, without a database: the figures of both sides per day, provider
// and model, what differs in each group, and PASS/FAIL against a tolerance on costs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "decimal.hpp"

namespace costops::cli {

// One side's figures for a group (or in all). `cost` sums the records that have one (`costed`):
// with none (all unpriced) the side's cost is unknown, not 0. A side without the group at all is
// not `present` (its figures are 0, and are shown as missing).
struct SideFigures {
    int64_t records = 0, unpriced = 0, costed = 0;
    int64_t prompt_tokens = 0, completion_tokens = 0, cached_tokens = 0, total_tokens = 0;
    costops::Decimal cost;
    bool present = true;
};

struct GroupComparison {
    std::string day, provider, model;
    SideFigures database, reference;
};

// A group in which something differs: the measures, in a fixed order, and the differences
// (database minus reference).
struct GroupDifference {
    size_t group = 0;                   // index into the groups
    std::vector<std::string> measures;  // "records", "prompt_tokens", ..., "costed_records", "cost"
    int64_t records = 0, total_tokens = 0;
    costops::Decimal cost;
};

struct ReconciliationOutcome {
    std::vector<GroupDifference> differences;
    SideFigures database, reference;  // over every group
    bool pass = true;
};

// What the reference gives, hence what is compared: an export has record counts and every
// token kind (costs when it carries them); an invoice has costs (and total tokens, if a column).
struct ComparedMeasures {
    bool records = true, token_kinds = true, total_tokens = true, costs = true;
};

// Compares every group: the compared counts and tokens must be equal (with records and costs
// both compared, so must the number of records that have a cost); costs may differ by at most
// `tolerance` in absolute value, group by group.
ReconciliationOutcome reconcile(const std::vector<GroupComparison>& groups,
                                costops::Decimal tolerance, const ComparedMeasures& compared);

}  // namespace costops::cli
