// GallringService: the sparbar.v1.gallring.Gallring gRPC service. Plan
// gathers the person files from the log (person_files.h) and judges them by
// the retention rules (plan.h); it writes nothing but the record of the
// call. Run makes the same plan and carries it out (disposal.h), after
// checking that the day is not in the future and that the plan disposes of
// as many files as the caller expects. PlaceHold and ReleaseHold record
// legal holds (legal_holds.h).
#pragma once

#include <mutex>

#include "eventstore/store.h"
#include "services/access/subject_key.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/gallring/person_files.h"
#include "services/gallring/plan.h"
#include "services/gallring/rules.h"
#include "services/vault/key_vault.h"
#include "sparbar/v1/gallring_service.grpc.pb.h"

namespace sparbar::gallring {

class GallringService final : public v1::gallring::Gallring::Service {
 public:
  // All must outlive the service.
  GallringService(EventStore* store, const RetentionRules* rules, const access::SubjectKey* key,
                  vault::KeyVault* vault, const services::CallerResolver* callers, services::CallGate* gate)
      : store_(store), rules_(rules), key_(key), vault_(vault), callers_(callers), gate_(gate) {}

  grpc::Status Plan(grpc::ServerContext* context, const v1::gallring::PlanRequest* request,
                    v1::gallring::PlanResponse* response) override;
  grpc::Status Run(grpc::ServerContext* context, const v1::gallring::RunRequest* request,
                   v1::gallring::RunResponse* response) override;
  grpc::Status PlaceHold(grpc::ServerContext* context, const v1::gallring::PlaceHoldRequest* request,
                         v1::gallring::HoldResponse* response) override;
  grpc::Status ReleaseHold(grpc::ServerContext* context, const v1::gallring::ReleaseHoldRequest* request,
                           v1::gallring::HoldResponse* response) override;

 private:
  // The person files as the log stands and their plan as of a day.
  struct PlanAt {
    uint64_t size = 0;  // the log size the files were read at
    GatheredFiles files;
    std::vector<PlanEntry> plan;
  };
  Result<PlanAt> PlanAsOf(const CivilDate& as_of) const;

  EventStore* store_;
  const RetentionRules* rules_;
  const access::SubjectKey* key_;
  vault::KeyVault* vault_;
  std::mutex run_mu_;  // one run at a time
  const services::CallerResolver* callers_;
  services::CallGate* gate_;
};

}  // namespace sparbar::gallring
