// DelegationService: the gRPC face of the delegation module, thin by design
// (services/common/record_rpc.h). RecordOrder records a version of a
// delegation order (order.h), RecordDecision a decision taken under one or
// its report to the committee (decision.h). Before deciding, they read what
// the step refers to in other streams: the committee paragraph a version
// rests on or a decision was reported to (services/committee/
// paragraph_ref.h), and the order a decision was taken under.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/delegation_service.grpc.pb.h"

namespace sparbar::delegation {

class DelegationService final : public v1::delegation::Delegation::Service {
 public:
  // All must outlive the service.
  DelegationService(EventStore* store, const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status RecordOrder(grpc::ServerContext* context, const v1::delegation::RecordOrderRequest* request,
                           v1::delegation::RecordResponse* response) override;
  grpc::Status RecordDecision(grpc::ServerContext* context, const v1::delegation::RecordDecisionRequest* request,
                              v1::delegation::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::delegation
