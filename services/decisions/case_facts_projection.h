// CaseFactsProjection: the read model behind the decisions reports. It keeps
// every case's facts (CaseFacts) in memory as a ReportFacts table, folded
// event by event from the case streams ("beslut-…") by a FactsFold, so that
// a report on the current state is one pass over memory.
//
// It stores no case data. At start (Restore) it folds the log up to its
// stored position again; the facts as of an earlier position are the same
// fold stopped there (CaseFactsAsOf). Neither its table nor its staged
// changes hold a personnummer (the fold drops it as it parses), and the log
// stays the only copy of each case's events.
//
// An event on a case stream that is not a valid decisions event (possible
// through the raw EventStore API) does not stop the projection: it is
// recorded under "skipped/<position>" with its type, and changes nothing else.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "projections/runner.h"
#include "services/decisions/ej_verkstallda.h"
#include "services/decisions/facts_fold.h"
#include "services/decisions/report_facts.h"

namespace sparbar::decisions {

class CaseFactsProjection final : public projections::Projection {
 public:
  // The store and the catalogue must outlive the projection.
  CaseFactsProjection(EventStore* store, const InsatsCatalogue* catalogue)
      : fold_(store, catalogue), catalogue_(catalogue) {}

  std::string name() const override { return "decisions-case-facts"; }
  std::string StreamPrefix() const override { return std::string(kStreamPrefix); }
  const InsatsCatalogue& catalogue() const { return *catalogue_; }
  // 3: facts folded in memory, nothing stored per case (2 stored each event).
  uint32_t version() const override { return 3; }
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
  // The heap bytes of the in-memory table (ReportFacts::ApproximateBytes).
  size_t ApproximateTableBytes() const;
  // The latest facts of every case decided on `insats` (empty: of every
  // case) in case id order, on the same terms. Committing waits meanwhile:
  // about a second per million cases converted.
  Result<std::vector<pb::CaseFacts>> LatestFacts(std::string_view insats, uint64_t at_least,
                                                 std::chrono::steady_clock::time_point deadline,
                                                 uint64_t* position) const;
  // Every case's facts as of log size `as_of`, folded from the log. About
  // two seconds per million events; `before_page` (FactsFold::FoldLog) can
  // stop it early.
  Result<ReportFacts> FactsAsOf(uint64_t as_of, const std::function<Status()>& before_page) const;

 private:
  // Holds latest_mu_ shared once the table has reached `at_least`.
  Result<std::shared_lock<std::shared_mutex>> ReadLatest(uint64_t at_least,
                                                         std::chrono::steady_clock::time_point deadline,
                                                         uint64_t* position) const;

  FactsFold fold_;
  const InsatsCatalogue* catalogue_;
  // The runner's thread only: the changes of the batch being applied, made
  // visible by Committed.
  std::vector<FactsChange> staged_;

  // Reports hold latest_mu_ shared while they compute (a third of a second
  // at a million decisions); Committed holds it exclusively. A writer takes
  // the turnstile first and readers pass through it, so a stream of reports
  // cannot keep the projection from committing.
  mutable std::mutex turnstile_;
  mutable std::shared_mutex latest_mu_;
  mutable std::condition_variable_any latest_advanced_;
  ReportFacts latest_;            // guarded by latest_mu_
  uint64_t latest_position_ = 0;  // guarded by latest_mu_
};

// Every case's facts as of a log size (nullopt: as far as the projection has
// got), folded from the log. The runner must run a CaseFactsProjection; a
// projection that stopped on an error gives that error.
Result<ReportFacts> CaseFactsAsOf(const projections::ProjectionRunner& runner,
                                                 std::optional<uint64_t> as_of = std::nullopt,
                                                 const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::decisions
