// Packed JSON: what a batch keeps of its source records comes back exactly.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "exact_json.hpp"
#include "ingest/packed_json.hpp"

using namespace costops;
using namespace costops::cli;

namespace {

// `value` packed and unpacked, as exact JSON text.
std::string round_trip(const Json& value) {
    std::string packed;
    pack_json(packed, value);
    std::string_view in(packed);
    Json back = unpack_json(in);
    CHECK(in.empty());
    return dump_exact(back);
}

}  // namespace

TEST_CASE("packed JSON comes back exactly", "[packed_json]") {
    for (const char* text :
         {R"({"a": "x", "b": null, "c": 1, "d": -7, "e": 18446744073709551615})",
          R"({"n": 2.50, "m": 1e-6, "t": true, "f": false, "list": [1, "two", [3], {"k": {}}]})",
          R"({"metadata": {"nested": {"deep": [0.10, "v"]}}, "empty": "", "arr": []})", "[]",
          R"("just a string")", "12"}) {
        Json value = parse_json_exact(text);
        CHECK(round_trip(value) == dump_exact(value));
    }
}

TEST_CASE("packed JSON keeps bytes that are not UTF-8 and tabs", "[packed_json]") {
    Json value = Json::object();
    value["model"] = std::string("gpt-4o\xff");
    value["note"] = std::string("a\tb\nc\0d", 7);
    CHECK(round_trip(value) == dump_exact(value));
}

TEST_CASE("packed texts and numbers follow one another", "[packed_json]") {
    std::string packed;
    pack_text(packed, "usage.csv");
    pack_number(packed, 42);
    pack_json(packed, Json::object());
    pack_text(packed, "");
    std::string_view in(packed);
    CHECK(unpack_text(in) == "usage.csv");
    CHECK(unpack_number(in) == 42);
    CHECK(unpack_json(in) == Json::object());
    CHECK(unpack_text(in).empty());
    CHECK(in.empty());
}
