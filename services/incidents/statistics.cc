#include "services/incidents/statistics.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "services/common/counts.h"
#include "services/common/swedish_time.h"

namespace sparbar::incidents {
namespace {

// Whole hours from `at` to `due`, rounded towards minus infinity: 1 minute past is -1.
int64_t HoursLeft(TimestampMicros at, TimestampMicros due) {
  constexpr int64_t kHour = 3600LL * 1000000;
  const int64_t d = due - at;
  return d >= 0 ? d / kHour : -((-d + kHour - 1) / kHour);
}

}  // namespace

const char* RiskLabel(pb::Risk risk) {
  switch (risk) {
    case pb::RISK_UNLIKELY: return "Osannolik risk";
    case pb::RISK_LIKELY: return "Risk";
    case pb::RISK_HIGH: return "Hög risk";
    default: return "Inte bedömd";
  }
}

rpb::IncidentStatistics IncidentsStatistics(const IncidentsView& view, const IncidentRules& rules,
                                            const CivilDate& from, const CivilDate& to) {
  rpb::IncidentStatistics r;
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
  r.set_report_within_hours(static_cast<uint32_t>(rules.report_within_hours()));
  r.set_imy_within_hours(static_cast<uint32_t>(rules.imy_within_hours()));
  std::map<pb::Risk, int64_t> risks;
  std::map<std::string, int64_t> kinds, categories, units, months;
  std::map<int, int64_t> years;
  for (const auto& [stream, s] : view.incidents) {
    if (!s.Reported()) continue;
    const CivilDate discovered = StockholmDate(s.discovered_at);
    ++years[discovered.year];
    if (discovered < from || to < discovered) continue;
    r.set_incidents(r.incidents() + 1);
    const bool late = s.ReportedLate(rules);
    r.set_reported_late(r.reported_late() + late);
    r.set_reported_within_deadline(r.reported_within_deadline() + !late);
    ++risks[s.Assessed() ? s.assessment->risk() : pb::RISK_UNSPECIFIED];
    ++kinds[s.reported->kind()];
    for (const auto& c : s.reported->categories()) ++categories[c];
    ++units[s.reported->unit()];
    ++months[discovered.ToString().substr(0, 7)];
    r.set_closed(r.closed() + s.Closed());
    if (!s.Assessed()) continue;
    r.set_assessed(r.assessed() + 1);
    r.set_not_notified(r.not_notified() + !s.assessment->notify_imy());
    if (s.notified_at) {
      r.set_notified_to_imy(r.notified_to_imy() + 1);
      r.set_notified_within_deadline(r.notified_within_deadline() + (*s.notified_at <= *s.ImyDue(rules)));
    }
  }
  for (const auto& [risk, n] : risks) AddCount(r.mutable_by_risk(), pb::Risk_Name(risk), RiskLabel(risk), n);
  AddCodeCounts(r.mutable_by_kind(), kinds, rules.kinds());
  AddCodeCounts(r.mutable_by_category(), categories, rules.categories());
  for (const auto& [unit, n] : units) AddCount(r.mutable_by_unit(), unit, unit, n);
  for (const auto& [month, n] : months) AddCount(r.mutable_by_month(), month, month, n);
  for (const auto& [year, n] : years) AddCount(r.mutable_by_year(), std::to_string(year), std::to_string(year), n);
  return r;
}

rpb::DeadlinesResponse BuildDeadlines(const IncidentsView& view, const IncidentRules& rules, TimestampMicros at,
                                      const std::string& unit) {
  rpb::DeadlinesResponse r;
  *r.mutable_at() = TimestampOf(at);
  r.set_as_of_position(view.position);
  std::vector<std::tuple<TimestampMicros, std::string, rpb::IncidentDeadline>> open;
  for (const auto& [stream, s] : view.incidents) {
    if (!s.Reported() || s.Closed() || s.reported_at > at) continue;
    if (!unit.empty() && s.reported->unit() != unit) continue;
    const char* awaits = nullptr;
    if (!s.Assessed()) {
      awaits = "bedömning";
    } else if (s.assessment->notify_imy() && !s.notified_at) {
      awaits = "anmälan till IMY";
    } else {
      continue;
    }
    const TimestampMicros due = *s.ImyDue(rules);
    rpb::IncidentDeadline d;
    d.set_stream(stream);
    d.set_unit(s.reported->unit());
    d.set_awaits(awaits);
    *d.mutable_due() = TimestampOf(due);
    d.set_hours_left(HoursLeft(at, due));
    d.set_reported_late(s.ReportedLate(rules));
    open.emplace_back(due, stream, std::move(d));
  }
  std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  for (auto& [due, stream, d] : open) *r.add_deadlines() = std::move(d);
  return r;
}

}  // namespace sparbar::incidents
