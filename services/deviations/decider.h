// A deviation report (avvikelse) as a decider: two pure functions over one
// deviation's stream, as in the decisions module (services/decisions/decider.h).
//
//   Decide(state, proposed, context) -> the event to append, or why not
//   Evolve(state, event)             -> the state after it
//
// The lifecycle: reported -> either closed as not a deviation, with a reason
// ("bedömts inte vara en avvikelse"), or investigated (root causes documented)
// -> actions taken -> their effect followed up -> closed. Closing requires a
// root cause, at least one action, and a follow-up after the last action. An
// action after a follow-up needs a follow-up of its own before the deviation
// can close.
// A deviation of any phase can be linked to the lex Sarah case (SoL/LSS) or
// lex Maria case (HSL, severity 3-4) that took it up. An HSL deviation of
// severity 3-4 is offered to MAS/MAR, who open a lex Maria case from it or
// record why not (LexMariaDeclined, only in the role "mas" or "mar",
// PermissionDenied otherwise).
// A step out of order is FailedPrecondition with the rule in the message; bad
// input is InvalidArgument naming the field. Decide sets the taxonomy version
// in force. "Today" and the taxonomy come in the context.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/common/civil_date.h"
#include "services/deviations/payload.h"
#include "services/deviations/taxonomy.h"

namespace sparbar::deviations {

enum class Phase {
  kNone,                // nothing reported
  kReported,            // reported, not yet investigated
  kClosedNotDeviation,  // closed without investigation: not a deviation
  kInvestigated,        // root causes documented; actions may follow
  kFollowedUp,          // the actions' effect followed up
  kClosed,              // closed after investigation and follow-up
};
const char* PhaseName(Phase phase);

struct DeviationState {
  Phase phase = Phase::kNone;
  std::optional<pb::DeviationReported> report;
  std::optional<CivilDate> reported_on, investigated_on, latest_action_on, followed_up_on, closed_on;
  size_t actions = 0;
  size_t actions_since_follow_up = 0;
  std::vector<std::string> linked_cases;  // case streams, in the order linked
  std::optional<CivilDate> lex_maria_declined_on;

  // An HSL deviation of allvarlighetsgrad 3-4: offered to MAS/MAR for lex Maria.
  bool OfferedForLexMaria() const;
  bool TakenUpByLexMaria() const;
};

struct DecideContext {
  CivilDate today;
  const DeviationTaxonomy* taxonomy = nullptr;
  std::vector<std::string> caller_roles;  // LexMariaDeclined needs "mas" or "mar"
};

Result<Payload> Decide(const DeviationState& state, const Payload& proposed, const DecideContext& context);
DeviationState Evolve(DeviationState state, const Payload& event);
DeviationState Fold(const std::vector<Payload>& events);

// The stream prefix a linked case of this kind must have ("lexsarah-", "lexmaria-").
std::string_view LinkedStreamPrefix(pb::LinkKind kind);

}  // namespace sparbar::deviations
