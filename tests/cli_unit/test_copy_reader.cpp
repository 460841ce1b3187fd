// parse_copy_text_line: one line of COPY's text format back into fields.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "db/copy_reader.hpp"

using namespace costops::cli;

namespace {

// The fields of one COPY text line.
Row copy_line(const std::string& line) {
    return parse_copy_text_line(line.data(), line.size());
}

}  // namespace

TEST_CASE("parse_copy_text_line splits on tabs and reads \\N as NULL", "[cli][copy]") {
    const std::vector<std::pair<std::string, Row>> cases = {
        {"a\tb\tc", {"a", "b", "c"}},
        {"\\N\tx\t\\N", {std::nullopt, "x", std::nullopt}},
        {"\\N", {std::nullopt}},
        {"", {""}},
        {"\n", {""}},
        {"a\t", {"a", ""}},
        {"\t", {"", ""}},
        {"a\n", {"a"}},
        {"2025-01-15 10:00:00+00\topenai\t0.005615\t\\N\t{\"a\": 1}\n",
         {"2025-01-15 10:00:00+00", "openai", "0.005615", std::nullopt, "{\"a\": 1}"}},
        {"caf\xC3\xA9", {"caf\xC3\xA9"}},
    };
    for (const auto& [line, expected] : cases) {
        INFO("line: " << line);
        CHECK(copy_line(line) == expected);
    }
}

TEST_CASE("parse_copy_text_line undoes COPY's escapes", "[cli][copy]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"a\\tb", "a\tb"},
        {"\\n\\r\\\\\\b\\f\\v", "\n\r\\\b\f\v"},
        {"\\\\N", "\\N"},                  // an escaped backslash before N is text, not NULL
        {"say \\\"hi\\\"", "say \"hi\""},  // any other escaped character is itself
        {"\\101\\102C", "ABC"},            // octal, up to three digits
        {"\\0121", "\n1"},
        {"\\12x", "\nx"},
        {"\\7", "\x07"},
        {"\\377", "\xFF"},
        {"\\8", "8"},
        {"trailing\\", "trailing\\"},
        {"line\\nbreak\\ttab", "line\nbreak\ttab"},
    };
    for (const auto& [line, expected] : cases) {
        INFO("line: " << line);
        CHECK(copy_line(line) == Row{expected});
    }
    CHECK(copy_line("\\0") == Row{std::string(1, '\0')});
    CHECK(copy_line("a\\tb\tc\\\\d") == Row{"a\tb", "c\\d"});
}
