#include "cache_savings.hpp"

namespace costops::cli {

namespace {

using costops::Decimal;

// Why a record's savings are not computed from its price row's base columns, or NULL when they
// are: the SQL CASE over u (the record) and p (its price row).
const char* const kNotComputedReason =
    "CASE WHEN p.id IS NULL THEN 'unpriced' "
    "WHEN u.service_tier <> 'standard' THEN 'service tier ' || u.service_tier "
    "WHEN p.pricing_structure ? 'time_of_day' THEN 'time-of-day prices' "
    "WHEN p.pricing_structure ? 'tiers' AND (u.request_count IS DISTINCT FROM 1 OR "
    "u.prompt_tokens > (SELECT min((t->>'above_prompt_tokens')::bigint) FROM "
    "jsonb_array_elements(p.pricing_structure->'tiers') AS t)) THEN 'context tier' "
    "WHEN p.input_price IS NULL THEN 'no input price' END";

}  // namespace

ReportSection cache_savings_section(pqxx::connection& conn, const RecordFilter& filter) {
    std::string where = where_clause(filter, conn);
    pqxx::work tx(conn);
    // The product of tokens and a price difference is exact numeric; the division by 1e6 is
    // done in Decimal (at most 18 + 6 fractional digits: exact).
    pqxx::result r = tx.exec(
        "SELECT u.provider, u.model, " + std::string(kNotComputedReason) +
        " AS reason, count(*), sum(u.cached_tokens), coalesce(sum(u.cached_tokens::numeric * "
        "(p.input_price - coalesce(p.cached_input_price, p.input_price))), 0) FROM (SELECT * "
        "FROM cost_ops.usage_records" +
        (where.empty() ? " WHERE" : where + " AND") +
        " cached_tokens > 0) AS u LEFT JOIN cost_ops.pricing_tables AS p ON p.id = u.pricing_id "
        "GROUP BY 1, 2, 3 ORDER BY 3 NULLS FIRST, 6 DESC, 1, 2");
    tx.commit();
    ReportSection s{"Cache savings", {}, {}, {}, {}};
    ReportTable t{"Cache savings by model",
                  {{"provider"},
                   {"model"},
                   {"records", ColumnKind::Integer},
                   {"cached_tokens", ColumnKind::Integer},
                   {"savings", ColumnKind::Cost},
                   {"not_computed_because"}},
                  {}};
    Decimal total;
    int64_t computed_tokens = 0, skipped_records = 0, skipped_tokens = 0;
    for (const auto& row : r) {
        int64_t records = row[3].as<int64_t>(), tokens = row[4].as<int64_t>();
        if (row[2].is_null()) {
            Decimal saved = Decimal::parse(row[5].c_str()).divided_by(1000000);
            total = total + saved;
            computed_tokens += tokens;
            t.rows.push_back({row[0].c_str(), row[1].c_str(), std::to_string(records),
                              std::to_string(tokens), saved.to_string(), Cell()});
        } else {
            skipped_records += records;
            skipped_tokens += tokens;
            t.rows.push_back({row[0].c_str(), row[1].c_str(), std::to_string(records),
                              std::to_string(tokens), Cell(), std::string(row[2].c_str())});
        }
    }
    s.facts = {{"cache_savings", total.to_string()},
               {"cached_tokens_computed", std::to_string(computed_tokens)},
               {"records_not_computed", std::to_string(skipped_records)},
               {"cached_tokens_not_computed", std::to_string(skipped_tokens)}};
    s.notes.push_back(
        "Savings = cached_tokens x (input price - cached input price) / 1,000,000 with the price "
        "row that priced each record (a missing cached price is the input price: no saving). "
        "Where a record's rates are not its row's base prices (a context tier above the first "
        "threshold or a bucket of requests that may span tiers, time-of-day prices, a service "
        "tier) or it is unpriced, its savings are not computed: which uncached rate it would have "
        "paid is not certain, so they are listed, not guessed.");
    if (!t.rows.empty()) s.tables.push_back(std::move(t));
    return s;
}

}  // namespace costops::cli
