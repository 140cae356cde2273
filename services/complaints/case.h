// Synpunkter och klagomål: one feedback or complaint case as a decider, in
// the pattern of services/deviations/decider.h. Decide checks a proposed
// step against the case's folded state and returns the event to record (or
// the rule or field it breaks); Evolve folds an event into the state.
//
// Lifecycle: received -> assigned to a responsible officer -> (a larger
// investigation decided) -> answered -> actions, a deviation -> closed.
// Every case is answered, also when the submitter wants no answer (seed 003
// L5225); a case closes only once answered. A larger investigation is
// decided within the standard deadline. Reminders are recorded only when
// due by the configured days (rules.h): the answer overdue, or the case
// answered and left open; again for the same reason only after
// remind_again_days.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "services/complaints/rules.h"
#include "sparbar/v1/complaints.pb.h"

namespace sparbar::complaints {

namespace pb = ::sparbar::v1::complaints;

using Payload = std::variant<pb::ComplaintReceived, pb::ComplaintAssigned, pb::InvestigationExtended,
                             pb::ComplaintAnswered, pb::ComplaintActionRecorded, pb::ConvertedToDeviation,
                             pb::ReminderSent, pb::ComplaintClosed>;

inline constexpr std::string_view kStreamPrefix = "klagomal-";
inline constexpr std::string_view kContentType = "application/x-protobuf";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
// InvalidArgument for a type that is not a complaints event or bytes that do not parse.
Result<Payload> Parse(std::string_view type, std::string_view bytes);

struct ComplaintState {
  std::optional<pb::ComplaintReceived> received;
  std::optional<CivilDate> received_on, assigned_on, extended_on, answered_on, closed_on;
  std::string responsible;
  std::set<std::string> action_types;  // of the actions recorded
  size_t actions = 0;
  std::set<std::string> deviations;    // avvikelse-… streams it became
  // The last reminder per reason.
  std::optional<CivilDate> reminded_not_answered, reminded_not_closed;

  bool Received() const { return received.has_value(); }
  bool Closed() const { return closed_on.has_value(); }
  bool Extended() const { return extended_on.has_value(); }
  // The answer's due date (nullopt before receipt, or when the date is unreadable).
  std::optional<CivilDate> AnswerDue(const ComplaintRules& rules) const;
  // The day closing is due once answered.
  std::optional<CivilDate> CloseDue(const ComplaintRules& rules) const;
};

struct DecideContext {
  CivilDate today;
  const ComplaintRules* rules;
};

Result<Payload> Decide(const ComplaintState& state, const Payload& proposed, const DecideContext& context);
ComplaintState Evolve(ComplaintState state, const Payload& event);

// The reason a reminder is due on `on`, if one is: the answer overdue, or
// the case answered and not closed within the configured days.
std::optional<pb::ReminderReason> ReminderDue(const ComplaintState& state, const ComplaintRules& rules,
                                              const CivilDate& on);

}  // namespace sparbar::complaints
