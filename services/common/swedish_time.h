// Swedish civil time (Europe/Stockholm) for the calendar days the domain
// speaks of: "today" in a date check, the end of the day a report was "known
// at". A municipality's day runs from midnight to midnight in Sweden, not in
// UTC: an event recorded at 00:30 Swedish summer time belongs to that day,
// though it is still the day before in UTC.
//
// The rule is the EU's: CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the
// last Sunday of March to 01:00 UTC on the last Sunday of October. Sweden has
// kept it since 1996; earlier instants get the same rule, which is wrong for
// them (the domain's data starts long after). No tz database needed.
#pragma once

#include "eventstore/event.h"
#include "services/common/civil_date.h"

namespace sparbar {

// Seconds Swedish time is ahead of UTC at `utc`: 3600 or 7200.
int64_t StockholmUtcOffsetSeconds(TimestampMicros utc);

// The Swedish calendar date at `utc`.
CivilDate StockholmDate(TimestampMicros utc);

// The Swedish wall clock at `utc`: the date, the weekday (1 Monday … 7
// Sunday) and the second of the day.
struct StockholmClock {
  CivilDate date;
  int weekday = 1;
  int second_of_day = 0;
};
StockholmClock StockholmClockAt(TimestampMicros utc);

// The last microsecond of `day` in Sweden, as a UTC timestamp.
TimestampMicros EndOfStockholmDay(const CivilDate& day);
// The first microsecond of `day` in Sweden, as a UTC timestamp.
TimestampMicros StartOfStockholmDay(const CivilDate& day);

}  // namespace sparbar
