#include "services/decisions/facts_fold.h"

#include "projections/log_fold.h"

namespace sparbar::decisions {
namespace {

// Values a byte cannot hold (only possible from raw events) count as
// unspecified, as ReportFacts::Put has them.
uint8_t Byte(int v) { return static_cast<uint8_t>(v >= 0 && v <= 255 ? v : 0); }

}  // namespace

Result<std::optional<FactsChange>> FactsFold::Prepare(const EventRecord& e) const {
  auto payload = Parse(e.type, e.payload);
  if (!payload.ok()) return std::optional<FactsChange>();
  if (auto* application = std::get_if<pb::ApplicationReceived>(&*payload)) {
    application->mutable_subject()->clear_personal_identity_number();  // no fact needs it
  }
  if (!std::holds_alternative<pb::Corrected>(*payload)) {
    return std::optional<FactsChange>(FactsChange{e.stream, std::move(*payload)});
  }
  auto facts = Refold(e, std::move(*payload));
  if (!facts.ok()) return facts.status();
  return std::optional<FactsChange>(FactsChange{e.stream, std::move(*facts)});
}

Result<pb::CaseFacts> FactsFold::Refold(const EventRecord& correction, Payload&& payload) const {
  // The case as the projection has always folded it: events that are not
  // decisions events are skipped, and revisions still line up (SkipTo).
  CaseState s;
  ReadStreamOptions page_from;
  page_from.max_count = 256;
  bool more = correction.revision > 0;
  while (more) {
    auto page = store_->ReadStream(correction.stream, page_from);
    if (!page.ok()) {
      return Status(page.status().code(), "reading case " + correction.stream + " to apply its correction at position " +
                                              std::to_string(correction.position) + ": " + page.status().message());
    }
    for (EventRecord& e : page->events) {
      if (e.revision >= correction.revision) {
        more = false;
        break;
      }
      auto p = Parse(e.type, e.payload);
      if (!p.ok()) continue;
      s.SkipTo(e.revision);
      s = Evolve(std::move(s), std::move(*p));
    }
    if (page->end_of_stream || page->events.empty()) more = false;
    page_from.from_revision = page->next_revision;
  }
  s.SkipTo(correction.revision);
  s = Evolve(std::move(s), std::move(payload));
  return FactsOf(correction.stream, s, *catalogue_);
}

void FactsFold::Apply(FactsChange&& change, ReportFacts& table) const {
  const size_t row = table.Row(change.case_id);
  if (auto* facts = std::get_if<pb::CaseFacts>(&change.change)) {
    table.Put(*facts, row);
    return;
  }
  ReportCase& c = table.mutable_case(row);
  auto step = [&](pb::CaseFacts::StepKind kind, const std::string& date, std::string_view reason = {}) {
    table.AddStep(row, {DayOf(date), static_cast<uint8_t>(kind), table.Intern(reason)});
  };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::ApplicationReceived>) {
          c.sex = Byte(m.subject().sex());
          c.child = m.subject().child();
          c.unit = table.Intern(m.unit());
          c.received_day = DayOf(m.received_date());
        } else if constexpr (std::is_same_v<T, pb::DecisionMade>) {
          c.insats = table.Intern(m.insats());
          c.lagrum = table.Intern(m.lagrum());
          c.outcome = Byte(m.outcome());
          c.decision_day = DayOf(m.decision_date());
          c.law = table.Intern("");
          if (c.decision_day != kNoDay) {
            auto insats = catalogue_->Find(m.insats(), CivilDate::FromDays(c.decision_day), "insats");
            if (insats.ok()) c.law = table.Intern(LawName((*insats)->law));
          }
        } else if constexpr (std::is_same_v<T, pb::Executed>) {
          step(pb::CaseFacts::STEP_EXECUTED, m.start_date());
        } else if constexpr (std::is_same_v<T, pb::Interrupted>) {
          step(pb::CaseFacts::STEP_INTERRUPTED, m.interrupted_date(), m.reason());
        } else if constexpr (std::is_same_v<T, pb::Resumed>) {
          step(pb::CaseFacts::STEP_RESUMED, m.resumed_date());
        } else if constexpr (std::is_same_v<T, pb::Ended>) {
          step(pb::CaseFacts::STEP_ENDED, m.ended_date(), EndReasonName(m.reason()));
        } else if constexpr (std::is_same_v<T, pb::ClosedUnexecuted>) {
          step(pb::CaseFacts::STEP_CLOSED_UNEXECUTED, m.closed_date(), EndReasonName(m.reason()));
        } else if constexpr (std::is_same_v<T, pb::DelayReasonNoted>) {
          step(pb::CaseFacts::STEP_DELAY_REASON, m.noted_date(), m.reason_code());
        } else if constexpr (std::is_same_v<T, pb::OfferMade>) {
          step(pb::CaseFacts::STEP_OFFER_MADE, m.offered_date());
          if (!c.first_offer_set && !m.offered_date().empty()) {
            c.first_offer_set = true;
            c.first_offer_day = DayOf(m.offered_date());
          }
        } else if constexpr (std::is_same_v<T, pb::OfferDeclined>) {
          step(pb::CaseFacts::STEP_OFFER_DECLINED, m.declined_date(), m.reason());
        }
        // InvestigationOpened, Annotated: no fact. Corrected: Prepare made it facts.
      },
      std::get<Payload>(change.change));
}

Status FactsFold::FoldLog(uint64_t end, ReportFacts& table, const std::function<Status()>& before_page) const {
  return projections::FoldLogRange(
      *store_, kStreamPrefix, end,
      [&](const EventRecord& e) {
        auto change = Prepare(e);
        if (!change.ok()) return change.status();
        if (*change) Apply(std::move(**change), table);
        return Status::Ok();
      },
      before_page);
}

}  // namespace sparbar::decisions
