// Delegationsbeslut: one decision taken under delegation, as a decider over
// its stream ("delegationsbeslut-<id>"), in the pattern of
// services/committee/meeting.h.
//
// Lifecycle: taken -> reported to the committee (anmälan av
// delegationsbeslut), once. A decision is taken under a point of the
// delegation order in force on its day, by one of the point's delegates
// (the role or body compared without case, services/common/text_fold.h):
// otherwise FAILED_PRECONDITION, since the decision was not the delegate's
// to take. An order never recorded is INVALID_ARGUMENT (order_id names
// nothing). Recording copies the version, the point's matter and its lagrum
// into the event, and keeps the point and the role as the order spells them. It is
// reported at a meeting held on or after the decision day; a report more
// than delegation_report_within_days later is flagged. The decision day may
// not lie after today in Sweden. Texts naming anyone by personnummer are
// refused: the matter is described, the person is referred to through the
// case.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "eventstore/status.h"
#include "services/committee/rules.h"
#include "services/common/civil_date.h"
#include "services/delegation/order.h"

namespace sparbar::delegation {

using DecisionPayload = std::variant<pb::DecisionTaken, pb::DecisionReported>;

inline constexpr std::string_view kDecisionStreamPrefix = "delegationsbeslut-";

std::string TypeOf(const DecisionPayload& payload);
std::string Serialize(const DecisionPayload& payload);
Result<DecisionPayload> ParseDecision(std::string_view type, std::string_view bytes);

struct DecisionState {
  std::optional<pb::DecisionTaken> taken;
  CivilDate decided_on;
  std::optional<pb::DecisionReported> reported;
  CivilDate reported_on;  // the meeting's date

  bool Taken() const { return taken.has_value(); }
  bool Reported() const { return reported.has_value(); }
  // "sammantrade-<id> § N", or empty when not reported.
  std::string ReportedIn() const;
  bool ReportedLate(const committee::CommitteeRules& rules) const;
};

struct DecisionContext {
  CivilDate today;  // in Sweden
  // The order a DecisionTaken names, folded by the service (empty when it has no events).
  const OrderState* order = nullptr;
  // The date of the meeting a DecisionReported names, checked by the service.
  std::optional<CivilDate> meeting_date;
};

Result<DecisionPayload> DecideDecision(const DecisionState& state, const DecisionPayload& proposed,
                                       const DecisionContext& context);
DecisionState EvolveDecision(DecisionState state, const DecisionPayload& event);

}  // namespace sparbar::delegation
