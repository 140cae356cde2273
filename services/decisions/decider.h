// The decisions case as a decider: two pure functions over one case's stream.
//
//   Decide(state, proposed, context) -> the event to append, or why not
//   Evolve(state, event)             -> the state after it
//
// A command is the event the caller proposes (a payload.h message). Decide
// checks it against the case: a step out of order is FailedPrecondition with
// the rule in the message; bad input is InvalidArgument naming the field.
// Decide also normalizes (the personnummer to 12 digits, the child flag from
// the birth date, the catalogue version in force). Nothing here reads a
// clock or the store: "today" and the catalogue come in the context.
//
// Corrections: a Corrected event replaces the content of an earlier event,
// which stays in the log. The state is the fold of the effective history
// (each event, or its latest replacement); Decide accepts a correction only
// if that corrected history is itself valid, step by step.
#pragma once

#include <optional>
#include <vector>

#include "services/common/civil_date.h"
#include "services/decisions/insats_catalogue.h"
#include "services/decisions/payload.h"

namespace sparbar::decisions {

enum class Phase {
  kNone,              // no event yet
  kApplied,           // application received
  kInvestigating,     // investigation opened
  kDecided,           // a decision, not (yet) executed
  kExecuting,         // executed and running
  kInterrupted,       // execution interrupted
  kEnded,             // ended after execution
  kClosedUnexecuted,  // closed without ever being executed
};
const char* PhaseName(Phase phase);

struct CaseState {
  Phase phase = Phase::kNone;
  // Effective history by revision (corrections applied). Corrected events
  // themselves are kept too, so revisions line up with the stream, except
  // past foreign_revisions.
  std::vector<Payload> history;
  // Revisions of the case's stream that hold no decisions event, ascending:
  // a foreign event appended through the raw API, which the projection
  // skips. Empty wherever the decisions service appends (it refuses a case
  // with one). History indices shift past them; HistoryIndex maps back.
  std::vector<uint64_t> foreign_revisions;
  // The history index of the event at `revision`, or nullopt when the case
  // has no decisions event there.
  std::optional<size_t> HistoryIndex(uint64_t revision) const;
  // The next event folded is at `revision`: any revisions skipped since the
  // last one were foreign.
  void SkipTo(uint64_t revision);

  // Folded from the effective history.
  std::optional<pb::ApplicationReceived> application;
  std::optional<pb::DecisionMade> decision;
  std::optional<CivilDate> received, decided, executed_from, interrupted_from, ended_on;
  // Since when the execution runs: its start, or its latest resumption.
  std::optional<CivilDate> running_since;
  bool offer_outstanding = false;
  std::optional<CivilDate> offered_on;  // of the outstanding offer

  bool Favourable() const { return decision && IsFavourable(decision->outcome()); }
};

struct DecideContext {
  CivilDate today;
  const InsatsCatalogue* catalogue = nullptr;
};

Result<Payload> Decide(const CaseState& state, const Payload& proposed, const DecideContext& context);
CaseState Evolve(CaseState state, const Payload& event);
CaseState Evolve(CaseState state, Payload&& event);  // the same, moving the event into the history

// Folds a whole stream's events.
CaseState Fold(const std::vector<Payload>& events);

// The state of an effective history (CaseState::history, corrections already
// applied), e.g. one a projection stored.
CaseState FromEffectiveHistory(std::vector<Payload> history);

}  // namespace sparbar::decisions
