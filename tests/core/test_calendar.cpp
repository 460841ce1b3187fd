// Day numbers as civil dates, weekdays, month ends and labels.
#include <catch2/catch.hpp>

#include "calendar.hpp"

using namespace costops;

TEST_CASE("day numbers and civil dates") {
    CHECK(day_label(0) == "1970-01-01");
    CHECK(weekday_of(0) == 3);  // a Thursday
    CHECK(days_from_civil({2023, 11, 16}) ==
          19677);                   // Python: (date(2023,11,16) - date(1970,1,1)).days
    CHECK(weekday_of(19723) == 0);  // 2024-01-01, a Monday
    CHECK(weekday_of(-1) == 2);     // 1969-12-31, a Wednesday
    CHECK(day_label(last_day_of_month(days_from_civil({2024, 2, 10}))) == "2024-02-29");
    CHECK(day_label(last_day_of_month(days_from_civil({2023, 12, 31}))) == "2023-12-31");
    CHECK(month_label(19677) == "2023-11");
    CHECK(hour_label(19677 * 24 + 18) == "2023-11-16T18:00Z");
}
