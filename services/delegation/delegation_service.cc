#include "services/delegation/delegation_service.h"

#include "services/common/record_rpc.h"
#include "services/delegation/modules.h"

namespace sparbar::delegation {
namespace {

namespace v = ::sparbar::v1::delegation;

Result<OrderPayload> OrderStepOf(const v::RecordOrderRequest& r) {
  constexpr const char* kWhat = "delegation order";
  switch (r.step_case()) {
    case v::RecordOrderRequest::kAdopted:
      return KnownStep<OrderPayload>(&r.adopted(), kWhat);
    case v::RecordOrderRequest::kAmended:
      return KnownStep<OrderPayload>(&r.amended(), kWhat);
    case v::RecordOrderRequest::STEP_NOT_SET:
      break;
  }
  return KnownStep<OrderPayload, pb::OrderAmended>(nullptr, kWhat);
}

Result<DecisionPayload> DecisionStepOf(const v::RecordDecisionRequest& r) {
  constexpr const char* kWhat = "delegation decision";
  switch (r.step_case()) {
    case v::RecordDecisionRequest::kTaken:
      return KnownStep<DecisionPayload>(&r.taken(), kWhat);
    case v::RecordDecisionRequest::kReported:
      return KnownStep<DecisionPayload>(&r.reported(), kWhat);
    case v::RecordDecisionRequest::STEP_NOT_SET:
      break;
  }
  return KnownStep<DecisionPayload, pb::DecisionReported>(nullptr, kWhat);
}

}  // namespace

DelegationService::DelegationService(EventStore* store, const services::CallerResolver* callers,
                                     services::CallGate* gate)
    : store_(store), callers_(callers), gate_(gate) {}

grpc::Status DelegationService::RecordOrder(grpc::ServerContext* context, const v::RecordOrderRequest* request,
                                            v::RecordResponse* response) {
  return RecordRpc<OrderModule, v::RecordOrderRequest, v::RecordResponse>(
      "Delegation.RecordOrder", store_, callers_, gate_, *context, *request, request->order_id(), "order_id",
      OrderStepOf, [this, request](const services::Caller&) { return OrderModule{store_, request->order_id()}; }, response);
}

grpc::Status DelegationService::RecordDecision(grpc::ServerContext* context, const v::RecordDecisionRequest* request,
                                               v::RecordResponse* response) {
  return RecordRpc<DecisionModule, v::RecordDecisionRequest, v::RecordResponse>(
      "Delegation.RecordDecision", store_, callers_, gate_, *context, *request, request->decision_id(),
      "decision_id", DecisionStepOf, [this](const services::Caller&) { return DecisionModule{store_}; }, response);
}

}  // namespace sparbar::delegation
