#include "services/decisions/case_facts.h"

namespace sparbar::decisions {
namespace {

void AddStep(pb::CaseFacts& f, pb::CaseFacts::StepKind kind, const std::string& date, const std::string& reason = {}) {
  auto* step = f.add_steps();
  step->set_kind(kind);
  step->set_date(date);
  step->set_reason(reason);
}

}  // namespace

const char* EndReasonName(pb::EndReason r) {
  switch (r) {
    case pb::END_REASON_GOALS_MET: return "mal_uppnadda";
    case pb::END_REASON_OWN_REQUEST: return "egen_begaran";
    case pb::END_REASON_MOVED: return "flyttat";
    case pb::END_REASON_DEATH: return "avliden";
    default: return "";
  }
}

pb::CaseFacts FactsOf(const std::string& case_id, const CaseState& state, const InsatsCatalogue& catalogue) {
  pb::CaseFacts f;
  f.set_case_id(case_id);
  if (state.application) {
    f.set_sex(state.application->subject().sex());
    f.set_child(state.application->subject().child());
    f.set_unit(state.application->unit());
    f.set_received_date(state.application->received_date());
  }
  if (state.decision) {
    f.set_insats(state.decision->insats());
    f.set_lagrum(state.decision->lagrum());
    f.set_outcome(state.decision->outcome());
    f.set_decision_date(state.decision->decision_date());
    if (state.decided) {
      auto insats = catalogue.Find(state.decision->insats(), *state.decided, "insats");
      if (insats.ok()) f.set_law(LawName((*insats)->law));
    }
  }
  for (const Payload& event : state.history) {
    std::visit(
        [&](const auto& m) {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, pb::Executed>) {
            AddStep(f, pb::CaseFacts::STEP_EXECUTED, m.start_date());
          } else if constexpr (std::is_same_v<T, pb::Interrupted>) {
            AddStep(f, pb::CaseFacts::STEP_INTERRUPTED, m.interrupted_date(), m.reason());
          } else if constexpr (std::is_same_v<T, pb::Resumed>) {
            AddStep(f, pb::CaseFacts::STEP_RESUMED, m.resumed_date());
          } else if constexpr (std::is_same_v<T, pb::Ended>) {
            AddStep(f, pb::CaseFacts::STEP_ENDED, m.ended_date(), EndReasonName(m.reason()));
          } else if constexpr (std::is_same_v<T, pb::ClosedUnexecuted>) {
            AddStep(f, pb::CaseFacts::STEP_CLOSED_UNEXECUTED, m.closed_date(), EndReasonName(m.reason()));
          } else if constexpr (std::is_same_v<T, pb::DelayReasonNoted>) {
            AddStep(f, pb::CaseFacts::STEP_DELAY_REASON, m.noted_date(), m.reason_code());
          } else if constexpr (std::is_same_v<T, pb::OfferMade>) {
            AddStep(f, pb::CaseFacts::STEP_OFFER_MADE, m.offered_date());
            if (f.first_offer_date().empty()) f.set_first_offer_date(m.offered_date());
          } else if constexpr (std::is_same_v<T, pb::OfferDeclined>) {
            AddStep(f, pb::CaseFacts::STEP_OFFER_DECLINED, m.declined_date(), m.reason());
          }
        },
        event);
  }
  return f;
}

}  // namespace sparbar::decisions
