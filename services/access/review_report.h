// The loggkontroll report of one review: what was reviewed (period, scope,
// rules, the sample and how to draw it again), what was flagged and why, the
// findings and the conclusion, with charts of the reviewed accesses per hour
// of day and per day and the share flagged per rule (HTML), or one CSV row
// per reviewed access. A pure function of the review's events and its
// evaluation: the same review gives the same bytes. People are named only
// by PersonRef, never by personnummer.
#pragma once

#include <map>
#include <string>

#include "services/access/review.h"
#include "services/access/review_evaluation.h"
#include "sparbar/v1/log_review_service.pb.h"

namespace sparbar::access {

// "p-" and the first 12 hex digits of the person's subject key: the same
// person has the same reference throughout, and only the key's holder can
// tell who it is.
std::string PersonRef(const std::string& subject_key);

// "YYYY-MM-DD HH:MM:SS" in Swedish time.
std::string SwedishTime(int64_t micros);

// `details`: every reviewed access's event (ReadAccesses), by position.
std::string RenderReviewReport(const std::string& review_id, const review::ReviewState& state,
                               const ReviewEvaluation& evaluation,
                               const std::map<uint64_t, v1::access::RecordedAccess>& details, lr::ReportFormat format);

}  // namespace sparbar::access
