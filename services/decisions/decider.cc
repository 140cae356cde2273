#include "services/decisions/decider.h"

#include <algorithm>
#include <utility>

#include "services/common/decide_checks.h"
#include "services/common/personal_identity.h"

namespace sparbar::decisions {

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kNone: return "no application";
    case Phase::kApplied: return "application received";
    case Phase::kInvestigating: return "under investigation";
    case Phase::kDecided: return "decided";
    case Phase::kExecuting: return "executed";
    case Phase::kInterrupted: return "interrupted";
    case Phase::kEnded: return "ended";
    case Phase::kClosedUnexecuted: return "closed without execution";
  }
  return "?";
}

namespace {

Status Rule(const CaseState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the case is " + PhaseName(s.phase) + ")");
}

Status Text(const std::string& value, const char* field, size_t max, bool required) {
  return TextField(value, field, max, required);
}

Result<CivilDate> DateField(const std::string& text, const char* field, const DecideContext& c) {
  return sparbar::DateField(text, field, c.today);
}

void Apply(CaseState& s, const Payload& event);

// One overload per proposed event; each returns the event to append.
struct Decider {
  const CaseState& s;
  const DecideContext& c;

  Result<Payload> operator()(pb::ApplicationReceived m) const {
    if (s.phase != Phase::kNone) return Rule(s, "a case has one application; this one has it already");
    SPARBAR_TRY_ASSIGN(received, DateField(m.received_date(), "received_date", c));
    SPARBAR_TRY_ASSIGN(id, ParsePersonalIdentity(m.subject().personal_identity_number(), c.today,
                                                 "subject.personal_identity_number"));
    if (m.subject().sex() == pb::SEX_UNSPECIFIED || !pb::Sex_IsValid(m.subject().sex())) {
      return Status::InvalidArgument("subject.sex must be kvinna, man or annat");
    }
    SPARBAR_TRY(Text(m.unit(), "unit", kMaxShortText, true));
    if (!m.insats_applied().empty()) {
      SPARBAR_TRY(c.catalogue->Find(m.insats_applied(), received, "insats_applied").status());
    }
    m.mutable_subject()->set_personal_identity_number(id.number);
    m.mutable_subject()->set_child(id.ChildOn(received));
    m.set_received_date(received.ToString());
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::InvestigationOpened m) const {
    if (s.phase != Phase::kApplied) return Rule(s, "an investigation is opened once, after the application");
    SPARBAR_TRY_ASSIGN(opened, DateField(m.opened_date(), "opened_date", c));
    SPARBAR_TRY(NotBefore(opened, s.received, "opened_date", "the application received"));
    SPARBAR_TRY(Text(m.case_officer(), "case_officer", kMaxShortText, true));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::DecisionMade m) const {
    if (s.decision) {
      return Rule(s, "a case has one decision: to change it, correct the decision event");
    }
    if (s.phase != Phase::kInvestigating) return Rule(s, "a decision follows an opened investigation");
    if (m.outcome() == pb::OUTCOME_UNSPECIFIED || !pb::Outcome_IsValid(m.outcome())) {
      return Status::InvalidArgument("outcome must be bifall, delvis bifall or avslag");
    }
    SPARBAR_TRY_ASSIGN(date, DateField(m.decision_date(), "decision_date", c));
    SPARBAR_TRY(NotBefore(date, s.received, "decision_date", "the application received"));
    SPARBAR_TRY_ASSIGN(insats, c.catalogue->Find(m.insats(), date, "insats"));  // InvalidArgument naming the field
    SPARBAR_TRY_ASSIGN(version, c.catalogue->VersionOn(date));                     // found, since Find was
    bool lagrum_allowed = false;
    std::string allowed;
    for (const auto& l : insats->lagrum) {
      lagrum_allowed |= l == m.lagrum();
      allowed += (allowed.empty() ? "\"" : ", \"") + l + "\"";
    }
    if (!lagrum_allowed) {
      return Status::InvalidArgument("lagrum \"" + m.lagrum().substr(0, 64) + "\" is not a legal basis for insats " +
                                     insats->code + " in catalogue version " + version->version +
                                     "; allowed: " + allowed);
    }
    if (m.outcome() == pb::OUTCOME_AVSLAG && !m.appeal_information_given()) {
      return Status::InvalidArgument("appeal_information_given must be true for a refusal (avslag)");
    }
    SPARBAR_TRY(Text(m.reasons(), "reasons", kMaxLongText, true));
    SPARBAR_TRY(Text(m.decision_maker(), "decision_maker", kMaxShortText, true));
    SPARBAR_TRY(Text(m.delegation_point(), "delegation_point", kMaxShortText, true));
    m.set_catalogue_version(version->version);
    m.set_decision_date(date.ToString());
    return Payload(std::move(m));
  }

  // What the running execution's start date is, for messages.
  const char* RunningSince() const {
    return s.running_since == s.executed_from ? "the execution" : "the latest resumption";
  }

  // A favourable decision that has not ended: offers and delay reasons apply.
  Status OpenFavourable(const char* step) const {
    if (!s.decision) return Rule(s, std::string(step) + " needs a decision first");
    if (!s.Favourable()) return Rule(s, std::string(step) + " applies only to a favourable decision, not a refusal");
    if (s.phase == Phase::kEnded || s.phase == Phase::kClosedUnexecuted) {
      return Rule(s, std::string(step) + " is not possible once the decision is closed");
    }
    return Status::Ok();
  }

  Result<Payload> operator()(pb::OfferMade m) const {
    SPARBAR_TRY(OpenFavourable("an offer"));
    if (s.phase == Phase::kExecuting) return Rule(s, "an offer is made before execution, or during an interruption");
    SPARBAR_TRY_ASSIGN(d, DateField(m.offered_date(), "offered_date", c));
    SPARBAR_TRY(NotBefore(d, s.decided, "offered_date", "the decision"));
    SPARBAR_TRY(NotBefore(d, s.interrupted_from, "offered_date", "the interruption"));
    SPARBAR_TRY(Text(m.place(), "place", kMaxShortText, false));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::OfferDeclined m) const {
    if (!s.offer_outstanding) return Rule(s, "only an outstanding offer can be declined");
    SPARBAR_TRY_ASSIGN(d, DateField(m.declined_date(), "declined_date", c));
    SPARBAR_TRY(NotBefore(d, s.offered_on, "declined_date", "the offer"));
    SPARBAR_TRY(Text(m.reason(), "reason", kMaxLongText, true));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::DelayReasonNoted m) const {
    SPARBAR_TRY(OpenFavourable("a reason for delay"));
    if (s.phase == Phase::kExecuting) return Rule(s, "a reason for delay is noted only while not executed");
    SPARBAR_TRY_ASSIGN(d, DateField(m.noted_date(), "noted_date", c));
    SPARBAR_TRY(NotBefore(d, s.decided, "noted_date", "the decision"));
    SPARBAR_TRY(NotBefore(d, s.interrupted_from, "noted_date", "the interruption"));
    SPARBAR_TRY(Text(m.reason_code(), "reason_code", kMaxShortText, true));
    SPARBAR_TRY(Text(m.reason_text(), "reason_text", kMaxLongText, false));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::Executed m) const {
    if (!s.decision) return Rule(s, "execution needs a decision first");
    if (!s.Favourable()) return Rule(s, "a refused decision (avslag) cannot be executed");
    if (s.phase == Phase::kInterrupted) return Rule(s, "an interrupted execution is resumed, not executed again");
    if (s.phase != Phase::kDecided) return Rule(s, "a decision is executed once");
    SPARBAR_TRY_ASSIGN(d, DateField(m.start_date(), "start_date", c));
    SPARBAR_TRY(NotBefore(d, s.decided, "start_date", "the decision"));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::Interrupted m) const {
    if (s.phase != Phase::kExecuting) return Rule(s, "only a running execution can be interrupted");
    SPARBAR_TRY_ASSIGN(d, DateField(m.interrupted_date(), "interrupted_date", c));
    SPARBAR_TRY(NotBefore(d, s.running_since, "interrupted_date", RunningSince()));
    SPARBAR_TRY(Text(m.reason(), "reason", kMaxLongText, true));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::Resumed m) const {
    if (s.phase != Phase::kInterrupted) return Rule(s, "only an interrupted execution can be resumed");
    SPARBAR_TRY_ASSIGN(d, DateField(m.resumed_date(), "resumed_date", c));
    SPARBAR_TRY(NotBefore(d, s.interrupted_from, "resumed_date", "the interruption"));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::Ended m) const {
    if (s.phase == Phase::kDecided) {
      return Rule(s, "a decision cannot end before execution; close an unexecuted decision with ClosedUnexecuted");
    }
    if (s.phase != Phase::kExecuting && s.phase != Phase::kInterrupted) {
      return Rule(s, "only an executed decision can end");
    }
    if (m.reason() == pb::END_REASON_UNSPECIFIED || !pb::EndReason_IsValid(m.reason())) {
      return Status::InvalidArgument("reason must be goals met, own request, moved or death");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.ended_date(), "ended_date", c));
    if (s.phase == Phase::kInterrupted) {
      SPARBAR_TRY(NotBefore(d, s.interrupted_from, "ended_date", "the interruption"));
    } else {
      SPARBAR_TRY(NotBefore(d, s.running_since, "ended_date", RunningSince()));
    }
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ClosedUnexecuted m) const {
    SPARBAR_TRY(OpenFavourable("closing without execution"));
    if (s.phase != Phase::kDecided) return Rule(s, "only a decision that was never executed is closed without execution");
    if (m.reason() == pb::END_REASON_UNSPECIFIED || m.reason() == pb::END_REASON_GOALS_MET ||
        !pb::EndReason_IsValid(m.reason())) {
      return Status::InvalidArgument("reason must be own request, moved or death for a decision never executed");
    }
    SPARBAR_TRY_ASSIGN(d, DateField(m.closed_date(), "closed_date", c));
    SPARBAR_TRY(NotBefore(d, s.decided, "closed_date", "the decision"));
    SPARBAR_TRY(Text(m.note(), "note", kMaxLongText, false));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::Corrected m) const {
    if (m.target_revision() >= s.history.size()) {
      return Status::InvalidArgument("target_revision " + std::to_string(m.target_revision()) +
                                     " is not an event of this case (it has " + std::to_string(s.history.size()) +
                                     ")");
    }
    const Payload& target = s.history[m.target_revision()];
    if (std::holds_alternative<pb::Corrected>(target)) {
      return Status::InvalidArgument("target_revision points at a correction; correct the original event again");
    }
    SPARBAR_TRY(Text(m.reason(), "reason", kMaxLongText, true));
    SPARBAR_TRY_ASSIGN(replacement, Parse(TypeOf(target), m.replacement_payload()));
    // The corrected history must hold step by step, as if it had happened so.
    std::vector<Payload> corrected = s.history;
    corrected[m.target_revision()] = std::move(replacement);
    CaseState replay;
    for (size_t r = 0; r < corrected.size(); ++r) {
      if (std::holds_alternative<pb::Corrected>(corrected[r])) {
        replay.history.push_back(corrected[r]);
        continue;
      }
      auto step = std::visit([&](const auto& p) { return Decider{replay, c}(p); }, corrected[r]);
      if (!step.ok()) {
        return Status(step.status().code(), "the correction would make revision " + std::to_string(r) +
                                                " invalid: " + step.status().message());
      }
      if (r == m.target_revision()) m.set_replacement_payload(Serialize(*step));  // normalized
      replay.history.push_back(*step);
      Apply(replay, *step);
    }
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::Annotated m) const {
    if (s.phase == Phase::kNone) return Rule(s, "an annotation needs a case with an application");
    SPARBAR_TRY_ASSIGN(d, DateField(m.annotated_date(), "annotated_date", c));
    SPARBAR_TRY(NotBefore(d, s.received, "annotated_date", "the application"));
    SPARBAR_TRY(Text(m.text(), "text", kMaxLongText, true));
    return Payload(std::move(m));
  }
};

// Folds one effective event into the derived fields (history aside).
void Apply(CaseState& s, const Payload& event) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::ApplicationReceived>) {
          s.phase = Phase::kApplied;
          s.application = m;
          s.received = CivilDate::TryParse(m.received_date());
        } else if constexpr (std::is_same_v<T, pb::InvestigationOpened>) {
          s.phase = Phase::kInvestigating;
        } else if constexpr (std::is_same_v<T, pb::DecisionMade>) {
          s.phase = Phase::kDecided;
          s.decision = m;
          s.decided = CivilDate::TryParse(m.decision_date());
        } else if constexpr (std::is_same_v<T, pb::OfferMade>) {
          s.offer_outstanding = true;
          s.offered_on = CivilDate::TryParse(m.offered_date());
        } else if constexpr (std::is_same_v<T, pb::OfferDeclined>) {
          s.offer_outstanding = false;
          s.offered_on.reset();
        } else if constexpr (std::is_same_v<T, pb::Executed>) {
          s.phase = Phase::kExecuting;
          s.executed_from = CivilDate::TryParse(m.start_date());
          s.running_since = s.executed_from;
          s.offer_outstanding = false;
          s.offered_on.reset();
        } else if constexpr (std::is_same_v<T, pb::Interrupted>) {
          s.phase = Phase::kInterrupted;
          s.interrupted_from = CivilDate::TryParse(m.interrupted_date());
        } else if constexpr (std::is_same_v<T, pb::Resumed>) {
          s.phase = Phase::kExecuting;
          s.interrupted_from.reset();
          s.running_since = CivilDate::TryParse(m.resumed_date());
          s.offer_outstanding = false;
          s.offered_on.reset();
        } else if constexpr (std::is_same_v<T, pb::Ended>) {
          s.phase = Phase::kEnded;
          s.ended_on = CivilDate::TryParse(m.ended_date());
          s.offer_outstanding = false;
          s.offered_on.reset();
        } else if constexpr (std::is_same_v<T, pb::ClosedUnexecuted>) {
          s.phase = Phase::kClosedUnexecuted;
          s.ended_on = CivilDate::TryParse(m.closed_date());
          s.offer_outstanding = false;
          s.offered_on.reset();
        }
        // DelayReasonNoted, Annotated, Corrected: nothing to fold here.
      },
      event);
}

}  // namespace

Result<Payload> Decide(const CaseState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

CaseState Fold(const std::vector<Payload>& events) {
  CaseState s;
  for (const auto& e : events) s = Evolve(std::move(s), e);
  return s;
}

std::optional<size_t> CaseState::HistoryIndex(uint64_t revision) const {
  const auto before = std::lower_bound(foreign_revisions.begin(), foreign_revisions.end(), revision);
  if (before != foreign_revisions.end() && *before == revision) return std::nullopt;
  const uint64_t index = revision - static_cast<uint64_t>(before - foreign_revisions.begin());
  if (index >= history.size()) return std::nullopt;
  return static_cast<size_t>(index);
}

void CaseState::SkipTo(uint64_t revision) {
  for (uint64_t r = history.size() + foreign_revisions.size(); r < revision; ++r) foreign_revisions.push_back(r);
}

CaseState Evolve(CaseState state, const Payload& event) {
  const auto* correction = std::get_if<pb::Corrected>(&event);
  if (!correction) {
    state.history.push_back(event);
    Apply(state, event);
    return state;
  }
  // Replace the target in the effective history and fold it again. A
  // correction that does not fit (Decide never lets one through) changes nothing.
  const std::optional<size_t> target = state.HistoryIndex(correction->target_revision());
  std::vector<Payload> history = std::move(state.history);
  if (target) {
    auto replacement = Parse(TypeOf(history[*target]), correction->replacement_payload());
    if (replacement.ok()) history[*target] = std::move(replacement.value());
  }
  history.push_back(event);
  CaseState folded = FromEffectiveHistory(std::move(history));
  folded.foreign_revisions = std::move(state.foreign_revisions);
  return folded;
}

CaseState Evolve(CaseState state, Payload&& event) {
  if (std::holds_alternative<pb::Corrected>(event)) return Evolve(std::move(state), std::as_const(event));
  Apply(state, event);
  state.history.push_back(std::move(event));
  return state;
}

CaseState FromEffectiveHistory(std::vector<Payload> history) {
  CaseState state;
  state.history = std::move(history);
  for (const auto& e : state.history) {
    if (!std::holds_alternative<pb::Corrected>(e)) Apply(state, e);
  }
  return state;
}

}  // namespace sparbar::decisions
