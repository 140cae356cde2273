// FactsFold: decisions events folded straight into a ReportFacts table, one
// event at a time, keeping no case's history in memory.
//
// An event sets a case's header (application, decision) or adds a step,
// exactly as FactsOf(Fold(...)) would have it. A correction can change
// anything before it, so its case is folded again from the log: the case
// stream's events before the correction, read through the store. Folding a
// log this way gives, case by case, the table row Put(FactsOf(...)) of the
// case's whole fold would (tested). The personnummer of an application is
// dropped as it is parsed: no change and no row holds one.
//
// A change is prepared first (parsing, and the log read of a correction,
// which can fail) and applied later (which cannot), so that a projection can
// prepare a page of events and apply it at once under its lock.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "eventstore/store.h"
#include "services/decisions/case_facts.h"
#include "services/decisions/report_facts.h"

namespace sparbar::decisions {

// One event's effect on its case's row.
struct FactsChange {
  std::string case_id;
  // The event itself, or after a correction the case's facts as a whole.
  std::variant<Payload, pb::CaseFacts> change;
};

class FactsFold {
 public:
  // Both must outlive the fold.
  FactsFold(EventStore* store, const InsatsCatalogue* catalogue) : store_(store), catalogue_(catalogue) {}

  // The change event `e` of a case stream makes (without a personnummer);
  // nullopt when it is not a
  // decisions event (a foreign type, or bytes that do not parse), which
  // changes nothing. Fails only when a correction's case cannot be read.
  Result<std::optional<FactsChange>> Prepare(const EventRecord& e) const;
  void Apply(FactsChange&& change, ReportFacts& table) const;

  // Folds the case streams' events at positions [0, end) of the log into
  // `table`, which starts empty. `before_page`, when given, is asked before
  // each page of the log; a status other than Ok stops the fold with it.
  Status FoldLog(uint64_t end, ReportFacts& table, const std::function<Status()>& before_page = nullptr) const;

 private:
  Result<pb::CaseFacts> Refold(const EventRecord& correction, Payload&& payload) const;

  EventStore* store_;
  const InsatsCatalogue* catalogue_;
};

}  // namespace sparbar::decisions
