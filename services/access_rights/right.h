// Behörighet: one access right as a decider, in the pattern of
// services/incidents/incident.h. Decide checks a proposed step against the
// right's folded state and returns the event to record (or the rule or
// field it breaks); Evolve folds an event into the state.
//
// Lifecycle: ordered by the unit manager (role "enhetschef") once every mandatory
// training is done -> granted by the specialist (role
// "behorighetsadministrator"), never the one who ordered it -> reviewed
// periodically: kept, narrowed or removed -> narrowing ordered (and carried
// out by the specialist) -> removal ordered, with the last day (and carried
// out by the specialist). A removal ordered before the grant withdraws the
// order. A narrowing keeps some but not all of the units in force; a
// wider right is a new order. Dates may not lie after today in Sweden, nor
// before the step they follow; an instant not before the start of its
// order's day nor before the previous change took effect.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/event.h"
#include "eventstore/status.h"
#include "services/access_rights/rules.h"
#include "services/common/civil_date.h"
#include "services/common/instant.h"
#include "sparbar/v1/access_rights.pb.h"

namespace sparbar::access_rights {

namespace pb = ::sparbar::v1::accessrights;

using Payload = std::variant<pb::RightOrdered, pb::RightGranted, pb::RightReviewed, pb::NarrowingOrdered,
                             pb::RightNarrowed, pb::RemovalOrdered, pb::RightRemoved>;

inline constexpr std::string_view kStreamPrefix = "behorighet-";
inline constexpr std::string_view kContentType = "application/x-protobuf";
inline constexpr std::string_view kRoleManager = "enhetschef";
inline constexpr std::string_view kRoleSpecialist = "behorighetsadministrator";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

struct RightState {
  // The units in force from an instant on (the grant, then each narrowing).
  struct UnitsFrom {
    TimestampMicros from = 0;
    std::vector<std::string> units;
  };
  struct Review {
    CivilDate on;
    pb::ReviewOutcome outcome = pb::REVIEW_OUTCOME_UNSPECIFIED;
  };
  struct Order {  // a narrowing or removal ordered and not yet carried out
    CivilDate ordered_on, last_day;
    std::vector<std::string> units;  // narrowing: the units kept
    pb::ChangeReason reason = pb::CHANGE_REASON_UNSPECIFIED;
  };

  std::optional<pb::RightOrdered> order;
  CivilDate ordered_on, last_step_on;  // the last step's date (Swedish date of an instant)
  std::optional<TimestampMicros> granted_at, removed_at;
  std::vector<UnitsFrom> units;  // empty before the grant
  std::vector<Review> reviews;
  std::vector<TimestampMicros> narrowed_at;
  std::optional<Order> narrowing, removal;
  std::optional<CivilDate> withdrawn_on;
  std::optional<Order> carried_out_removal;  // the removal order removed_at carried out

  bool Ordered() const { return order.has_value(); }
  bool Granted() const { return granted_at.has_value(); }
  bool Removed() const { return removed_at.has_value(); }
  bool Withdrawn() const { return withdrawn_on.has_value(); }
  // Granted and not removed: its rights can still be in force or change.
  bool Active() const { return Granted() && !Removed(); }
  // The units in force at `at` (nullptr: none, not granted then or removed by then).
  const std::vector<std::string>* UnitsAt(TimestampMicros at) const;
  // When each awaited step is due (nullopt: none awaited). A removal is due
  // remove_within_days after its last day, or after its order when that came
  // later; no review is due while a narrowing or a removal is awaited.
  std::optional<CivilDate> GrantDue(const AccessRightRules& rules) const;
  std::optional<CivilDate> NarrowingDue(const AccessRightRules& rules) const;
  std::optional<CivilDate> RemovalDue(const AccessRightRules& rules) const;
  std::optional<CivilDate> ReviewDue(const AccessRightRules& rules) const;
};

struct DecideContext {
  CivilDate today;  // in Sweden: dates and instants may not lie after it
  std::string actor;
  std::vector<std::string> roles;
  const AccessRightRules* rules;
};

Result<Payload> Decide(const RightState& state, const Payload& proposed, const DecideContext& context);
RightState Evolve(RightState state, const Payload& event);

}  // namespace sparbar::access_rights
