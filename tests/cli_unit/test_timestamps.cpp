// The CLI's timestamp checks: parse_timestamp, timestamptz_text and next_day_text.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "timestamps.hpp"

using namespace costops::cli;

namespace {

// timestamptz_text of a parsed text, or "error: <message>".
std::string normalized(const std::string& text) {
    ParsedTimestamp t;
    std::string error;
    if (!parse_timestamp(text, t, error)) return "error: " + error;
    return timestamptz_text(t);
}

// next_day_text of a parsed text.
std::string next_day(const std::string& text) {
    ParsedTimestamp t;
    std::string error;
    REQUIRE(parse_timestamp(text, t, error));
    return next_day_text(t);
}

const std::string kSyntax =
    "error: expected a timestamp like 2025-01-15T10:00:00Z or a date like 2025-01-15";

}  // namespace

TEST_CASE("parse_timestamp accepts dates, times, fractions and zones", "[cli][timestamps]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"2025-01-15", "2025-01-15T00:00:00+00:00"},
        {"2025-01-15T10:00:00Z", "2025-01-15T10:00:00+00:00"},
        {"2025-01-15t10:00:00z", "2025-01-15T10:00:00+00:00"},
        {"2025-01-15 10:00", "2025-01-15T10:00:00+00:00"},
        {"2025-01-15T10:07", "2025-01-15T10:07:00+00:00"},
        {"2025-01-15T23:59:59", "2025-01-15T23:59:59+00:00"},
        {"2025-01-15T00:00:00.5Z", "2025-01-15T00:00:00.5+00:00"},
        {"2025-01-15T10:00:00.123456+05:30", "2025-01-15T10:00:00.123456+05:30"},
        {"2025-01-15T10:00:00,25-0800", "2025-01-15T10:00:00.25-08:00"},
        {"2025-01-15T10:00+05", "2025-01-15T10:00:00+05:00"},
        {"2025-01-15T10:00:00-00:00", "2025-01-15T10:00:00-00:00"},
        {"2025-01-15T10:00:00+15:59", "2025-01-15T10:00:00+15:59"},
        {"2025-12-31T23:59:59.999999999Z", "2025-12-31T23:59:59.999999999+00:00"},
        {"2024-02-29", "2024-02-29T00:00:00+00:00"},
        {"2000-02-29T12:00:00Z", "2000-02-29T12:00:00+00:00"},
        {"2025-04-30", "2025-04-30T00:00:00+00:00"},
        {"0001-01-01", "0001-01-01T00:00:00+00:00"},
        {"9999-12-31", "9999-12-31T00:00:00+00:00"},
    };
    for (const auto& [text, expected] : cases) {
        INFO("text: " << text);
        CHECK(normalized(text) == expected);
    }

    SECTION("the parsed parts") {
        ParsedTimestamp t;
        std::string error;
        REQUIRE(parse_timestamp("2024-02-29 07:08:09.0100-0330", t, error));
        CHECK(t.year == 2024);
        CHECK(t.month == 2);
        CHECK(t.day == 29);
        CHECK(t.hour == 7);
        CHECK(t.minute == 8);
        CHECK(t.second == 9);
        CHECK(t.fraction == "0100");
        CHECK(t.has_time);
        CHECK(t.zone == "-03:30");
        REQUIRE(parse_timestamp("2025-01-15", t, error));
        CHECK_FALSE(t.has_time);
        CHECK(t.zone.empty());
        CHECK(t.fraction.empty());
        CHECK(t.hour == 0);
    }
}

TEST_CASE("parse_timestamp rejects impossible dates and times", "[cli][timestamps]") {
    const std::vector<std::string> no_such_date = {
        "2025-02-30", "2025-02-29", "2023-02-29", "1900-02-29",           "2100-02-29",
        "2025-13-01", "2025-00-10", "2025-04-31", "2025-06-31",           "2025-09-31",
        "2025-11-31", "2025-01-00", "2025-01-32", "2025-02-30T10:00:00Z",
    };
    for (const std::string& text : no_such_date) {
        INFO("text: " << text);
        CHECK(normalized(text) == "error: no such date");
    }
    const std::vector<std::string> no_such_time = {
        "2025-01-15T24:00",
        "2025-01-15T10:60",
        "2025-01-15T10:00:60",
        "2025-01-15 99:99:99Z",
    };
    for (const std::string& text : no_such_time) {
        INFO("text: " << text);
        CHECK(normalized(text) == "error: no such time of day");
    }
}

TEST_CASE("parse_timestamp rejects malformed text", "[cli][timestamps]") {
    const std::vector<std::string> malformed = {
        "",
        "2025",
        "2025-1-15",
        "2025-01-5",
        "20250115",
        "2025/01/15",
        "15-01-2025",
        "2025-01-15T",
        "2025-01-15T10",
        "2025-01-15T1:00",
        "2025-01-15T10:0",
        "2025-01-15T10:00:",
        "2025-01-15T10:00:0",
        "2025-01-15T10:00:00.",
        "2025-01-15T10:00:00.Z",
        "2025-01-15T10:00:00 Z",
        "2025-01-15T10:00:00+5",
        "2025-01-15T10:00:00+05:3",
        "2025-01-15T10:00:00+05:",
        "2025-01-15T10:00:00+0530x",
        "2025-01-15T10:00:00+05:30:00",
        "2025-01-15T10:00:00+16:00",
        "2025-01-15T10:00:00+05:60",
        "2025-01-15T10:00:00UTC",
        "2025-01-15T10:00:00ZZ",
        "2025-01-15x",
        "2025-01-15T10:00:00Z ",
        " 2025-01-15",
        "2025-01-15_10:00",
        "abcd-ef-gh",
    };
    for (const std::string& text : malformed) {
        INFO("text: '" << text << "'");
        CHECK(normalized(text) == kSyntax);
    }
}

TEST_CASE("next_day_text starts the next UTC day, across month and year ends",
          "[cli][timestamps]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"2025-01-15", "2025-01-16T00:00:00+00:00"},
        {"2025-01-15T10:30:00.5+05:30", "2025-01-16T00:00:00+00:00"},
        {"2025-01-31", "2025-02-01T00:00:00+00:00"},
        {"2025-02-28", "2025-03-01T00:00:00+00:00"},
        {"2024-02-28", "2024-02-29T00:00:00+00:00"},
        {"2024-02-29", "2024-03-01T00:00:00+00:00"},
        {"2000-02-28", "2000-02-29T00:00:00+00:00"},
        {"1900-02-28", "1900-03-01T00:00:00+00:00"},
        {"2025-04-30", "2025-05-01T00:00:00+00:00"},
        {"2025-06-30T23:59:59Z", "2025-07-01T00:00:00+00:00"},
        {"2025-12-31", "2026-01-01T00:00:00+00:00"},
        {"2025-12-31T23:59:59.999-08:00", "2026-01-01T00:00:00+00:00"},
    };
    for (const auto& [text, expected] : cases) {
        INFO("text: " << text);
        CHECK(next_day(text) == expected);
    }
}
