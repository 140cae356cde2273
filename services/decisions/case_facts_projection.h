// CaseFactsProjection: the read model behind the decisions reports. For each
// case stream ("beslut-…") it keeps the case's effective history without the
// personnummer ("history/<stream>") and the facts derived from it
// ("facts/<stream>", a CaseFacts message).
//
// An event on a case stream that is not a valid decisions event (possible
// through the raw EventStore API) does not stop the projection: it is
// recorded under "skipped/<position>" with its type, and changes nothing else.
//
// Beside the stored state it keeps every case's latest facts in memory as a
// ReportFacts table (restored by one scan at start, updated on each commit),
// so that a report on the current state is one pass over memory. Reports as
// of an earlier position read the stored state (CaseFactsAsOf).
#pragma once

#include <condition_variable>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "projections/runner.h"
#include "services/decisions/case_facts.h"
#include "services/decisions/ej_verkstallda.h"
#include "services/decisions/report_facts.h"

namespace sparbar::decisions {

class CaseFactsProjection final : public projections::Projection {
 public:
  // The catalogue must outlive the projection.
  explicit CaseFactsProjection(const InsatsCatalogue* catalogue) : catalogue_(catalogue) {}

  std::string name() const override { return "decisions-case-facts"; }
  uint32_t version() const override { return 1; }
  bool Wants(const EventRecord& event) const override;
  Status Apply(const EventRecord& event, projections::StateWriter& state) override;
  Status Restore(const ScanFn& scan, uint64_t position) override;
  void Committed(uint64_t position) override;
  void Discarded() override;

  // The ej verkställda report over the latest facts, once the in-memory table
  // has reached `at_least` (DeadlineExceeded if not by `deadline`); sets
  // *position to the log size the report reflects. Safe from any thread.
  Result<EjVerkstalldaReport> ReportLatest(const EjVerkstalldaOptions& options, uint64_t at_least,
                                           std::chrono::steady_clock::time_point deadline, uint64_t* position) const;

 private:
  const InsatsCatalogue* catalogue_;
  std::vector<pb::CaseFacts> staged_;  // facts written by this batch's Apply calls

  // Reports hold latest_mu_ shared while they compute (a third of a second
  // at a million decisions); Committed holds it exclusively. A writer takes
  // the turnstile first and readers pass through it, so a stream of reports
  // cannot keep the projection from committing.
  mutable std::mutex turnstile_;
  mutable std::shared_mutex latest_mu_;
  mutable std::condition_variable_any latest_advanced_;
  ReportFacts latest_;          // guarded by latest_mu_
  uint64_t latest_position_ = 0;  // guarded by latest_mu_
};

// Every case's facts as of a log size (nullopt: as far as the projection has got).
Result<std::vector<pb::CaseFacts>> CaseFactsAsOf(const projections::ProjectionRunner& runner,
                                                 std::optional<uint64_t> as_of = std::nullopt);

}  // namespace sparbar::decisions
