// CaseFactsProjection: the read model behind the decisions reports. For each
// case stream ("beslut-…") it stores the case's events without the
// personnummer, one entry per event written once (case_history.h). A case's
// facts (CaseFacts) are the fold of its entries; as of any log position they
// are the fold of the entries stored before it.
//
// An event on a case stream that is not a valid decisions event (possible
// through the raw EventStore API) does not stop the projection: it is
// recorded under "skipped/<position>" with its type, and changes nothing else.
//
// In memory it keeps every case's latest facts as a ReportFacts table
// (restored by folding the stored histories at start, updated on each
// commit), so that a report on the current state is one pass over memory,
// and the folded states of recently touched cases (cache_cases of them after
// each eviction, which runs once there are a quarter more), so that an event
// does not re-read its case. Reports as of an earlier position
// fold the stored histories (CaseFactsAsOf).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "projections/runner.h"
#include "services/decisions/case_facts.h"
#include "services/decisions/ej_verkstallda.h"
#include "services/decisions/report_facts.h"

namespace sparbar::decisions {

class CaseFactsProjection final : public projections::Projection {
 public:
  // The catalogue must outlive the projection.
  explicit CaseFactsProjection(const InsatsCatalogue* catalogue, size_t cache_cases = 100'000)
      : catalogue_(catalogue), cache_cases_(std::max<size_t>(cache_cases, 1)) {
    cases_.reserve(cache_cases_ + cache_cases_ / 4 + 1);  // its size after an eviction, plus a batch's cases
  }

  std::string name() const override { return "decisions-case-facts"; }
  std::string StreamPrefix() const override { return std::string(kStreamPrefix); }
  const InsatsCatalogue& catalogue() const { return *catalogue_; }
  // 2: one history entry per event (1 rewrote a case's history and facts on each).
  uint32_t version() const override { return 2; }
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
  struct Case {
    std::string stream;
    CaseState state;  // folded up to the last event applied, committed or not
    uint64_t touched = 0;  // the batch that last changed it (batch_ counts from 1)
    size_t row = ReportFacts::kUnknownRow;  // its row in latest_, once it has one
  };
  // The case's entry, its state loaded from the stored entries if it is not
  // in memory; `first` when the event is the stream's first (nothing to load).
  Result<Case*> CaseOf(const std::string& stream, bool first, projections::StateWriter& state);
  void Evict();

  const InsatsCatalogue* catalogue_;
  const size_t cache_cases_;
  // The runner's thread only. Folded states of recently touched cases,
  // including what the current batch's Apply calls did; when a batch is
  // discarded (its commit failed) they are all dropped.
  absl::flat_hash_map<std::string, std::unique_ptr<Case>> cases_;
  std::vector<Case*> touched_;  // this batch's cases, once each
  uint64_t batch_ = 1;

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

// Every case's facts as of a log size (nullopt: as far as the projection has
// got), folded from the stored histories, in case id order. Seconds per
// million cases: `before_page` (FoldAllCases) can stop it early.
Result<std::vector<pb::CaseFacts>> CaseFactsAsOf(const projections::ProjectionRunner& runner,
                                                 std::optional<uint64_t> as_of = std::nullopt,
                                                 const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::decisions
