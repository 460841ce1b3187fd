// libFuzzer target: every reader of an input file the CLI has. The first byte picks the reader
// (CSV, JSON, NDJSON, detected by content, gzip then detected, genai-prices, LiteLLM prices);
// the rest is the file. Records must be numbered in order with sound places; a file a reader
// refuses is a CliError, never another exception or a crash.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include "cli_error.hpp"
#include "decimal.hpp"
#include "exact_json.hpp"
#include "fuzz_check.hpp"
#include "importers/price_import.hpp"
#include "readers/gzip_input.hpp"
#include "readers/record_reader.hpp"

using namespace costops;
using namespace costops::cli;
using costops::fuzz::require;

namespace {

enum class Reader { Csv, Json, Ndjson, Detected, Gzip, GenaiPrices, LitellmPrices, Count };

// Reads every record of `in` as `format`, checking numbering, places and record shapes.
void read_checked(std::istream& in, InputFormat format, size_t first_line) {
    size_t expected_record = 1, last_line = first_line;
    read_records(
        in, format, "fuzz",
        [&](SourceRecord&& r) {
            require(r.place.file == "fuzz", "place names another file", r.place.file);
            require(r.place.record == expected_record++, "records out of order");
            require(r.place.line >= last_line, "lines go back");
            last_line = r.place.line;
            require(!r.error.empty() || r.fields.is_object(), "a good record is not an object");
            if (format != InputFormat::Csv) return;
            for (const auto& field : r.fields.items()) {
                require(field.value().is_string() || field.value().is_null(),
                        "a CSV value is not text", field.key());
                require(!field.value().is_string() ||
                            !field.value().get_ref<const std::string&>().empty(),
                        "an empty CSV value is not missing", field.key());
            }
        },
        first_line);
}

// `in` read as the file of `file_name` would be: detected from its first bytes.
void read_detected(std::istream& in) {
    size_t skipped = 0;
    InputFormat format = detect_input_format("-", in, &skipped);
    read_checked(in, format, 1 + skipped);
}

// Checks one imported price: a non-negative exact price with at most 18 fractional digits.
void check_price(const std::optional<std::string>& price) {
    if (!price) return;
    Decimal value = Decimal::parse(*price, 18);
    require(value >= Decimal(), "a negative imported price", *price);
    require(value.to_string() == *price, "a price not in canonical text", *price);
}

// Checks what a price import produced: named rows with exact prices.
void check_prices(const PriceImport& import) {
    for (const ImportedPrice& p : import.prices) {
        require(!p.provider.empty() && !p.model.empty(), "a price row without a name");
        for (const auto* price : {&p.input, &p.output, &p.cached_input, &p.cache_write,
                                  &p.cache_write_1h, &p.reasoning}) {
            check_price(*price);
        }
        require(p.pricing_structure.is_object(), "pricing_structure is not an object");
    }
}

// Runs the reader `reader` over `in`.
void run_reader(Reader reader, std::istream& in) {
    switch (reader) {
        case Reader::Csv:
            return read_checked(in, InputFormat::Csv, 1);
        case Reader::Json:
            return read_checked(in, InputFormat::Json, 1);
        case Reader::Ndjson:
            return read_checked(in, InputFormat::Ndjson, 1);
        case Reader::Detected:
            return read_detected(in);
        case Reader::Gzip: {
            if (!starts_gzip(in)) return;
            GzipStreambuf gzip(in, "fuzz");
            std::istream decompressed(&gzip);
            return read_detected(decompressed);
        }
        case Reader::GenaiPrices:
            return check_prices(read_genai_prices(in, "fuzz"));
        case Reader::LitellmPrices:
            return check_prices(read_litellm_prices(in, "fuzz"));
        case Reader::Count:
            return;
    }
}

}  // namespace

// Feeds the input after its first byte to the reader that byte picks.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    auto reader = static_cast<Reader>(data[0] % static_cast<uint8_t>(Reader::Count));
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        run_reader(reader, in);
    } catch (const CliError&) {
        // a refusal the user sees as one line naming the file: expected
    }
    return 0;
}
