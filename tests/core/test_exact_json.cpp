// exact_json: numbers keep their literal text; streaming of top-level arrays with lines.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "exact_json.hpp"

using namespace costops;

namespace {

// Every element read_json_stream hands out, as "index@line text".
std::vector<std::string> streamed(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    read_json_stream(in, [&](Json&& value, size_t index, size_t line) {
        out.push_back(std::to_string(index) + "@" + std::to_string(line) + " " + dump_exact(value));
    });
    return out;
}

// The line of the JsonSyntaxError that `action` throws; 0 when it throws none.
template <typename Action>
size_t syntax_error_line(Action action) {
    try {
        action();
    } catch (const JsonSyntaxError& e) {
        CHECK(std::string(e.what()).find("[json.exception") == std::string::npos);
        return e.line();
    }
    return 0;
}

// The line of the JsonSyntaxError parse_json_exact throws for `text`.
size_t parse_error_line(const std::string& text) {
    return syntax_error_line([&] { parse_json_exact(text); });
}

}  // namespace

TEST_CASE("exact_json keeps number literals as their text", "[core][json]") {
    const std::vector<std::string> literals = {
        "0.10000000000000000000001",
        "1e400",
        "-1e400",
        "1e-400",
        "2.5e-06",
        "2.5E+3",
        "1.0",
        "1.50",
        "-0.0",
        "0.08333333333333334",
        "18446744073709551616",
        "-9223372036854775809",
        "123456789012345678901234567890",
    };
    for (const std::string& text : literals) {
        INFO("literal: " << text);
        Json value = parse_json_exact(text);
        CHECK(is_number_literal(value));
        CHECK(is_json_number(value));
        CHECK_FALSE(value.is_string());
        CHECK_FALSE(value.is_number_float());
        CHECK(json_scalar_text(value) == text);
        CHECK(dump_exact(value) == text);
        Json inside = parse_json_exact("{\"price\": " + text + "}");
        CHECK(json_scalar_text(inside["price"]) == text);
        CHECK(dump_exact(inside) == "{\"price\":" + text + "}");
    }
}

TEST_CASE("exact_json keeps 64-bit integers as integers", "[core][json]") {
    const std::vector<std::string> integers = {
        "0", "42", "-5", "9223372036854775807", "-9223372036854775808", "18446744073709551615"};
    for (const std::string& text : integers) {
        INFO("integer: " << text);
        Json value = parse_json_exact(text);
        CHECK(value.is_number_integer());
        CHECK_FALSE(is_number_literal(value));
        CHECK(is_json_number(value));
        CHECK(json_scalar_text(value) == text);
        CHECK(dump_exact(value) == text);
    }
    CHECK(parse_json_exact("18446744073709551615").is_number_unsigned());
}

TEST_CASE("json_scalar_text and is_json_number of the other kinds", "[core][json]") {
    CHECK(json_scalar_text(parse_json_exact(R"("1.5")")) == "1.5");
    CHECK_FALSE(is_json_number(parse_json_exact(R"("1.5")")));
    CHECK_FALSE(is_number_literal(parse_json_exact(R"("1.5")")));
    CHECK(json_scalar_text(parse_json_exact(R"("")")) == "");
    CHECK(json_scalar_text(parse_json_exact(R"("caf\u00e9")")) == "caf\xC3\xA9");
    for (const char* text : {"true", "false", "null", "[1]", "{\"a\": 1}", "{}", "[]"}) {
        INFO(text);
        Json value = parse_json_exact(text);
        CHECK(json_scalar_text(value) == "");
        CHECK_FALSE(is_json_number(value));
        CHECK_FALSE(is_number_literal(value));
    }
    // A binary value with another subtype is not a number literal.
    CHECK_FALSE(is_number_literal(Json::binary({'1'}, 1)));
    CHECK_FALSE(is_number_literal(Json::binary({'1'})));
}

TEST_CASE("dump_exact round-trips documents exactly", "[core][json]") {
    const std::vector<std::string> compact = {
        R"({"a":[1,2.50,"x",null,true,false,{"b":1e-7}],"c":"line\nbreak \"q\""})",
        R"([0.10000000000000000000001,1e400,-2.5e-06,{}])",
        R"({"nested":{"deeper":{"v":100.000}}})",
        R"("caf)"
        "\xC3\xA9"
        R"(")",
        "[]",
        "{}",
    };
    for (const std::string& text : compact) {
        INFO(text);
        CHECK(dump_exact(parse_json_exact(text)) == text);
        CHECK(dump_exact(parse_json_exact(dump_exact(parse_json_exact(text)))) == text);
    }
    // Whitespace goes; keys come out sorted; literals stay.
    CHECK(dump_exact(parse_json_exact(" {\n \"z\" : 0.10 ,\t\"a\" : [ 1 , 2.0 ] }\n")) ==
          R"({"a":[1,2.0],"z":0.10})");
}

TEST_CASE("parse_json_exact reports syntax errors with their line", "[core][json]") {
    CHECK(parse_error_line("") == 1);
    CHECK(parse_error_line("{") == 1);
    CHECK(parse_error_line("{\n\"a\": 1,\n\"b\": }") == 3);
    CHECK(parse_error_line("[1,\n2,\n\n3 4]") == 4);
    CHECK(parse_error_line("{\"a\": 1}\nx") == 2);
    CHECK(parse_error_line("[1.\n]") == 1);
    CHECK(parse_error_line("[1, 2,]") == 1);
    CHECK(parse_error_line("{'a': 1}") == 1);
    CHECK(parse_error_line("[NaN]") == 1);
    CHECK(parse_error_line("\n\n\n01") == 4);
    try {
        parse_json_exact("{\n\"a\" 1}");
        FAIL("no error");
    } catch (const JsonSyntaxError& e) {
        CHECK(e.line() == 2);
        CHECK(std::string(e.what()).find("syntax error while parsing object separator") !=
              std::string::npos);
    }
}

TEST_CASE("read_json_stream hands out array elements with index and start line", "[core][json]") {
    CHECK(streamed("[\n  {\"id\": 1},\n\n  {\"id\": 2.50,\n   \"x\": [1, 2]},\n  {\"id\": 3}\n]") ==
          std::vector<std::string>{"1@2 {\"id\":1}", "2@4 {\"id\":2.50,\"x\":[1,2]}",
                                   "3@6 {\"id\":3}"});
    CHECK(streamed("[{\"a\":1},{\"a\":2}]") ==
          std::vector<std::string>{"1@1 {\"a\":1}", "2@1 {\"a\":2}"});
    CHECK(streamed("[[1, 2],\n[3],\n[]]") ==
          std::vector<std::string>{"1@1 [1,2]", "2@2 [3]", "3@3 []"});
    CHECK(streamed("[]").empty());
    CHECK(streamed("  [ ]  ").empty());

    SECTION("scalar elements start on their own line") {
        CHECK(streamed("[\n1,\n2\n,\"s\"\n,\n1e400\n,\ntrue\n]") ==
              std::vector<std::string>{"1@2 1", "2@3 2", "3@4 \"s\"", "4@6 1e400", "5@8 true"});
        CHECK(streamed("[\n  0.5\n]") == std::vector<std::string>{"1@2 0.5"});
        CHECK(streamed("[null,\n-7]") == std::vector<std::string>{"1@1 null", "2@2 -7"});
    }
    SECTION("anything but an array is one value with index 0") {
        CHECK(streamed("{\"a\": [1, {\"b\": 2.0}]}") ==
              std::vector<std::string>{"0@1 {\"a\":[1,{\"b\":2.0}]}"});
        CHECK(streamed("2.5e-06") == std::vector<std::string>{"0@1 2.5e-06"});
        CHECK(streamed("\"text\"") == std::vector<std::string>{"0@1 \"text\""});
    }
    SECTION("elements before a syntax error are handed out first") {
        std::istringstream in("[{\"a\":1},\n{\"a\":2},\n{\"a\":]");
        std::vector<size_t> seen;
        size_t line = syntax_error_line([&] {
            read_json_stream(in, [&](Json&&, size_t index, size_t) { seen.push_back(index); });
        });
        CHECK(line == 3);
        CHECK(seen == std::vector<size_t>{1, 2});
    }
    SECTION("syntax errors name their line") {
        const std::vector<std::pair<std::string, size_t>> cases = {
            {"", 1},
            {"[\n{\"a\": 1}\n{\"a\": 2}]", 3},
            {"[\n1,\n2,\n]", 4},
            {"[1]\n[2]", 2},
            {"[\n\n{\"a\" 1}]", 3},
            {"[\n\"unterminated\n]", 2},
        };
        for (const auto& [text, expected] : cases) {
            INFO(text);
            std::istringstream in(text);
            CHECK(syntax_error_line([&] { read_json_stream(in, [](Json&&, size_t, size_t) {}); }) ==
                  expected);
        }
    }
    SECTION("a long array streams every element in order") {
        std::string text = "[\n";
        for (int i = 1; i <= 10000; ++i) {
            text += "{\"n\": " + std::to_string(i) + ", \"cost\": 0.00000" + std::to_string(i) +
                    "}" + (i < 10000 ? ",\n" : "\n");
        }
        text += "]";
        std::istringstream in(text);
        size_t count = 0, wrong = 0;
        read_json_stream(in, [&](Json&& value, size_t index, size_t line) {
            ++count;
            wrong += index != count || line != count + 1 || value["n"] != count ||
                     json_scalar_text(value["cost"]) != "0.00000" + std::to_string(count);
        });
        CHECK(count == 10000);
        CHECK(wrong == 0);
    }
}
