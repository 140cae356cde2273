// The accesses a loggkontroll review holds and the rules' verdict on each,
// computed from the log as it stood when the review's users were drawn
// (SampleDrawn.as_of_position), so that the same review always shows the
// same accesses and flags, however much is recorded later.
//
// The sample's accesses are judged from the user index's values alone
// (access_index.h), without reading their events.
//
// A review holds, within its period and scope (units, source systems):
// every access by a user of the sample, and for a quarterly random review
// also every access to a person with skyddad identitet in the period
// (they are always reviewed). Each is judged by the review's rules
// (review_rules.h) against the context folded at the same log size.
//
// DrawPopulation lists the users a random sample is drawn from.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/access/review_cases.h"
#include "services/access/review_rules.h"
#include "services/access/subject_key.h"
#include "sparbar/v1/access_log_service.pb.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::access {

// What the rules read of one reviewed access (the whole event is read from
// the log only where it is shown).
struct ReviewedItem {
  uint64_t position = 0;
  int64_t at_us = 0;
  std::string user, unit, source_system, role;
  pb::Purpose purpose = pb::PURPOSE_UNSPECIFIED;
  std::string subject;  // SubjectKey::Of the person
  bool sampled_user = false;
  std::vector<Hit> hits;
};

struct ReviewEvaluation {
  uint64_t as_of = 0;
  std::vector<ReviewedItem> items;        // by access time, then position
  std::map<std::string, uint64_t> per_rule;  // rule id -> accesses it flagged
  std::set<uint64_t> reviewed, flagged;   // positions
  uint64_t context_unreadable = 0;
};

// The distinct users with an access in scope in the review's period, as of
// log size `as_of`, sorted. The index must have reached `as_of`.
Result<std::vector<std::string>> DrawPopulation(const projections::ProjectionRunner& index,
                                                const lr::ReviewOpened& review, uint64_t as_of);

inline constexpr size_t kMaxReviewAccesses = 500000;

// The access events at `positions`, read from the log, by position.
Result<std::map<uint64_t, v1::access::RecordedAccess>> ReadAccesses(EventStore& store,
                                                                    const std::vector<uint64_t>& positions);

// The review's accesses and flags; ResourceExhausted when they would be more
// than `max_accesses` (a draw passes kMaxReviewAccesses; a review already
// drawn is always evaluated). The index and the cases projection must have
// reached the sample's as_of_position.
Result<ReviewEvaluation> EvaluateReview(EventStore& store, const projections::ProjectionRunner& index,
                                        const ReviewCasesProjection& cases, const SubjectKey& key,
                                        const lr::ReviewOpened& review, const lr::SampleDrawn& sample,
                                        size_t max_accesses = std::numeric_limits<size_t>::max());

}  // namespace sparbar::access
