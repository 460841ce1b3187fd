// The reference of `report generate --invoice`: a provider's invoice as CSV, one row per day and
// model, loaded into the reconciliation's reference table.
#pragma once

#include <string>

#include <pqxx/pqxx>

namespace costops::cli {

struct InvoiceLoad {
    int64_t rows = 0;
    bool has_provider = false;  // a provider column: days x provider x model, else days x model
    bool has_tokens = false;    // a tokens column: total tokens are compared too
};

// Reads the invoice CSV `file` (header: date, model, cost; optional provider, tokens; dates
// are days of `timezone`) into kReferenceTable inside `tx`; without a provider column its rows
// are `provider`'s (the --provider filter; none when empty). A bad row throws CliError naming
// its line and field.
InvoiceLoad load_invoice_reference(pqxx::work& tx, const std::string& file,
                                   const std::string& timezone, const std::string& provider);

}  // namespace costops::cli
