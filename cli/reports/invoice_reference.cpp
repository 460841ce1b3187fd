#include "invoice_reference.hpp"

#include "../cli_error.hpp"
#include "../db/copy_writer.hpp"
#include "../text_case.hpp"
#include "../timestamps.hpp"
#include "decimal.hpp"
#include "reference_usage.hpp"

namespace costops::cli {

namespace {

// "invoice.csv:3: cost: why", how a bad invoice cell is named.
[[noreturn]] void bad_cell(const SourceRecord& row, const std::string& field,
                           const std::string& why) {
    throw CliError(
        row.place.file + ":" + std::to_string(row.place.line) + ": " + field + ": " + why, 2);
}

// The text of a column of the row, "" when the column is absent or empty.
std::string cell(const SourceRecord& row, const char* name) {
    auto it = row.fields.find(name);
    return it == row.fields.end() || !it->is_string() ? "" : it->get<std::string>();
}

// The invoice's columns are exactly the documented ones; anything else is a mistake to name.
void check_columns(const SourceRecord& row, InvoiceLoad& load) {
    for (auto it = row.fields.begin(); it != row.fields.end(); ++it) {
        const std::string& name = it.key();
        if (name != "date" && name != "provider" && name != "model" && name != "cost" &&
            name != "tokens") {
            bad_cell(row, name, "unknown invoice column (use date, provider, model, cost, tokens)");
        }
    }
    for (const char* required : {"date", "model", "cost"}) {
        if (!row.fields.contains(required)) bad_cell(row, required, "missing invoice column");
    }
    load.has_provider = row.fields.contains("provider");
    load.has_tokens = row.fields.contains("tokens");
}

}  // namespace

InvoiceLoad load_invoice_reference(pqxx::work& tx, const std::string& file,
                                   const std::string& timezone,
                                   const std::string& default_provider) {
    create_reference_table(tx);
    std::unique_ptr<SourceInput> opened = open_reference_file(file);
    SourceInput& input = *opened;
    CopyWriter copy(tx, kReferenceTable, reference_columns());
    InvoiceLoad load;
    std::string text;
    read_csv_records(input.stream(), file, [&](SourceRecord&& row) {
        if (!row.error.empty()) bad_cell(row, "row", row.error);
        if (load.rows++ == 0) check_columns(row, load);
        ParsedTimestamp day;
        std::string why;
        if (!parse_timestamp(cell(row, "date"), day, why) || day.has_time) {
            bad_cell(row, "date", "'" + cell(row, "date") + "' is not a date (YYYY-MM-DD)");
        }
        std::string model = cell(row, "model"), cost = cell(row, "cost");
        if (model.empty()) bad_cell(row, "model", "empty");
        Decimal amount;
        if (!Decimal::try_parse(cost, amount, why)) {
            bad_cell(row, "cost", "'" + cost + "' is not an exact decimal amount: " + why);
        }
        std::string tokens = cell(row, "tokens");
        if (load.has_tokens &&
            (tokens.empty() || tokens.find_first_not_of("0123456789") != std::string::npos)) {
            bad_cell(row, "tokens", "'" + tokens + "' is not a whole number");
        }
        std::string provider =
            lower_case(load.has_provider ? cell(row, "provider") : default_provider);
        // The local midnight of the day, so the range and the day grouping read it as that day.
        std::string midnight = timestamptz_text(day);
        midnight = midnight.substr(0, midnight.size() - 6) + " " + timezone;
        Row values = {midnight,
                      provider.empty() ? Cell() : Cell(provider),
                      model,
                      Cell(),
                      Cell(),
                      Cell(),
                      Cell(),
                      Cell(),
                      Cell(),
                      Cell(),
                      tokens.empty() ? Cell() : Cell(tokens),
                      amount.to_string(),
                      Cell()};
        text.clear();
        append_copy_cells(text, values);
        text += '\n';
        copy.send(text);
    });
    copy.finish();
    return load;
}

}  // namespace costops::cli
