// counted(): the one way messages count things, singular for 1.
#include <catch2/catch.hpp>

#include "text_count.hpp"

using costops::cli::counted;

TEST_CASE("a count of one is singular, any other count plural", "[cli]") {
    CHECK(counted(1, "budget") == "1 budget");
    CHECK(counted(0, "budget") == "0 budgets");
    CHECK(counted(2, "record") == "2 records");
    CHECK(counted(-1, "day") == "-1 day");
    CHECK(counted(3, "entry", "entries") == "3 entries");
    CHECK(counted(1, "entry", "entries") == "1 entry");
}
