// IncidentsService: the gRPC face of the personal data incidents module,
// thin by design (services/common/record_rpc.h). Record authenticates,
// validates the incident id and records the step with StepRecorder against
// the incident's stream (incident.h), with the caller's roles in the
// decider's context: the assessment and the notification to IMY need the
// role "dataskyddssamordnare".
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/incidents/rules.h"
#include "sparbar/v1/incidents_service.grpc.pb.h"

namespace sparbar::incidents {

class IncidentsService final : public v1::incidents::Incidents::Service {
 public:
  // All must outlive the service.
  IncidentsService(EventStore* store, const IncidentRules* rules, const services::CallerResolver* callers,
                   services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::incidents::RecordRequest* request,
                      v1::incidents::RecordResponse* response) override;

 private:
  EventStore* const store_;
  const IncidentRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::incidents
