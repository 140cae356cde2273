#include "services/common/swedish_time.h"

namespace sparbar {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 of the last Sunday of `month`.
int64_t LastSunday(int year, int month) {
  const int64_t last = CivilDate{year, month, DaysInMonth(year, month)}.DaysSinceEpoch();
  const int64_t weekday = ((last + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  return last - weekday;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

int64_t StockholmUtcOffsetSeconds(TimestampMicros utc) {
  const int64_t seconds = FloorDiv(utc, kMicrosPerSecond);
  const int year = CivilDate::FromDays(FloorDiv(seconds, kSecondsPerDay)).year;
  const int64_t summer_starts = LastSunday(year, 3) * kSecondsPerDay + 3600;  // 01:00 UTC
  const int64_t summer_ends = LastSunday(year, 10) * kSecondsPerDay + 3600;
  return seconds >= summer_starts && seconds < summer_ends ? 7200 : 3600;
}

CivilDate StockholmDate(TimestampMicros utc) {
  const int64_t local_seconds = FloorDiv(utc, kMicrosPerSecond) + StockholmUtcOffsetSeconds(utc);
  return CivilDate::FromDays(FloorDiv(local_seconds, kSecondsPerDay));
}

StockholmClock StockholmClockAt(TimestampMicros utc) {
  const int64_t local_seconds = FloorDiv(utc, kMicrosPerSecond) + StockholmUtcOffsetSeconds(utc);
  const int64_t days = FloorDiv(local_seconds, kSecondsPerDay);
  StockholmClock c;
  c.date = CivilDate::FromDays(days);
  c.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday
  c.second_of_day = static_cast<int>(local_seconds - days * kSecondsPerDay);
  return c;
}

TimestampMicros EndOfStockholmDay(const CivilDate& day) {
  // The next midnight in Sweden is 22:00 or 23:00 UTC on `day`, hours away
  // from any change of offset (those happen at 01:00 UTC), so the offset an
  // hour before it, read as UTC, is the offset in force then.
  const int64_t next_midnight_as_utc = (day.DaysSinceEpoch() + 1) * kSecondsPerDay;
  const int64_t offset = StockholmUtcOffsetSeconds((next_midnight_as_utc - 3 * 3600) * kMicrosPerSecond);
  return (next_midnight_as_utc - offset) * kMicrosPerSecond - 1;
}

TimestampMicros StartOfStockholmDay(const CivilDate& day) {
  return EndOfStockholmDay(CivilDate::FromDays(day.DaysSinceEpoch() - 1)) + 1;
}

}  // namespace sparbar
