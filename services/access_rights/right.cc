#include "services/access_rights/right.h"

#include <algorithm>
#include <set>

#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

namespace sparbar::access_rights {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "access right");
}

namespace {

using Units = google::protobuf::RepeatedPtrField<std::string>;

const char* PhaseOf(const RightState& s) {
  if (!s.Ordered()) return "not ordered";
  if (s.Withdrawn()) return "withdrawn";
  if (s.Removed()) return "removed";
  if (s.Granted()) return "granted";
  return "ordered";
}

Status Rule(const RightState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the right is " + PhaseOf(s) + ")");
}


// A short identifier (user, role, unit): printable, at most kMaxShortText bytes, no personnummer.
Status IdText(const std::string& value, const char* field, const CivilDate& today) {
  SPARBAR_TRY(TextField(value, field, kMaxShortText, true));
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument(std::string(field) + " has a control character");
  }
  return NoPersonalIdentity(value, field, today);
}

struct Decider {
  const RightState& s;
  const DecideContext& c;

  Status Role(std::string_view role, const char* step) const {
    if (std::find(c.roles.begin(), c.roles.end(), role) != c.roles.end()) return Status::Ok();
    const char* who = role == kRoleManager ? "the unit manager (role \"enhetschef\") "
                                           : "the specialist (role \"behorighetsadministrator\") ";
    return Status::PermissionDenied(std::string("only ") + who + step);
  }

  // A required date, not after today and not before the right's last step.
  Result<CivilDate> Date(const std::string& text, const char* field) const {
    SPARBAR_TRY_ASSIGN(d, DateField(text, field, c.today));
    if (s.Ordered()) SPARBAR_TRY(NotBefore(d, s.last_step_on, field, "the right's last step"));
    return d;
  }

  // A required instant, not after the end of today in Sweden and not before `earliest`.
  Result<TimestampMicros> Instant(bool present, const google::protobuf::Timestamp& t, const char* field,
                                  TimestampMicros earliest, const char* earlier_step) const {
    if (!present) return Status::InvalidArgument(std::string(field) + " is required");
    if (!ValidInstant(t)) return Status::InvalidArgument(std::string(field) + " is not a valid instant after 1970");
    const TimestampMicros at = MicrosOf(t);
    if (at > EndOfStockholmDay(c.today)) {
      return Status::InvalidArgument(std::string(field) + " lies after today (" + c.today.ToString() + " in Sweden)");
    }
    if (at < earliest) return Status::InvalidArgument(std::string(field) + " lies before " + earlier_step);
    return at;
  }

  // Units of an order: at least one, each an identifier, none twice.
  Status UnitList(const Units& units, const char* field) const {
    if (units.empty()) return Status::InvalidArgument(std::string(field) + " needs at least one unit");
    std::set<std::string> seen;
    for (const auto& u : units) {
      SPARBAR_TRY(IdText(u, field, c.today));
      if (!seen.insert(u).second) return Status::InvalidArgument(std::string(field) + " names \"" + u + "\" twice");
    }
    return Status::Ok();
  }

  // The units of a narrowing: some but not all of those in force now.
  Status Narrower(const Units& units, const char* field) const {
    SPARBAR_TRY(UnitList(units, field));
    const std::vector<std::string>& now = s.units.back().units;
    for (const auto& u : units) {
      if (std::find(now.begin(), now.end(), u) == now.end()) {
        return Status::InvalidArgument(std::string(field) + ": \"" + u +
                                       "\" is not a unit of the right; a wider right is a new order");
      }
    }
    if (static_cast<size_t>(units.size()) == now.size()) {
      return Status::InvalidArgument(std::string(field) + " keeps every unit: a narrowing leaves some out");
    }
    return Status::Ok();
  }

  Status Reason(pb::ChangeReason reason, const std::string& note, bool removal) const {
    if (reason == pb::CHANGE_REASON_UNSPECIFIED || !pb::ChangeReason_IsValid(reason) ||
        reason == pb::CHANGE_REASON_REVIEW) {
      return Status::InvalidArgument(
          "reason must be left, changed duties or other (a review's order is recorded as the review)");
    }
    if (!removal && reason == pb::CHANGE_REASON_LEFT) {
      return Status::InvalidArgument("reason: an employee who leaves has the right removed, not narrowed");
    }
    return FreeTextField(note, "note", kMaxLongText, reason == pb::CHANGE_REASON_OTHER, c.today);
  }

  Status Changeable(const char* step) const {
    if (!s.Active()) return Rule(s, std::string(step) + " belongs to a granted right that is not removed");
    if (s.removal) return Rule(s, std::string(step) + ": the right's removal is ordered already");
    return Status::Ok();
  }

  Result<Payload> operator()(pb::RightOrdered m) const {
    SPARBAR_TRY(Role(kRoleManager, "orders an access right"));
    if (s.Ordered()) return Rule(s, "a right is ordered once; another right is another order");
    SPARBAR_TRY(Date(m.ordered_date(), "ordered_date").status());
    SPARBAR_TRY(IdText(m.user(), "user", c.today));
    SPARBAR_TRY(ValidateStreamId(m.system(), "system"));
    SPARBAR_TRY(IdText(m.role(), "role", c.today));
    SPARBAR_TRY(UnitList(m.units(), "units"));
    SPARBAR_TRY(FreeTextField(m.justification(), "justification", kMaxLongText, true, c.today));
    std::set<std::string> done;
    for (const auto& t : m.trainings()) {
      if (!NameOf(c.rules->trainings(), t)) {
        return Status::InvalidArgument("trainings: " + QuotedForError(t, c.today) +
                                       " is not a training of config/behorigheter.json");
      }
      if (!done.insert(t).second) return Status::InvalidArgument("trainings names \"" + t + "\" twice");
    }
    for (const NamedCode& t : c.rules->trainings()) {
      if (!done.count(t.code)) {
        return Status::InvalidArgument("trainings: the mandatory training \"" + t.code + "\" (" + t.name +
                                       ") is not done; access is ordered after it (seed 003 L4001-L4003)");
      }
    }
    m.set_ordered_by(c.actor);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RightGranted m) const {
    SPARBAR_TRY(Role(kRoleSpecialist, "grants an access right"));
    if (!s.Ordered() || s.Withdrawn() || s.Granted()) return Rule(s, "a right is granted once, after its order");
    if (c.actor == s.order->ordered_by()) {
      return Status::PermissionDenied("the one who ordered a right does not grant it: another specialist grants it");
    }
    SPARBAR_TRY(Instant(m.has_granted_at(), m.granted_at(), "granted_at", StartOfStockholmDay(s.ordered_on),
                        "the day of the order")
                    .status());
    m.set_granted_by(c.actor);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RightReviewed m) const {
    SPARBAR_TRY(Role(kRoleManager, "reviews an access right"));
    SPARBAR_TRY(Changeable("a review"));
    if (s.narrowing) return Rule(s, "a review waits until the narrowing ordered is carried out");
    SPARBAR_TRY(Date(m.reviewed_date(), "reviewed_date").status());
    switch (m.outcome()) {
      case pb::REVIEW_OUTCOME_KEPT:
      case pb::REVIEW_OUTCOME_REMOVED:
        if (!m.units().empty())
          return Status::InvalidArgument("units are given only when the review narrows the right");
        break;
      case pb::REVIEW_OUTCOME_NARROWED:
        SPARBAR_TRY(Narrower(m.units(), "units"));
        break;
      default:
        return Status::InvalidArgument("outcome must be kept, narrowed or removed");
    }
    SPARBAR_TRY(FreeTextField(m.note(), "note", kMaxLongText, false, c.today));
    m.set_reviewed_by(c.actor);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::NarrowingOrdered m) const {
    SPARBAR_TRY(Role(kRoleManager, "orders a narrowing"));
    SPARBAR_TRY(Changeable("a narrowing"));
    if (s.narrowing) return Rule(s, "one narrowing at a time: the last one ordered is not carried out yet");
    SPARBAR_TRY(Date(m.ordered_date(), "ordered_date").status());
    SPARBAR_TRY(Narrower(m.units(), "units"));
    SPARBAR_TRY(Reason(m.reason(), m.note(), /*removal=*/false));
    m.set_ordered_by(c.actor);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RightNarrowed m) const {
    SPARBAR_TRY(Role(kRoleSpecialist, "carries out a narrowing"));
    if (!s.Active() || !s.narrowing) return Rule(s, "a narrowing is carried out once ordered");
    const TimestampMicros earliest = std::max(StartOfStockholmDay(s.narrowing->ordered_on), s.units.back().from);
    SPARBAR_TRY(Instant(m.has_effective_at(), m.effective_at(), "effective_at", earliest,
                        "the day of the order or the right's last change")
                    .status());
    m.set_narrowed_by(c.actor);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RemovalOrdered m) const {
    SPARBAR_TRY(Role(kRoleManager, "orders a removal"));
    if (!s.Ordered() || s.Withdrawn() || s.Removed())
      return Rule(s, "a removal belongs to a right ordered and not removed");
    if (s.removal) return Rule(s, "the right's removal is ordered already");
    SPARBAR_TRY_ASSIGN(ordered, Date(m.ordered_date(), "ordered_date"));
    if (m.last_day().empty()) {
      m.set_last_day(ordered.ToString());
    } else {
      SPARBAR_TRY_ASSIGN(last, CivilDate::Parse(m.last_day(), "last_day"));
      SPARBAR_TRY(NotBefore(last, s.ordered_on, "last_day", "the order of the right"));
    }
    SPARBAR_TRY(Reason(m.reason(), m.note(), /*removal=*/true));
    m.set_ordered_by(c.actor);
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::RightRemoved m) const {
    SPARBAR_TRY(Role(kRoleSpecialist, "removes an access right"));
    if (!s.Active() || !s.removal) return Rule(s, "a granted right is removed once its removal is ordered");
    const TimestampMicros earliest = std::max(StartOfStockholmDay(s.removal->ordered_on), s.units.back().from);
    SPARBAR_TRY(Instant(m.has_removed_at(), m.removed_at(), "removed_at", earliest,
                        "the day of the order or the right's last change")
                    .status());
    m.set_removed_by(c.actor);
    return Payload(std::move(m));
  }
};

std::vector<std::string> ListOf(const Units& units) { return {units.begin(), units.end()}; }

}  // namespace

const std::vector<std::string>* RightState::UnitsAt(TimestampMicros at) const {
  if (!Granted() || at < *granted_at || (removed_at && at >= *removed_at)) return nullptr;
  const std::vector<std::string>* in_force = nullptr;
  for (const UnitsFrom& u : units) {
    if (u.from > at) break;
    in_force = &u.units;
  }
  return in_force;
}

std::optional<CivilDate> RightState::GrantDue(const AccessRightRules& rules) const {
  if (!Ordered() || Granted() || Withdrawn()) return std::nullopt;
  return ordered_on.AddDays(rules.grant_within_days());
}

std::optional<CivilDate> RightState::NarrowingDue(const AccessRightRules& rules) const {
  if (!Active() || !narrowing) return std::nullopt;
  return narrowing->ordered_on.AddDays(rules.narrow_within_days());
}

std::optional<CivilDate> RightState::RemovalDue(const AccessRightRules& rules) const {
  const std::optional<Order>& o = Removed() ? carried_out_removal : removal;
  if (!Granted() || !o) return std::nullopt;
  return std::max(o->last_day, o->ordered_on).AddDays(rules.remove_within_days());
}

std::optional<CivilDate> RightState::ReviewDue(const AccessRightRules& rules) const {
  if (!Active() || removal || narrowing) return std::nullopt;  // a review waits for the narrowing
  const CivilDate from = reviews.empty() ? StockholmDate(*granted_at) : reviews.back().on;
  return from.AddDays(rules.review_interval_days());
}

Result<Payload> Decide(const RightState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

RightState Evolve(RightState s, const Payload& event) {
  auto date = [](const std::string& text) { return CivilDate::TryParse(text).value_or(CivilDate{}); };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::RightOrdered>) {
          s.order = m;
          s.ordered_on = s.last_step_on = date(m.ordered_date());
        } else if constexpr (std::is_same_v<T, pb::RightGranted>) {
          if (!s.order) return;
          s.granted_at = MicrosOf(m.granted_at());
          s.units.push_back({*s.granted_at, ListOf(s.order->units())});
          s.last_step_on = std::max(s.last_step_on, StockholmDate(*s.granted_at));
        } else if constexpr (std::is_same_v<T, pb::RightReviewed>) {
          const CivilDate on = date(m.reviewed_date());
          s.reviews.push_back({on, m.outcome()});
          s.last_step_on = std::max(s.last_step_on, on);
          if (m.outcome() == pb::REVIEW_OUTCOME_NARROWED) {
            s.narrowing = RightState::Order{on, on, ListOf(m.units()), pb::CHANGE_REASON_REVIEW};
          } else if (m.outcome() == pb::REVIEW_OUTCOME_REMOVED) {
            s.removal = RightState::Order{on, on, {}, pb::CHANGE_REASON_REVIEW};
          }
        } else if constexpr (std::is_same_v<T, pb::NarrowingOrdered>) {
          const CivilDate on = date(m.ordered_date());
          s.narrowing = RightState::Order{on, on, ListOf(m.units()), m.reason()};
          s.last_step_on = std::max(s.last_step_on, on);
        } else if constexpr (std::is_same_v<T, pb::RightNarrowed>) {
          if (!s.narrowing) return;
          const TimestampMicros at = MicrosOf(m.effective_at());
          s.units.push_back({at, s.narrowing->units});
          s.narrowed_at.push_back(at);
          s.narrowing.reset();
          s.last_step_on = std::max(s.last_step_on, StockholmDate(at));
        } else if constexpr (std::is_same_v<T, pb::RemovalOrdered>) {
          const CivilDate on = date(m.ordered_date());
          s.last_step_on = std::max(s.last_step_on, on);
          if (!s.Granted()) {
            s.withdrawn_on = on;  // before the grant: the order is withdrawn
            return;
          }
          s.removal = RightState::Order{on, date(m.last_day()), {}, m.reason()};
          s.narrowing.reset();  // the removal supersedes a narrowing not carried out
        } else if constexpr (std::is_same_v<T, pb::RightRemoved>) {
          if (!s.removal) return;
          s.removed_at = MicrosOf(m.removed_at());
          s.carried_out_removal = s.removal;
          s.removal.reset();
          s.last_step_on = std::max(s.last_step_on, StockholmDate(*s.removed_at));
        }
      },
      event);
  return s;
}

}  // namespace sparbar::access_rights
