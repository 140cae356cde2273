// LogReviewService: the sparbar.v1.logreview.LogReview gRPC service,
// loggkontroll over the access log (proto/sparbar/v1/log_review_service.proto).
//
// Every method needs a role the access policy names for it, or, without a
// policy, the role "loggranskare" (reviewer.h). The context methods append
// checked facts to the "loggkontext-" streams; the review methods record
// the steps of a review (review.h) with StepRecorder, each decided against
// the review's stream as read and appended expecting that revision, so a
// step decided on a stale review writes nothing (ABORTED).
//
// A review's accesses and flags (review_evaluation.h) depend only on the
// review's first two events and the log below the sample's as_of_position,
// so they are computed once per review and kept in a small cache.
// GetReview records itself as a read of every person it lists, Report of
// every person among the review's accesses (own_reads.h), before answering.
// Never logs personal data.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "eventstore/store.h"
#include "projections/runner.h"
#include "services/access/access_event.h"
#include "services/access/review.h"
#include "services/access/review_evaluation.h"
#include "services/access/subject_key.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/log_review_service.grpc.pb.h"

namespace sparbar::access {

class LogReviewService final : public v1::logreview::LogReview::Service {
 public:
  // All must outlive the service.
  // `cases` runs a ReviewCasesProjection (review_cases.h).
  LogReviewService(EventStore* store, AccessLimits limits, const projections::ProjectionRunner* index,
                   const projections::ProjectionRunner* cases, const SubjectKey* subject_key,
                   const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status RecordPerson(grpc::ServerContext* context, const lr::PersonContextRecorded* request,
                            lr::ContextResponse* response) override;
  grpc::Status RecordStaffMember(grpc::ServerContext* context, const lr::StaffMemberRecorded* request,
                                 lr::ContextResponse* response) override;
  grpc::Status SetWorkingHours(grpc::ServerContext* context, const lr::WorkingHoursSet* request,
                               lr::ContextResponse* response) override;
  grpc::Status OpenReview(grpc::ServerContext* context, const lr::OpenReviewRequest* request,
                          lr::OpenReviewResponse* response) override;
  grpc::Status DrawSample(grpc::ServerContext* context, const lr::DrawSampleRequest* request,
                          lr::DrawSampleResponse* response) override;
  grpc::Status VerifySample(grpc::ServerContext* context, const lr::ReviewRequest* request,
                            lr::VerifySampleResponse* response) override;
  grpc::Status GetReview(grpc::ServerContext* context, const lr::ReviewRequest* request,
                         lr::ReviewView* response) override;
  grpc::Status RecordFinding(grpc::ServerContext* context, const lr::RecordFindingRequest* request,
                             lr::StepResponse* response) override;
  grpc::Status OpenMisuseInvestigation(grpc::ServerContext* context, const lr::OpenMisuseInvestigationRequest* request,
                                       lr::OpenMisuseInvestigationResponse* response) override;
  grpc::Status ConcludeReview(grpc::ServerContext* context, const lr::ConcludeReviewRequest* request,
                              lr::StepResponse* response) override;
  grpc::Status Report(grpc::ServerContext* context, const lr::ReportRequest* request,
                      lr::ReportResponse* response) override;

 private:
  struct Loaded {
    review::ReviewState state;
    uint64_t revision = 0;  // the stream's last revision
    std::shared_ptr<const ReviewEvaluation> evaluation;  // set once the users are drawn
  };

  // The caller, when it holds the reviewer role.
  Result<services::Caller> Reviewer(const grpc::ServerContext& context) const;
  Status AppendContext(std::string_view stream, const google::protobuf::Message& event, const std::string& actor,
                       const grpc::ServerContext& context, lr::ContextResponse* response);
  // The review's stream folded, and its evaluation once drawn; NotFound for no such review.
  Result<Loaded> Load(const std::string& review_id, const grpc::ServerContext& context);
  // Keeps `evaluation` for `key` (review id @ sample as_of) in the cache.
  void Remember(const std::string& key, std::shared_ptr<const ReviewEvaluation> evaluation);
  // Resolves the reviewer, loads the review and records `step` on it.
  Result<uint64_t> Step(const std::string& review_id, const review::Payload& step, const grpc::ServerContext& context);
  // Records `step` as the review's next event after `loaded.revision`.
  Result<uint64_t> Record(const std::string& review_id, const Loaded& loaded, const review::Payload& step,
                          const services::Caller& caller, const grpc::ServerContext& context);

  EventStore* const store_;
  const AccessLimits limits_;
  const projections::ProjectionRunner* const index_;
  const projections::ProjectionRunner* const cases_;
  const ReviewCasesProjection& Cases() const;
  const SubjectKey* const subject_key_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;

  std::mutex cache_mu_;
  // Most recent first: (review id, sample as_of) -> evaluation.
  std::list<std::pair<std::string, std::shared_ptr<const ReviewEvaluation>>> cache_;
};

}  // namespace sparbar::access
