// GallringService: the sparbar.v1.gallring.Gallring gRPC service. Plan
// gathers the person files from the log (person_files.h) and judges them by
// the retention rules (plan.h). Thin: resolve the caller, check the day,
// gather, plan, answer; writes nothing but the record of the call.
#pragma once

#include "eventstore/store.h"
#include "services/access/subject_key.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/gallring/rules.h"
#include "sparbar/v1/gallring_service.grpc.pb.h"

namespace sparbar::gallring {

class GallringService final : public v1::gallring::Gallring::Service {
 public:
  // All must outlive the service.
  GallringService(EventStore* store, const RetentionRules* rules, const access::SubjectKey* key,
                  const services::CallerResolver* callers, services::CallGate* gate)
      : store_(store), rules_(rules), key_(key), callers_(callers), gate_(gate) {}

  grpc::Status Plan(grpc::ServerContext* context, const v1::gallring::PlanRequest* request,
                    v1::gallring::PlanResponse* response) override;

 private:
  EventStore* store_;
  const RetentionRules* rules_;
  const access::SubjectKey* key_;
  const services::CallerResolver* callers_;
  services::CallGate* gate_;
};

}  // namespace sparbar::gallring
