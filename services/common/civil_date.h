// CivilDate: a calendar date (no time, no zone), as the domain's papers use
// them: decision dates, start dates, report dates. Text form "YYYY-MM-DD".
#pragma once

#include <compare>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/event.h"
#include "eventstore/status.h"

namespace sparbar {

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;

  // "YYYY-MM-DD", a real date between 1800 and 2999; `field` names the input
  // in the error message.
  static Result<CivilDate> Parse(std::string_view text, std::string_view field);
  // The same, for text that was validated before (stored events): nullopt when it is not a date.
  static std::optional<CivilDate> TryParse(std::string_view text);
  static bool Valid(int year, int month, int day);
  static CivilDate FromDays(int64_t days_since_epoch);
  // The UTC date of a timestamp.
  static CivilDate FromMicros(TimestampMicros t);

  int64_t DaysSinceEpoch() const;
  std::string ToString() const;
  // The day `days` later (earlier when negative).
  CivilDate AddDays(int64_t days) const { return FromDays(DaysSinceEpoch() + days); }
  // The same day `months` later; clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
  CivilDate AddMonths(int months) const;

  auto operator<=>(const CivilDate&) const = default;
};

int DaysInMonth(int year, int month);

}  // namespace sparbar
