// JSON reading that never turns a number into a double: every number that is not a plain
// 64-bit integer is kept as its literal text ("2.5e-06" stays "2.5e-06"), held in the DOM as
// a binary value with subtype kNumberLiteralSubtype so it stays distinct from strings.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace costops {

using Json = nlohmann::json;

// A JSON syntax error (or a repeated key in an object) with the 1-based line it was found on.
class JsonSyntaxError : public std::runtime_error {
  public:
    JsonSyntaxError(size_t line, const std::string& what) : std::runtime_error(what), line_(line) {}
    size_t line() const { return line_; }

  private:
    size_t line_;
};

// Parses a whole JSON document exactly; throws JsonSyntaxError.
Json parse_json_exact(std::string_view text);

// Reads a JSON document from `in`. When its top level is an array, calls on_element for each
// element as soon as it is complete (constant memory), with the element's 1-based index and
// the line it starts on; otherwise calls on_element once with the whole value (index 0).
// `first_line` is the line number of the stream's current position.
// Throws JsonSyntaxError.
void read_json_stream(std::istream& in,
                      const std::function<void(Json&&, size_t index, size_t line)>& on_element,
                      size_t first_line = 1);

constexpr std::uint64_t kNumberLiteralSubtype = 0x4e;  // 'N'

// True for a number kept as its literal text.
bool is_number_literal(const Json& value);

// True for any JSON number: integer or literal.
bool is_json_number(const Json& value);

// The text of a scalar: strings as-is, numbers as written, anything else empty.
std::string json_scalar_text(const Json& value);

// Serializes compactly, writing number literals back exactly as they were read.
std::string dump_exact(const Json& value);

// `text` as a JSON string literal, for messages and keys; bytes that are not UTF-8 (a CSV cell
// may hold any) become U+FFFD instead of making nlohmann's dump() throw.
std::string json_quoted(std::string_view text);

}  // namespace costops
