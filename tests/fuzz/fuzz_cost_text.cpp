// libFuzzer target: the cost type's text input (Decimal::parse, what cost_in and every price
// reader call). A value it accepts must print and parse back to itself; a refusal is a
// DecimalError, never another exception or a crash.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "decimal.hpp"
#include "fuzz_check.hpp"

using costops::Decimal;
using costops::DecimalError;
using costops::DecimalErrorKind;
using costops::fuzz::require;

namespace {

// Checks what a successful parse of `text` promises: exact text round trips and digit limits.
void check_value(std::string_view text, Decimal value) {
    std::string printed = value.to_string();
    require(printed.size() <= static_cast<size_t>(Decimal::kMaxTextLength), "text too long",
            printed);
    char buf[Decimal::kMaxTextLength + 1];
    int length = value.write(buf);
    require(printed == std::string(buf, static_cast<size_t>(length)), "write != to_string",
            printed);
    require(printed.find_first_of("eE+") == std::string::npos, "text not plain", printed);
    require(Decimal::parse(printed) == value, "text does not parse back", printed);
    int digits = value.fraction_digits();
    require(digits >= 0 && digits <= Decimal::kScale, "fraction_digits out of range", printed);
    // The literal has exactly the value's significant fractional digits: a limit of one fewer
    // refuses it as too precise (never rounds), a limit of that many accepts it.
    require(Decimal::parse(text, digits) == value, "refused at its own precision", printed);
    if (digits > 0) {
        try {
            Decimal::parse(text, digits - 1);
            require(false, "accepted beyond its precision", printed);
        } catch (const DecimalError& e) {
            require(e.kind() == DecimalErrorKind::TooPrecise, "wrong error kind", printed);
        }
    }
    if (value.raw() == 0) return;
    try {
        std::string negated = value.raw() < 0 ? printed.substr(1) : "-" + printed;
        require((-value).to_string() == negated, "negation text", printed);
    } catch (const DecimalError& e) {
        require(e.kind() == DecimalErrorKind::OutOfRange, "negation error kind", printed);
    }
}

}  // namespace

// Parses the input as cost text; checks a value or the error kind of a refusal.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    Decimal value;
    std::string error;
    bool parsed = Decimal::try_parse(text, value, error);
    require(parsed == error.empty(), "try_parse: error text and result disagree", error);
    if (parsed) check_value(text, value);
    return 0;
}
