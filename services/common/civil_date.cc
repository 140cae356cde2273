#include "services/common/civil_date.h"

#include <cstdio>

namespace sparbar {

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool CivilDate::Valid(int year, int month, int day) {
  return year >= 1800 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Result<CivilDate> CivilDate::Parse(std::string_view text, std::string_view field) {
  // The input is echoed only once it has a date's shape: anything else could
  // be personal data typed into the wrong field (a personnummer), which
  // error messages never repeat.
  auto bad = [&] {
    return Status::InvalidArgument(std::string(field) + " must be a date YYYY-MM-DD, got \"" + std::string(text) +
                                   "\"");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return Status::InvalidArgument(std::string(field) + " must be a date YYYY-MM-DD");
  }
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lengths[p]; ++i) {
      const char c = text[starts[p] + i];
      if (c < '0' || c > '9') return bad();
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  if (!Valid(parts[0], parts[1], parts[2])) return bad();
  return CivilDate{parts[0], parts[1], parts[2]};
}

std::optional<CivilDate> CivilDate::TryParse(std::string_view text) {
  auto d = Parse(text, "date");
  if (!d.ok()) return std::nullopt;
  return *d;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t CivilDate::DaysSinceEpoch() const {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month + (month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilDate::FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

CivilDate CivilDate::FromMicros(TimestampMicros t) {
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  const int64_t days = t >= 0 ? t / kMicrosPerDay : -((-t + kMicrosPerDay - 1) / kMicrosPerDay);
  return FromDays(days);
}

std::string CivilDate::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

CivilDate CivilDate::AddMonths(int months) const {
  const int total = year * 12 + (month - 1) + months;
  const int y = total / 12, m = total % 12 + 1;
  const int d = day < DaysInMonth(y, m) ? day : DaysInMonth(y, m);
  return CivilDate{y, m, d};
}

}  // namespace sparbar
