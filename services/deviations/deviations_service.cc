#include "services/deviations/deviations_service.h"

#include "services/deviations/decider.h"
#include "services/common/record_rpc.h"
#include "services/deviations/modules.h"

namespace sparbar::deviations {
namespace {

namespace v1v = ::sparbar::v1::deviations;

Result<Payload> StepOf(const v1v::RecordRequest& r) {
  switch (r.step_case()) {
    case v1v::RecordRequest::kReported: return KnownStep<Payload>(&r.reported(), "deviation");
    case v1v::RecordRequest::kClosedAsNotDeviation: return KnownStep<Payload>(&r.closed_as_not_deviation(), "deviation");
    case v1v::RecordRequest::kRootCausesDocumented: return KnownStep<Payload>(&r.root_causes_documented(), "deviation");
    case v1v::RecordRequest::kActionTaken: return KnownStep<Payload>(&r.action_taken(), "deviation");
    case v1v::RecordRequest::kFollowedUp: return KnownStep<Payload>(&r.followed_up(), "deviation");
    case v1v::RecordRequest::kClosed: return KnownStep<Payload>(&r.closed(), "deviation");
    case v1v::RecordRequest::kLinkedToCase: return KnownStep<Payload>(&r.linked_to_case(), "deviation");
    case v1v::RecordRequest::kLexMariaDeclined: return KnownStep<Payload>(&r.lex_maria_declined(), "deviation");
    case v1v::RecordRequest::STEP_NOT_SET: break;
  }
  return KnownStep<Payload, pb::DeviationReported>(nullptr, "deviation");
}

}  // namespace

DeviationsService::DeviationsService(EventStore* store, const DeviationTaxonomy* taxonomy,
                                     const services::CallerResolver* callers, services::CallGate* gate)
    : store_(store), taxonomy_(taxonomy), callers_(callers), gate_(gate) {}

grpc::Status DeviationsService::Record(grpc::ServerContext* context, const v1v::RecordRequest* request,
                                       v1v::RecordResponse* response) {
  return RecordRpc<DeviationsModule, v1v::RecordRequest, v1v::RecordResponse>(
      "Deviations.Record", store_, callers_, gate_, *context, *request, request->deviation_id(), "deviation_id",
      StepOf,
      [this, request](const services::Caller& c) {
        return DeviationsModule{taxonomy_, c.roles, store_, std::string(kStreamPrefix) + request->deviation_id()};
      },
      response);
}

}  // namespace sparbar::deviations
