#include "price_store.hpp"

#include "../cli_error.hpp"
#include "../db/database_errors.hpp"

namespace costops::cli {

namespace {

// Parameters of a row, in the order the statements below use ($1..$12).
pqxx::result exec_with_row(pqxx::dbtransaction& tx, const std::string& sql, const ImportedPrice& p,
                           const std::string& source) {
    return tx.exec_params(sql, p.provider, p.model, p.effective_date, p.end_date, p.input, p.output,
                          p.cached_input, p.cache_write, dump_exact(p.pricing_structure), source,
                          p.cache_write_1h, p.reasoning);
}

const char* const kInsert =
    "INSERT INTO cost_ops.pricing_tables (provider, model, effective_date, end_date, "
    "input_price, output_price, cached_input_price, cache_write_price, pricing_structure, source, "
    "cache_write_1h_price, reasoning_price) "
    "VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::numeric, $6::numeric, $7::numeric, "
    "$8::numeric, $9::jsonb, $10, $11::numeric, $12::numeric) RETURNING id";

// The existing row with the same provider, model and start, and whether it equals the import.
const char* const kFindSame =
    "SELECT p.id, p.source, (p.end_date IS NOT DISTINCT FROM $4::timestamptz "
    "AND p.input_price IS NOT DISTINCT FROM $5::numeric "
    "AND p.output_price IS NOT DISTINCT FROM $6::numeric "
    "AND p.cached_input_price IS NOT DISTINCT FROM $7::numeric "
    "AND p.cache_write_price IS NOT DISTINCT FROM $8::numeric "
    "AND p.cache_write_1h_price IS NOT DISTINCT FROM $11::numeric "
    "AND p.reasoning_price IS NOT DISTINCT FROM $12::numeric "
    "AND p.pricing_structure = $9::jsonb AND p.source = $10) AS same "
    "FROM cost_ops.pricing_tables AS p "
    "WHERE p.provider = $1 AND p.model = $2 AND p.effective_date = $3::timestamptz";

const char* const kUpdate =
    "UPDATE cost_ops.pricing_tables SET end_date = $4::timestamptz, input_price = $5::numeric, "
    "output_price = $6::numeric, cached_input_price = $7::numeric, "
    "cache_write_price = $8::numeric, pricing_structure = $9::jsonb, "
    "cache_write_1h_price = $11::numeric, reasoning_price = $12::numeric "
    "WHERE provider = $1 AND model = $2 AND effective_date = $3::timestamptz AND source = $10";

// A description of the rows `p` overlaps, for an error message.
std::string overlapping_rows(pqxx::dbtransaction& tx, const ImportedPrice& p) {
    auto r = tx.exec_params(
        "SELECT id, source, effective_date, end_date FROM cost_ops.pricing_tables "
        "WHERE provider = $1 AND model = $2 AND tstzrange(effective_date, end_date) && "
        "tstzrange($3::timestamptz, $4::timestamptz) ORDER BY effective_date",
        p.provider, p.model, p.effective_date, p.end_date);
    std::string out;
    for (const auto& row : r) {
        out += (out.empty() ? "" : ", ") + std::string("row ") + row[0].c_str() + " (" +
               row[1].c_str() + ", from " + row[2].c_str() + " to " +
               (row[3].is_null() ? "open" : row[3].c_str()) + ")";
    }
    return out;
}

// Inserts `p` under a savepoint; false (and the savepoint rolled back) when it overlaps an
// existing price (the table's exclusion constraint); other errors are thrown. The savepoint
// is explicit: libpqxx 6's subtransaction does not open one before exec_params.
bool insert_in_savepoint(pqxx::dbtransaction& tx, const ImportedPrice& p, const std::string& source,
                         long* id) {
    tx.exec("SAVEPOINT insert_price");
    try {
        *id = exec_with_row(tx, kInsert, p, source)[0][0].as<long>();
    } catch (const pqxx::sql_error& e) {
        tx.exec("ROLLBACK TO SAVEPOINT insert_price");
        if (e.sqlstate() != "23P01") throw;
        return false;
    }
    tx.exec("RELEASE SAVEPOINT insert_price");
    return true;
}

// Replaces the match rules and provider fallbacks `list.source` stored before with the list's.
void replace_resolution_data(pqxx::dbtransaction& tx, const PriceImport& list,
                             ImportOutcome& outcome) {
    tx.exec_params("DELETE FROM cost_ops.model_match_rules WHERE source = $1", list.source);
    tx.exec_params("DELETE FROM cost_ops.provider_fallbacks WHERE source = $1", list.source);
    for (size_t i = 0; i < list.match_rules.size(); ++i) {
        const ImportedMatchRule& r = list.match_rules[i];
        tx.exec_params(
            "INSERT INTO cost_ops.model_match_rules (provider, model, match, position, source) "
            "VALUES ($1, $2, $3::jsonb, $4, $5)",
            r.provider, r.model, dump_exact(r.match), static_cast<long>(i), list.source);
    }
    for (size_t i = 0; i < list.fallback_providers.size(); ++i) {
        tx.exec_params(
            "INSERT INTO cost_ops.provider_fallbacks (provider, fallback_provider, position, "
            "source) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            list.fallback_providers[i].first, list.fallback_providers[i].second,
            static_cast<long>(i), list.source);
    }
    outcome.match_rules = list.match_rules.size();
    outcome.fallback_providers = list.fallback_providers.size();
}

}  // namespace

AddedPrice add_price(pqxx::dbtransaction& tx, const ImportedPrice& price,
                     const std::string& source) {
    AddedPrice added;
    // Open-ended rows the insert will close (see cost_ops.close_superseded_price).
    if (!price.end_date) {
        auto r = tx.exec_params(
            "SELECT id FROM cost_ops.pricing_tables WHERE provider = $1 AND model = $2 "
            "AND end_date IS NULL AND effective_date < $3::timestamptz",
            price.provider, price.model, price.effective_date);
        for (const auto& row : r) added.closed.push_back(row[0].as<long>());
    }
    if (!insert_in_savepoint(tx, price, source, &added.id)) {
        throw CliError(price.provider + "/" + price.model + ": the new price from " +
                       price.effective_date + " overlaps " + overlapping_rows(tx, price) +
                       (price.end_date ? "; choose dates outside it, or correct the existing row"
                                       : "; give an --end-date, or correct the existing row"));
    }
    // Records the closed rows priced that now fall in the new price's period.
    for (long id : added.closed) {
        added.stale_records += tx.exec_params1(
                                     "SELECT count(*) FROM cost_ops.usage_records "
                                     "WHERE pricing_id = $1 AND \"timestamp\" >= $2::timestamptz",
                                     id, price.effective_date)[0]
                                   .as<long>();
    }
    return added;
}

ImportOutcome import_prices(pqxx::dbtransaction& tx, const PriceImport& list) {
    ImportOutcome outcome;
    for (const ImportedPrice& p : list.prices) {
        pqxx::result same = exec_with_row(tx, kFindSame, p, list.source);
        if (!same.empty()) {
            if (same[0]["same"].as<bool>()) {
                ++outcome.unchanged;
            } else if (same[0]["source"].as<std::string>() == list.source) {
                exec_with_row(tx, kUpdate, p, list.source);
                ++outcome.updated;
            } else {
                outcome.kept.push_back(p.provider + "/" + p.model + ": kept row " +
                                       same[0]["id"].as<std::string>() + " from source " +
                                       same[0]["source"].as<std::string>());
            }
            continue;
        }
        long id;
        if (insert_in_savepoint(tx, p, list.source, &id)) {
            ++outcome.added;
        } else {
            outcome.kept.push_back(p.provider + "/" + p.model + ": overlaps " +
                                   overlapping_rows(tx, p));
        }
    }
    replace_resolution_data(tx, list, outcome);
    return outcome;
}

}  // namespace costops::cli
