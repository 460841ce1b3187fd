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

// Runs `write` under a savepoint; false (and the savepoint rolled back) when it would overlap an
// existing price (the table's exclusion constraint); other errors are thrown. The savepoint is
// explicit: libpqxx 6's subtransaction does not open one before exec_params.
template <typename Write>
bool without_overlap(pqxx::dbtransaction& tx, Write write) {
    tx.exec("SAVEPOINT write_price");
    try {
        write();
    } catch (const pqxx::sql_error& e) {
        tx.exec("ROLLBACK TO SAVEPOINT write_price");
        if (e.sqlstate() != "23P01") throw;
        return false;
    }
    tx.exec("RELEASE SAVEPOINT write_price");
    return true;
}

// Inserts `p`; false when it overlaps an existing price.
bool insert_price(pqxx::dbtransaction& tx, const ImportedPrice& p, const std::string& source,
                  long* id) {
    return without_overlap(tx,
                           [&] { *id = exec_with_row(tx, kInsert, p, source)[0][0].as<long>(); });
}

// The first other row of the model after `p`'s start: where a corrected or new row whose
// period would overlap it has to end instead (another source's price, or one still in use).
struct LaterRow {
    std::string start;  // timestamptz text
    std::string named;  // "row 7 (manual)"
};
std::optional<LaterRow> next_row(pqxx::dbtransaction& tx, const ImportedPrice& p, long id) {
    pqxx::result r = tx.exec_params(
        "SELECT effective_date::text, id, source FROM cost_ops.pricing_tables "
        "WHERE provider = $1 AND model = $2 AND effective_date > $3::timestamptz AND id <> $4 "
        "ORDER BY effective_date LIMIT 1",
        p.provider, p.model, p.effective_date, id);
    if (r.empty()) return std::nullopt;
    return LaterRow{r[0][0].as<std::string>(),
                    "row " + r[0][1].as<std::string>() + " (" + r[0][2].as<std::string>() + ")"};
}

// What writing one imported row did.
enum class Written { Added, Updated, Unchanged, Conflict };

// `p` ending where `later` begins.
ImportedPrice ending_at(const ImportedPrice& p, const LaterRow& later) {
    ImportedPrice out = p;
    out.end_date = later.start;
    return out;
}

// The note of an imported row that ends where a later row begins.
std::string ending_note(const ImportedPrice& p, long id, const LaterRow& later) {
    return p.provider + "/" + p.model + ": row " + std::to_string(id) + " ends at " + later.start +
           ", where " + later.named + " begins";
}

// Corrects the row `id` this source wrote before; when its new period would overlap a later
// row, the period ends where that row begins (noted; unchanged when it already does).
Written update_price(pqxx::dbtransaction& tx, const ImportedPrice& p, const std::string& source,
                     long id, std::vector<std::string>& notes) {
    if (without_overlap(tx, [&] { exec_with_row(tx, kUpdate, p, source); })) {
        return Written::Updated;
    }
    std::optional<LaterRow> later = next_row(tx, p, id);
    if (!later) return Written::Conflict;
    ImportedPrice shorter = ending_at(p, *later);
    notes.push_back(ending_note(p, id, *later));
    if (exec_with_row(tx, kFindSame, shorter, source)[0]["same"].as<bool>()) {
        return Written::Unchanged;
    }
    return without_overlap(tx, [&] { exec_with_row(tx, kUpdate, shorter, source); })
               ? Written::Updated
               : Written::Conflict;
}

// Whether inserting `p` would close an open-ended price of another source (the table's
// close_superseded_price trigger ends it where `p` begins): an import never cuts another
// source's price short, so such a row is not imported.
bool closes_other_source(pqxx::dbtransaction& tx, const ImportedPrice& p,
                         const std::string& source) {
    if (p.end_date) return false;
    return tx
        .exec_params1(
            "SELECT EXISTS (SELECT 1 FROM cost_ops.pricing_tables WHERE provider = $1 "
            "AND model = $2 AND end_date IS NULL AND effective_date < $3::timestamptz "
            "AND source <> $4)",
            p.provider, p.model, p.effective_date, source)[0]
        .as<bool>();
}

// Inserts a row the source has and the table has not; when it would overlap a later row of
// its model, it ends where that row begins (noted), as a manual price added after it would.
Written insert_imported(pqxx::dbtransaction& tx, const ImportedPrice& p, const std::string& source,
                        std::vector<std::string>& notes) {
    if (closes_other_source(tx, p, source)) return Written::Conflict;
    long id = 0;
    if (insert_price(tx, p, source, &id)) return Written::Added;
    std::optional<LaterRow> later = next_row(tx, p, 0);
    if (!later || !insert_price(tx, ending_at(p, *later), source, &id)) return Written::Conflict;
    notes.push_back(ending_note(p, id, *later));
    return Written::Added;
}

// How many usage records the price row `id` priced.
long records_priced_by(pqxx::dbtransaction& tx, long id) {
    return tx
        .exec_params1("SELECT count(*) FROM cost_ops.usage_records WHERE pricing_id = $1", id)[0]
        .as<long>();
}

// The note of a corrected row that priced usage records: their stored costs stay as they were
// (a hand correction of the row, overwritten by the source's, may have priced them) until they
// are repriced.
std::string corrected_in_use_note(const ImportedPrice& p, long id, long records) {
    return p.provider + "/" + p.model + ": row " + std::to_string(id) +
           " was corrected from the source (its prices or period); the " + std::to_string(records) +
           " usage records it priced keep their stored costs: run " +
           reprice_from(p.effective_date) + " to recompute them";
}

// Removes the rows `list.source` wrote before for the models the list has, at starts the list
// no longer has (the source corrected the model's price list); rows that priced usage records
// are kept and noted in `kept_in_use`. Returns how many were removed. Usage records are only
// looked at when there are such rows (the table may be large and has no index on pricing_id).
size_t remove_unlisted(pqxx::dbtransaction& tx, const PriceImport& list,
                       std::vector<std::string>& kept_in_use) {
    Json keys = Json::array();
    for (const ImportedPrice& p : list.prices) {
        keys.push_back({{"provider", p.provider}, {"model", p.model}, {"start", p.effective_date}});
    }
    pqxx::result unlisted = tx.exec_params(
        "WITH listed AS (SELECT * FROM jsonb_to_recordset($2::jsonb) "
        "AS k(provider text, model text, start timestamptz)) "
        "SELECT p.id, p.provider, p.model FROM cost_ops.pricing_tables AS p WHERE p.source = $1 "
        "AND EXISTS (SELECT 1 FROM listed AS k WHERE k.provider = p.provider "
        "AND k.model = p.model) "
        "AND NOT EXISTS (SELECT 1 FROM listed AS k WHERE k.provider = p.provider "
        "AND k.model = p.model AND k.start = p.effective_date) ORDER BY p.id",
        list.source, keys.dump());
    size_t removed = 0;
    for (const auto& row : unlisted) {
        long records = records_priced_by(tx, row[0].as<long>());
        if (records == 0) {
            tx.exec_params("DELETE FROM cost_ops.pricing_tables WHERE id = $1", row[0].as<long>());
            ++removed;
            continue;
        }
        kept_in_use.push_back(
            std::string(row[1].c_str()) + "/" + row[2].c_str() + ": row " + row[0].c_str() +
            " is no longer in the source but prices " + std::to_string(records) +
            " usage records: kept, and the source's price does not apply over its period until "
            "you correct it (UPDATE cost_ops.pricing_tables SET ... WHERE id = " +
            row[0].c_str() + ") and run cost-ops reprice --provider " + row[1].c_str() +
            " --model " + row[2].c_str());
    }
    return removed;
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

std::string reprice_from(const std::string& start) {
    return start == "-infinity" ? "cost-ops reprice" : "cost-ops reprice --from " + start;
}

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
    if (!insert_price(tx, price, source, &added.id)) {
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
    outcome.removed = remove_unlisted(tx, list, outcome.notes);
    for (const ImportedPrice& p : list.prices) {
        pqxx::result same = exec_with_row(tx, kFindSame, p, list.source);
        if (!same.empty()) {
            long id = same[0]["id"].as<long>();
            if (same[0]["same"].as<bool>()) {
                ++outcome.unchanged;
            } else if (same[0]["source"].as<std::string>() != list.source) {
                outcome.kept.push_back(p.provider + "/" + p.model + ": kept row " +
                                       std::to_string(id) + " from source " +
                                       same[0]["source"].as<std::string>());
            } else {
                switch (update_price(tx, p, list.source, id, outcome.notes)) {
                    case Written::Updated:
                        ++outcome.updated;
                        if (long records = records_priced_by(tx, id); records > 0) {
                            outcome.notes.push_back(corrected_in_use_note(p, id, records));
                        }
                        break;
                    case Written::Unchanged:
                        ++outcome.unchanged;
                        break;
                    default:
                        outcome.kept.push_back(
                            p.provider + "/" + p.model + ": row " + std::to_string(id) +
                            " not corrected: it would overlap " + overlapping_rows(tx, p));
                }
            }
            continue;
        }
        if (insert_imported(tx, p, list.source, outcome.notes) == Written::Added) {
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
