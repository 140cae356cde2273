// StatementsService: the gRPC face of the requests for statements
// (yttranden), thin by design (services/common/record_rpc.h). Record
// authenticates, validates the request id, reads the committee meeting a
// step names (services/committee/paragraph_ref.h) and records the step
// with StepRecorder against the request's stream (request.h).
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/committee/rules.h"
#include "sparbar/v1/statements_service.grpc.pb.h"

namespace sparbar::statements {

class StatementsService final : public v1::statements::Statements::Service {
 public:
  // All must outlive the service.
  StatementsService(EventStore* store, const committee::CommitteeRules* rules,
                    const services::CallerResolver* callers, services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::statements::RecordRequest* request,
                      v1::statements::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const committee::CommitteeRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::statements
