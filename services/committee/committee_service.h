// CommitteeService: the gRPC face of the committee module, thin by design
// (services/common/record_rpc.h). Record authenticates, validates the
// meeting id and records the step with StepRecorder against the meeting's
// stream (meeting.h).
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/committee/rules.h"
#include "sparbar/v1/committee_service.grpc.pb.h"

namespace sparbar::committee {

class CommitteeService final : public v1::committee::Committee::Service {
 public:
  // All must outlive the service.
  CommitteeService(EventStore* store, const CommitteeRules* rules, const services::CallerResolver* callers,
                   services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::committee::RecordRequest* request,
                      v1::committee::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const CommitteeRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::committee
