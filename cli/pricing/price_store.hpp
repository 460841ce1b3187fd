// Writing price rows to cost_ops.pricing_tables: one manual price, or a whole imported list
// synchronized with what an earlier import of the same source wrote.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "../importers/price_import.hpp"

namespace costops::cli {

// The outcome of adding one price.
struct AddedPrice {
    long id = 0;
    std::vector<long> closed;  // open-ended rows this price closed
    long stale_records = 0;    // records priced by a closed row but now in the new period
};

// Inserts `price` (source "manual"); an overlap with an existing price is a CliError naming
// the row it overlaps.
AddedPrice add_price(pqxx::dbtransaction& tx, const ImportedPrice& price,
                     const std::string& source);

// The reprice command that recomputes every record from `start` (timestamptz text, or
// -infinity): those a price row priced under aliases and other spellings of its name too, which
// a --provider/--model filter (the names as recorded) would miss.
std::string reprice_from(const std::string& start);

// What an import did.
struct ImportOutcome {
    size_t added = 0, updated = 0, unchanged = 0;
    size_t removed = 0;              // the source's rows at starts its list no longer has
    std::vector<std::string> kept;   // rows not written because another source's price overlaps
    std::vector<std::string> notes;  // rows corrected with a shorter period, or kept in use
    size_t match_rules = 0, fallback_providers = 0;  // now stored for the source
};

// Adds new rows, corrects rows this source wrote before (a corrected row ends where a later
// row of another source begins), removes the source's rows its list no longer has for a model
// it still lists (unless usage records use them), leaves identical rows, and never
// overwrites another source's price (those conflicts are listed in `kept`). The source's match
// rules and provider fallbacks replace those an earlier import of it stored.
ImportOutcome import_prices(pqxx::dbtransaction& tx, const PriceImport& list);

}  // namespace costops::cli
