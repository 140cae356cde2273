// ComplaintsService: the gRPC face of the complaints module, thin by design
// (services/common/record_rpc.h). Record authenticates, validates the case
// id, and records the step with StepRecorder against the case's stream
// (case.h). Converting a case to a deviation reads the avvikelse-… stream
// just before deciding: it must hold a reported deviation.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/complaints/rules.h"
#include "sparbar/v1/complaints_service.grpc.pb.h"

namespace sparbar::complaints {

class ComplaintsService final : public v1::complaints::Complaints::Service {
 public:
  // All must outlive the service.
  ComplaintsService(EventStore* store, const ComplaintRules* rules, const services::CallerResolver* callers,
                    services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::complaints::RecordRequest* request,
                      v1::complaints::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const ComplaintRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::complaints
