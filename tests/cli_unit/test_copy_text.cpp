// COPY's text format: the escapes of a field and the cells of a row.
#include <catch2/catch.hpp>

#include <string>

#include "db/copy_writer.hpp"

using namespace costops::cli;

TEST_CASE("COPY text escapes backslashes, tabs and line breaks only", "[copy_text]") {
    std::string out = "x";
    append_copy_text(out, "plain text, \"quotes\" and UTF-8 \xC3\xA9");
    CHECK(out == "xplain text, \"quotes\" and UTF-8 \xC3\xA9");
    out.clear();
    append_copy_text(out, "a\\b\tc\nd\re\\");
    CHECK(out == "a\\\\b\\tc\\nd\\re\\\\");
    out.clear();
    append_copy_text(out, "");
    CHECK(out.empty());
}

TEST_CASE("a row of COPY text: cells tab-separated, NULL as \\N", "[copy_text]") {
    std::string out;
    append_copy_cells(out, Row{Cell("a\tb"), Cell(), Cell(""), Cell("1")});
    CHECK(out == "a\\tb\t\\N\t\t1");
}
