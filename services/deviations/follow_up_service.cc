// Deviations.RecordFollowUp (deviations_service.h).
#include "services/deviations/deviations_service.h"
#include "services/common/record_rpc.h"
#include "services/deviations/modules.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;
using Request = v1v::RecordFollowUpRequest;

Result<followup::Payload> StepOf(const Request& r) {
  using P = followup::Payload;
  switch (r.step_case()) {
    case Request::kOpened: return KnownStep<P>(&r.opened(), "follow-up case");
    case Request::kActionPlanned: return KnownStep<P>(&r.action_planned(), "follow-up case");
    case Request::kProgressRecorded: return KnownStep<P>(&r.progress_recorded(), "follow-up case");
    case Request::kActionCompleted: return KnownStep<P>(&r.action_completed(), "follow-up case");
    case Request::kClosed: return KnownStep<P>(&r.closed(), "follow-up case");
    case Request::STEP_NOT_SET: break;
  }
  return KnownStep<P, followup::pb::FollowUpCaseClosed>(nullptr, "follow-up case");
}

}  // namespace

grpc::Status DeviationsService::RecordFollowUp(grpc::ServerContext* context, const Request* request,
                                               v1v::RecordResponse* response) {
  return RecordRpc<FollowUpModule, Request, v1v::RecordResponse>(
      "Deviations.RecordFollowUp", store_, callers_, gate_, *context, *request, request->case_id(), "case_id", StepOf,
      [](const services::Caller&) { return FollowUpModule{}; }, response);
}

}  // namespace sparbar::deviations
