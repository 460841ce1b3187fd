// A JSON value packed into bytes and back, losslessly (number literals, bytes that are not
// UTF-8 and all): far cheaper than JSON text or a copy of the DOM, for values held in bulk.
#pragma once

#include <string>
#include <string_view>

#include "exact_json.hpp"

namespace costops::cli {

// Appends `value`, packed, to `out`.
void pack_json(std::string& out, const Json& value);

// Unpacks the value at the start of `in` (as pack_json wrote it) and advances `in` past it.
Json unpack_json(std::string_view& in);

// Appends a length-prefixed text to `out`, and reads it back (advancing `in`).
void pack_text(std::string& out, std::string_view text);
std::string_view unpack_text(std::string_view& in);

// Appends a fixed-size number to `out`, and reads it back (advancing `in`).
void pack_number(std::string& out, uint64_t number);
uint64_t unpack_number(std::string_view& in);

}  // namespace costops::cli
