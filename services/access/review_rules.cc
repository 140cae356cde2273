#include "services/access/review_rules.h"

#include <cstdio>

#include "services/common/swedish_time.h"

namespace sparbar::access {
namespace {

constexpr uint32_t kDefaultGraceDays = 30, kDefaultBaselineDays = 90, kDefaultFactorPercent = 300,
                   kDefaultMinPerDay = 50;
const char* const kWeekdays[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

lr::DaySpan Span(uint32_t weekday, uint32_t start, uint32_t end) {
  lr::DaySpan s;
  s.set_weekday(weekday);
  s.set_start_minute(start);
  s.set_end_minute(end);
  return s;
}

struct LocalTime {
  CivilDate date;
  uint32_t weekday = 1;  // 1 Monday … 7 Sunday
  uint32_t minute = 0;
};

LocalTime LocalOf(int64_t at_us) {
  const StockholmClock c = StockholmClockAt(at_us);
  return {c.date, static_cast<uint32_t>(c.weekday), static_cast<uint32_t>(c.second_of_day / 60)};
}

bool Within(const std::vector<lr::DaySpan>& spans, const LocalTime& t) {
  for (const auto& s : spans) {
    if (s.weekday() == t.weekday && t.minute >= s.start_minute() && t.minute < s.end_minute()) return true;
  }
  return false;
}

std::string Clock(uint32_t minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u:%02u", minute / 60, minute % 60);
  return buf;
}

bool Shares(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a) {
    if (b.count(x)) return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& RuleIds() {
  static const std::vector<std::string> ids = {"protected_identity",    "no_open_case",          "same_surname",
                                               "outside_working_hours", "volume_above_baseline", "nodatkomst",
                                               "own_or_colleague",      "outside_rights"};
  return ids;
}

lr::RuleSettings DefaultRules() {
  lr::RuleSettings r;
  r.set_protected_identity(true);
  r.set_no_open_case(true);
  r.set_same_surname(true);
  r.set_outside_working_hours(true);
  r.set_volume_above_baseline(true);
  r.set_nodatkomst(true);
  r.set_own_or_colleague(true);
  r.set_outside_rights(true);
  auto completed = CompleteRules(r);
  return *completed;
}

Result<lr::RuleSettings> CompleteRules(lr::RuleSettings r) {
  if (r.case_grace_days() == 0) r.set_case_grace_days(kDefaultGraceDays);
  if (r.baseline_days() == 0) r.set_baseline_days(kDefaultBaselineDays);
  if (r.volume_factor_percent() == 0) r.set_volume_factor_percent(kDefaultFactorPercent);
  if (r.volume_min_per_day() == 0) r.set_volume_min_per_day(kDefaultMinPerDay);
  if (r.default_working_hours().empty()) {
    for (uint32_t d = 1; d <= 5; ++d) *r.add_default_working_hours() = Span(d, 7 * 60, 18 * 60);
  }
  if (r.case_grace_days() > 3650 || r.baseline_days() > 3650) {
    return Status::InvalidArgument("rules: case_grace_days and baseline_days must be at most 3650");
  }
  if (r.volume_factor_percent() < 100) {
    return Status::InvalidArgument("rules: volume_factor_percent must be at least 100 (the baseline itself)");
  }
  for (const auto& s : r.default_working_hours()) {
    if (s.weekday() < 1 || s.weekday() > 7 || s.start_minute() >= s.end_minute() || s.end_minute() > 1440) {
      return Status::InvalidArgument(
          "rules: a working-hours span needs a weekday 1-7 and minutes 0 <= start < end <= 1440");
    }
  }
  r.DiscardUnknownFields();
  return r;
}

std::vector<Hit> Judge(const JudgedAccess& a, const ReviewContext& context, const lr::RuleSettings& rules) {
  std::vector<Hit> hits;
  const LocalTime local = LocalOf(a.at_us);
  const std::string day = local.date.ToString();
  const std::string subject(a.subject), user(a.user), unit(a.unit);
  const ReviewContext::PersonFact* person = context.PersonOn(subject, local.date);
  auto staff = context.staff.find(user);

  if (rules.protected_identity() && person && person->protected_identity) {
    hits.push_back({"protected_identity", "the person had skyddad identitet on " + day});
  }
  // A disposed person's access (gallrad, no subject) is judged by the user, the unit and the time only.
  if (rules.no_open_case() && !subject.empty()) {
    bool open = false;
    if (auto it = context.cases.find(subject); it != context.cases.end()) {
      for (const auto& c : it->second) {
        if (c.unit != unit || c.from > local.date) continue;
        if (!c.to || c.to->DaysSinceEpoch() + rules.case_grace_days() >= local.date.DaysSinceEpoch()) open = true;
      }
    }
    if (!open) {
      hits.push_back({"no_open_case", "no case of the person was open at unit " + unit + " on " + day +
                                          " (nor ended within " + std::to_string(rules.case_grace_days()) +
                                          " days before)"});
    }
  }
  if (rules.same_surname() && person && staff != context.staff.end() && Shares(person->surname, staff->second.surname)) {
    hits.push_back({"same_surname", "the user and the person share a surname (compared as keyed hashes)"});
  }
  if (rules.outside_working_hours()) {
    auto hours = context.hours.find(unit);
    const bool recorded = hours != context.hours.end();
    const std::vector<lr::DaySpan> spans =
        recorded ? hours->second
                 : std::vector<lr::DaySpan>(rules.default_working_hours().begin(), rules.default_working_hours().end());
    // A unit recorded with no spans works around the clock.
    if (!(recorded && spans.empty()) && !Within(spans, local)) {
      hits.push_back({"outside_working_hours", "at " + Clock(local.minute) + " on " + kWeekdays[local.weekday] + " " +
                                                   day + ", outside " +
                                                   (recorded ? "unit " + unit + "'s" : "the default") +
                                                   " working hours"});
    }
  }
  if (rules.volume_above_baseline() && a.volume) {
    auto count = a.volume->per_day.find(day);
    const double n = count == a.volume->per_day.end() ? 0 : static_cast<double>(count->second);
    const double limit = a.volume->baseline_mean * rules.volume_factor_percent() / 100.0;
    if (n > rules.volume_min_per_day() && n > limit) {
      char mean[32];
      std::snprintf(mean, sizeof mean, "%.1f", a.volume->baseline_mean);
      hits.push_back({"volume_above_baseline", std::to_string(static_cast<int64_t>(n)) + " accesses by the user on " +
                                                   day + ", against a mean of " + mean + " per active day in the " +
                                                   std::to_string(rules.baseline_days()) + " days before the period"});
    }
  }
  if (rules.nodatkomst() && a.purpose == pb::PURPOSE_NODATKOMST) {
    hits.push_back({"nodatkomst", "nödåtkomst was used (its reason is recorded with the access)"});
  }
  if (rules.own_or_colleague()) {
    if (staff != context.staff.end() && !staff->second.own_subject.empty() && staff->second.own_subject == subject) {
      hits.push_back({"own_or_colleague", "the user's own record"});
    } else if (auto colleagues = context.staff_by_subject.find(subject);
               colleagues != context.staff_by_subject.end()) {
      std::set<std::string> units = {unit};
      if (staff != context.staff.end()) units.insert(staff->second.units.begin(), staff->second.units.end());
      for (const std::string& other : colleagues->second) {
        if (other == user) continue;
        auto st = context.staff.find(other);
        if (st != context.staff.end() && Shares(st->second.units, units)) {
          hits.push_back({"own_or_colleague", "the record of a colleague at a unit the user works at"});
          break;
        }
      }
    }
  }
  if (rules.outside_rights() && context.rights.Manages(std::string(a.system), a.at_us) &&
      !context.rights.Covers(user, std::string(a.system), std::string(a.role), unit, a.at_us)) {
    hits.push_back({"outside_rights", "at " + Clock(local.minute) + " on " + day + " the user held no right in " +
                                          std::string(a.system) + " as " + std::string(a.role) + " for unit " +
                                          unit});
  }
  return hits;
}

}  // namespace sparbar::access
