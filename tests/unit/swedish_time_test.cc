// Swedish civil time: the day boundaries in winter and summer, and the two
// changes of offset, against instants worked out by hand.
#include <catch2/catch.hpp>

#include "services/common/swedish_time.h"

using namespace sparbar;

namespace {

// Microseconds since the epoch of a UTC date and time.
TimestampMicros Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return ((CivilDate{y, mo, d}.DaysSinceEpoch() * 86400) + h * 3600 + mi * 60 + s) * 1'000'000LL;
}

}  // namespace

TEST_CASE("Swedish time is UTC+1 in winter and UTC+2 in summer, changing at 01:00 UTC", "[unit][time]") {
  CHECK(StockholmUtcOffsetSeconds(Utc(2024, 1, 15, 12, 0)) == 3600);
  CHECK(StockholmUtcOffsetSeconds(Utc(2024, 7, 1, 12, 0)) == 7200);
  // 2024: summer time from Sunday 31 March to Sunday 27 October.
  CHECK(StockholmUtcOffsetSeconds(Utc(2024, 3, 31, 0, 59, 59)) == 3600);
  CHECK(StockholmUtcOffsetSeconds(Utc(2024, 3, 31, 1, 0, 0)) == 7200);
  CHECK(StockholmUtcOffsetSeconds(Utc(2024, 10, 27, 0, 59, 59)) == 7200);
  CHECK(StockholmUtcOffsetSeconds(Utc(2024, 10, 27, 1, 0, 0)) == 3600);
  // 2025: 30 March and 26 October.
  CHECK(StockholmUtcOffsetSeconds(Utc(2025, 3, 30, 1, 0, 0)) == 7200);
  CHECK(StockholmUtcOffsetSeconds(Utc(2025, 3, 29, 12, 0, 0)) == 3600);
  CHECK(StockholmUtcOffsetSeconds(Utc(2025, 10, 26, 1, 0, 0)) == 3600);
  CHECK(StockholmUtcOffsetSeconds(Utc(2025, 10, 25, 23, 0, 0)) == 7200);
}

TEST_CASE("the Swedish date changes at Swedish midnight, not at UTC midnight", "[unit][time]") {
  CHECK(StockholmDate(Utc(2024, 1, 15, 22, 59, 59)) == CivilDate{2024, 1, 15});
  CHECK(StockholmDate(Utc(2024, 1, 15, 23, 0, 0)) == CivilDate{2024, 1, 16});
  CHECK(StockholmDate(Utc(2024, 6, 30, 21, 59, 59)) == CivilDate{2024, 6, 30});
  CHECK(StockholmDate(Utc(2024, 6, 30, 22, 30, 0)) == CivilDate{2024, 7, 1});
  CHECK(StockholmDate(Utc(2023, 12, 31, 23, 0, 0)) == CivilDate{2024, 1, 1});
}

TEST_CASE("the end of a Swedish day is 22:59:59.999999 or 21:59:59.999999 UTC", "[unit][time]") {
  CHECK(EndOfStockholmDay(CivilDate{2024, 1, 15}) == Utc(2024, 1, 15, 23, 0) - 1);
  CHECK(EndOfStockholmDay(CivilDate{2024, 7, 1}) == Utc(2024, 7, 1, 22, 0) - 1);
  // The days of the changes: the day is 23 or 25 hours long, and it ends in the new offset.
  CHECK(EndOfStockholmDay(CivilDate{2024, 3, 31}) == Utc(2024, 3, 31, 22, 0) - 1);
  CHECK(EndOfStockholmDay(CivilDate{2024, 10, 27}) == Utc(2024, 10, 27, 23, 0) - 1);
  CHECK(EndOfStockholmDay(CivilDate{2024, 3, 30}) == Utc(2024, 3, 30, 23, 0) - 1);
  for (const CivilDate d : {CivilDate{2024, 3, 31}, CivilDate{2024, 8, 15}, CivilDate{2024, 12, 31}}) {
    INFO(d.ToString());
    CHECK(StockholmDate(EndOfStockholmDay(d)) == d);
    CHECK(StockholmDate(EndOfStockholmDay(d) + 1) == CivilDate::FromDays(d.DaysSinceEpoch() + 1));
  }
}
