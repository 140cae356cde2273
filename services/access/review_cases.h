// ReviewCasesProjection: when each person had a decisions case open at which
// unit, for the loggkontroll rule no_open_case (review_rules.h). It follows
// the case streams ("beslut-") and keeps, in memory, every version of each
// case's span with the log position that made it, so that a review is
// judged as the log stood at its sample (CasesAsOf) without folding every
// case from the log on each evaluation (with 100,000 cases in the log that
// fold took 3.3 s of every draw; docs/benchmarks.md).
//
// It stores nothing: at start (Restore) it folds the case streams up to its
// position again. People are keyed by SubjectKey::Of(personnummer); no
// personnummer is kept. A case event that does not parse is counted, by
// position, as unreadable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "projections/projection.h"
#include "services/access/review_context.h"
#include "services/decisions/decider.h"

namespace sparbar::access {

class ReviewCasesProjection final : public projections::Projection {
 public:
  // The store and the key must outlive the projection.
  ReviewCasesProjection(EventStore* store, const SubjectKey* key) : store_(store), key_(key) {}

  std::string name() const override { return "loggkontroll-cases"; }
  std::string StreamPrefix() const override;
  uint32_t version() const override { return 1; }
  bool Wants(const EventRecord& event) const override;
  Status Apply(const EventRecord& event, projections::StateWriter& state) override;
  Status Restore(const ScanFn& scan, uint64_t position) override;
  void Committed(uint64_t position) override;
  void Discarded() override;

  struct AsOf {
    std::map<std::string, std::vector<ReviewContext::CaseSpan>> cases;  // by subject key, cases in stream order
    uint64_t unreadable = 0;                                            // case events that did not parse
  };
  // The cases of `subjects` (subject keys) as the log stood at size `as_of`.
  // The projection must have reached it (ProjectionRunner::WaitFor). Safe
  // from any thread; reads only those people's cases.
  AsOf CasesAsOf(uint64_t as_of, const std::set<std::string>& subjects) const;

 private:
  struct Version {
    uint64_t position = 0;
    std::string subject;  // subject key; empty when the case has no span (yet)
    std::optional<ReviewContext::CaseSpan> span;
  };
  // The case's subject and span once `state` is folded (no span before a
  // received application with a valid personnummer).
  Version SpanOf(const decisions::CaseState& state, uint64_t position) const;
  // The case's latest version, staged or published (runner's thread).
  const Version* Latest(const std::string& stream) const;
  // Whether `next` says something other than `last` (nullptr: no version yet).
  static bool Differs(const Version* last, const Version& next);
  // Stages `next` unless it says what the case's latest version says.
  void StageIfChanged(const std::string& stream, Version next);

  EventStore* const store_;
  const SubjectKey* const key_;
  // The runner's thread only. No case state is kept: a case's stream is read
  // and folded again at each of its events (a case has a handful).
  std::map<std::string, Version> staged_latest_;
  std::vector<std::pair<std::string, Version>> staged_versions_;
  std::vector<uint64_t> staged_unreadable_;
  // Read from any thread.
  mutable std::shared_mutex mu_;
  std::map<std::string, std::vector<Version>> versions_;  // by case stream, in position order; guarded by mu_
  std::vector<uint64_t> unreadable_;                     // positions, ascending; guarded by mu_
  // Every case stream a subject key was ever the subject of; guarded by mu_.
  std::map<std::string, std::set<std::string>> streams_of_;
};

}  // namespace sparbar::access
