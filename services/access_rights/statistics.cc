#include "services/access_rights/statistics.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "services/common/counts.h"
#include "services/common/swedish_time.h"

namespace sparbar::access_rights {
namespace {


bool Within(const CivilDate& d, const CivilDate& from, const CivilDate& to) { return !(d < from) && !(to < d); }

// The units a due step concerns: those in force now, or those ordered before the grant.
std::vector<std::string> CurrentUnits(const RightState& s) {
  if (!s.units.empty()) return s.units.back().units;
  return {s.order->units().begin(), s.order->units().end()};
}

// The right's next review as it stood at the end of `day`: from the grant
// or the last review by then; nullopt when not in force then or its removal
// was ordered by then.
std::optional<CivilDate> ReviewDueAsOf(const RightState& s, const AccessRightRules& rules, const CivilDate& day) {
  if (!s.UnitsAt(EndOfStockholmDay(day))) return std::nullopt;
  const std::optional<RightState::Order>& removal = s.Removed() ? s.carried_out_removal : s.removal;
  if (removal && !(day < removal->ordered_on)) return std::nullopt;
  CivilDate from = StockholmDate(*s.granted_at);
  for (const auto& r : s.reviews) {
    if (!(day < r.on)) from = std::max(from, r.on);
  }
  return from.AddDays(rules.review_interval_days());
}

}  // namespace

const char* OutcomeLabel(pb::ReviewOutcome outcome) {
  switch (outcome) {
    case pb::REVIEW_OUTCOME_KEPT:
      return "Behålls";
    case pb::REVIEW_OUTCOME_NARROWED:
      return "Begränsas";
    case pb::REVIEW_OUTCOME_REMOVED:
      return "Tas bort";
    default:
      return "Okänt utfall";
  }
}

const char* ReasonLabel(pb::ChangeReason reason) {
  switch (reason) {
    case pb::CHANGE_REASON_LEFT:
      return "Slutat";
    case pb::CHANGE_REASON_CHANGED_DUTIES:
      return "Andra arbetsuppgifter";
    case pb::CHANGE_REASON_REVIEW:
      return "Vid kontroll";
    case pb::CHANGE_REASON_OTHER:
      return "Annat skäl";
    default:
      return "Okänt skäl";
  }
}

rpb::AccessRightStatistics AccessRightsStatistics(const AccessRightsView& view, const AccessRightRules& rules,
                                                  const CivilDate& from, const CivilDate& to) {
  rpb::AccessRightStatistics r;
  r.set_period_start(from.ToString());
  r.set_period_end(to.ToString());
  r.set_as_of_position(view.position);
  r.set_unreadable_events(view.unreadable);
  r.set_grant_within_days(static_cast<uint32_t>(rules.grant_within_days()));
  r.set_review_interval_days(static_cast<uint32_t>(rules.review_interval_days()));
  const TimestampMicros end = EndOfStockholmDay(to);
  std::map<pb::ReviewOutcome, int64_t> outcomes;
  std::map<pb::ChangeReason, int64_t> reasons;
  std::map<std::string, int64_t> systems, units, months;
  std::map<int, int64_t> years;
  std::set<std::string> users;
  for (const auto& [stream, s] : view.rights) {
    if (!s.Ordered()) continue;
    ++years[s.ordered_on.year];
    if (Within(s.ordered_on, from, to)) {
      r.set_ordered(r.ordered() + 1);
      ++months[s.ordered_on.ToString().substr(0, 7)];
    }
    if (s.withdrawn_on && Within(*s.withdrawn_on, from, to)) r.set_withdrawn(r.withdrawn() + 1);
    if (s.Granted()) {
      const CivilDate granted = StockholmDate(*s.granted_at);
      if (Within(granted, from, to)) {
        r.set_granted(r.granted() + 1);
        const bool in_time = !(s.ordered_on.AddDays(rules.grant_within_days()) < granted);
        r.set_granted_within_deadline(r.granted_within_deadline() + in_time);
      }
    }
    for (const auto& review : s.reviews) {
      if (!Within(review.on, from, to)) continue;
      r.set_reviews(r.reviews() + 1);
      ++outcomes[review.outcome];
    }
    for (TimestampMicros at : s.narrowed_at) r.set_narrowed(r.narrowed() + Within(StockholmDate(at), from, to));
    if (s.Removed() && Within(StockholmDate(*s.removed_at), from, to)) {
      r.set_removed(r.removed() + 1);
      r.set_removed_late(r.removed_late() + (*s.RemovalDue(rules) < StockholmDate(*s.removed_at)));
      ++reasons[s.carried_out_removal->reason];
    }
    // The state at the end of the period.
    if (const std::vector<std::string>* in_force = s.UnitsAt(end)) {
      r.set_in_force_at_end(r.in_force_at_end() + 1);
      users.insert(s.order->user());
      ++systems[s.order->system()];
      for (const auto& u : *in_force) ++units[u];
      if (auto due = ReviewDueAsOf(s, rules, to); due && *due < to) {
        r.set_reviews_overdue_at_end(r.reviews_overdue_at_end() + 1);
      }
      const std::optional<RightState::Order>& removal = s.Removed() ? s.carried_out_removal : s.removal;
      if (removal && !(to < removal->ordered_on) &&
          std::max(removal->last_day, removal->ordered_on).AddDays(rules.remove_within_days()) < to) {
        r.set_removals_overdue_at_end(r.removals_overdue_at_end() + 1);
      }
    }
  }
  r.set_users_at_end(static_cast<int64_t>(users.size()));
  for (const auto& [o, n] : outcomes)
    AddCount(r.mutable_by_review_outcome(), pb::ReviewOutcome_Name(o), OutcomeLabel(o), n);
  for (const auto& [c, n] : reasons)
    AddCount(r.mutable_removed_by_reason(), pb::ChangeReason_Name(c), ReasonLabel(c), n);
  for (const auto& [system, n] : systems) AddCount(r.mutable_in_force_by_system(), system, system, n);
  for (const auto& [unit, n] : units) AddCount(r.mutable_in_force_by_unit(), unit, unit, n);
  for (const auto& [month, n] : months) AddCount(r.mutable_ordered_by_month(), month, month, n);
  for (const auto& [year, n] : years) {
    AddCount(r.mutable_ordered_by_year(), std::to_string(year), std::to_string(year), n);
  }
  return r;
}

rpb::DueResponse BuildDue(const AccessRightsView& view, const AccessRightRules& rules, const CivilDate& on,
                          uint32_t within_days, const std::string& unit, const std::string& system) {
  rpb::DueResponse r;
  r.set_on(on.ToString());
  r.set_as_of_position(view.position);
  const CivilDate until = on.AddDays(within_days);
  std::vector<std::tuple<CivilDate, std::string, rpb::DueStep>> due;
  for (const auto& [stream, s] : view.rights) {
    if (!s.Ordered()) continue;
    if (!system.empty() && s.order->system() != system) continue;
    if (!unit.empty()) {
      const std::vector<std::string> units = CurrentUnits(s);
      if (std::find(units.begin(), units.end(), unit) == units.end()) continue;
    }
    auto add = [&](std::optional<CivilDate> when, const char* awaits, std::string_view from_role) {
      if (!when || until < *when) return;
      rpb::DueStep d;
      d.set_stream(stream);
      d.set_user(s.order->user());
      d.set_system(s.order->system());
      d.set_awaits(awaits);
      d.set_due(when->ToString());
      d.set_days_left(when->DaysSinceEpoch() - on.DaysSinceEpoch());
      d.set_awaited_from(std::string(from_role));
      due.emplace_back(*when, stream, std::move(d));
    };
    add(s.GrantDue(rules), "tilldelning", kRoleSpecialist);
    add(s.NarrowingDue(rules), "begränsning", kRoleSpecialist);
    if (!s.Removed()) add(s.RemovalDue(rules), "borttagning", kRoleSpecialist);
    add(s.ReviewDue(rules), "kontroll", kRoleManager);
  }
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a).awaits()) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b).awaits());
  });
  for (auto& [when, stream, d] : due) *r.add_steps() = std::move(d);
  return r;
}

rpb::InForceResponse RightsInForce(const AccessRightsView& view, const AccessRightRules& rules, TimestampMicros at,
                                   const std::string& user, const std::string& system, const std::string& unit) {
  rpb::InForceResponse r;
  *r.mutable_at() = TimestampOf(at);
  r.set_as_of_position(view.position);
  std::vector<std::tuple<std::string, std::string, std::string, std::string, rpb::RightInForce>> found;
  for (const auto& [stream, s] : view.rights) {
    const std::vector<std::string>* units = s.UnitsAt(at);
    if (!units) continue;
    const pb::RightOrdered& o = *s.order;
    if ((!user.empty() && o.user() != user) || (!system.empty() && o.system() != system)) continue;
    if (!unit.empty() && std::find(units->begin(), units->end(), unit) == units->end()) continue;
    rpb::RightInForce f;
    f.set_stream(stream);
    f.set_user(o.user());
    f.set_system(o.system());
    f.set_role(o.role());
    for (const auto& u : *units) f.add_units(u);
    *f.mutable_granted_at() = TimestampOf(*s.granted_at);
    if (auto due = s.ReviewDue(rules)) f.set_review_due(due->ToString());
    if (s.removal) f.set_last_day(s.removal->last_day.ToString());
    found.emplace_back(o.user(), o.system(), o.role(), stream, std::move(f));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a)) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b));
  });
  for (auto& t : found) *r.add_rights() = std::move(std::get<4>(t));
  return r;
}

}  // namespace sparbar::access_rights
