#include "cost_text.hpp"

#include <string>

#include "guard.hpp"

namespace costops::pg {

Decimal parse_cost_text(const char* text, const char* source_type) {
    try {
        return Decimal::parse(text);
    } catch (const DecimalError& e) {
        std::string quoted = std::string("\"") + text + "\"";
        switch (e.kind()) {
            case DecimalErrorKind::InvalidSyntax:
                if (std::string(source_type) == "numeric") {
                    throw SqlError(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                                   "cannot convert " + std::string(text) + " to cost");
                }
                throw SqlError(ERRCODE_INVALID_TEXT_REPRESENTATION,
                               "invalid input syntax for type cost: " + quoted);
            case DecimalErrorKind::TooPrecise:
                throw SqlError(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                               "value " + quoted + " has too many fractional digits for type cost",
                               "The cost type keeps 24 fractional digits exactly and never "
                               "rounds its input.",
                               "Round the value first, for example round(x, 24).");
            default:
                throw SqlError(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
                               "value " + quoted + " is out of range for type cost",
                               "The cost type holds at most 39 digits, 24 of them after the "
                               "decimal point.");
        }
    }
}

}  // namespace costops::pg
