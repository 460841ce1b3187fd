// Turning text into a cost with the error messages PostgreSQL users expect.
#pragma once

#include "../core/decimal.hpp"

namespace costops::pg {

// Parses `text` (the output of a value of SQL type `source_type`) exactly; throws SqlError
// with an errcode, a message naming the value, and a hint when rounding would be needed.
Decimal parse_cost_text(const char* text, const char* source_type);

}  // namespace costops::pg
