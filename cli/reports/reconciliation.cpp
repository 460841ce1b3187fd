#include "reconciliation.hpp"

namespace costops::cli {

namespace {

// Adds one group's figures to a running total.
void add_to(SideFigures& total, const SideFigures& group) {
    total.records += group.records;
    total.unpriced += group.unpriced;
    total.costed += group.costed;
    total.prompt_tokens += group.prompt_tokens;
    total.completion_tokens += group.completion_tokens;
    total.cached_tokens += group.cached_tokens;
    total.total_tokens += group.total_tokens;
    total.cost = total.cost + group.cost;
}

// The magnitude of a decimal.
costops::Decimal magnitude(costops::Decimal d) {
    return d < costops::Decimal() ? -d : d;
}

}  // namespace

ReconciliationOutcome reconcile(const std::vector<GroupComparison>& groups,
                                costops::Decimal tolerance, const ComparedMeasures& compared) {
    ReconciliationOutcome out;
    for (size_t i = 0; i < groups.size(); ++i) {
        const SideFigures& db = groups[i].database;
        const SideFigures& ref = groups[i].reference;
        add_to(out.database, db);
        add_to(out.reference, ref);
        GroupDifference d;
        d.group = i;
        auto check = [&](bool wanted, const char* name, int64_t a, int64_t b) {
            if (wanted && a != b) d.measures.push_back(name);
        };
        check(compared.records, "records", db.records, ref.records);
        check(compared.token_kinds, "prompt_tokens", db.prompt_tokens, ref.prompt_tokens);
        check(compared.token_kinds, "completion_tokens", db.completion_tokens,
              ref.completion_tokens);
        check(compared.token_kinds, "cached_tokens", db.cached_tokens, ref.cached_tokens);
        check(compared.total_tokens, "total_tokens", db.total_tokens, ref.total_tokens);
        check(compared.records && compared.costs, "costed_records", db.costed, ref.costed);
        d.records = db.records - ref.records;
        d.total_tokens = db.total_tokens - ref.total_tokens;
        d.cost = db.cost - ref.cost;
        if (compared.costs && magnitude(d.cost) > tolerance) d.measures.push_back("cost");
        if (!d.measures.empty()) out.differences.push_back(std::move(d));
    }
    out.pass = out.differences.empty();
    return out;
}

}  // namespace costops::cli
