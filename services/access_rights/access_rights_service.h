// AccessRightsService: the gRPC face of the access rights module, thin by
// design. Record authenticates, validates the right id and records the step
// with StepRecorder against the right's stream (right.h), with the caller's
// name and roles in the decider's context: ordering, reviewing and the
// orders to narrow or remove need the role "enhetschef"; granting and carrying
// out the role "behorighetsadministrator". InForce folds the rights from
// the log as it stood at the request's as_of (statistics.h, RightsInForce)
// and writes nothing.
#pragma once

#include "eventstore/store.h"
#include "services/access_rights/rules.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/access_rights_service.grpc.pb.h"

namespace sparbar::access_rights {

class AccessRightsService final : public v1::accessrights::AccessRights::Service {
 public:
  // All must outlive the service.
  AccessRightsService(EventStore* store, const AccessRightRules* rules, const services::CallerResolver* callers,
                      services::CallGate* gate);

  grpc::Status Record(grpc::ServerContext* context, const v1::accessrights::RecordRequest* request,
                      v1::accessrights::RecordResponse* response) override;
  grpc::Status InForce(grpc::ServerContext* context, const v1::accessrights::InForceRequest* request,
                       v1::accessrights::InForceResponse* response) override;

 private:
  EventStore* const store_;
  const AccessRightRules* const rules_;
  const services::CallerResolver* const callers_;
  services::CallGate* const gate_;
};

}  // namespace sparbar::access_rights
