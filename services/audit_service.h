// AuditService: the sparbar.v1.Audit gRPC service over an EventStore.
//
// Serves signed checkpoints, the log's public key, inclusion and consistency
// proofs, and a full verification of the log streamed as progress messages
// (one every 10000 events, and always a final one with done=true). Answers
// carry hashes, sizes and signatures only, never event contents. With an
// access policy (always with mutual TLS), each call resolves its caller
// through `callers`, so the policy names who may call each method (the
// shipped one: anyone the identities file names, and VerifyLog, which reads
// the whole log, only the roles that audit); without one (`callers` null,
// development mode) no caller identity is required. Errors map one to one (OUT_OF_RANGE for a position or
// size beyond the log, NOT_FOUND when the log has no checkpoint yet).
//
// Every call holds a pass from `gate` (call_gate.h): once the gate is stopped
// new calls are UNAVAILABLE and a running VerifyLog ends promptly with
// UNAVAILABLE. `store` and `gate` must outlive the service.
#pragma once

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/audit.grpc.pb.h"

namespace sparbar::services {

class AuditService final : public v1::Audit::Service {
 public:
  AuditService(EventStore* store, const CallerResolver* callers, CallGate* gate);

  grpc::Status GetCheckpoint(grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
                             v1::Checkpoint* response) override;
  grpc::Status GetPublicKey(grpc::ServerContext* context, const v1::GetPublicKeyRequest* request,
                            v1::PublicKey* response) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* context,
                                 const v1::GetInclusionProofRequest* request,
                                 v1::InclusionProof* response) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* context,
                                   const v1::GetConsistencyProofRequest* request,
                                   v1::ConsistencyProof* response) override;
  grpc::Status VerifyLog(grpc::ServerContext* context, const v1::VerifyLogRequest* request,
                         grpc::ServerWriter<v1::VerifyLogProgress>* writer) override;

 private:
  EventStore* const store_;
  const CallerResolver* const callers_;  // null: no caller identity required
  CallGate* const gate_;
};

}  // namespace sparbar::services
