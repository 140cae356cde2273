#include "services/audit_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "services/grpc_status.h"

namespace sparbar::services {
namespace {

std::string Bytes(const merkle::Hash& h) { return std::string(h.begin(), h.end()); }

}  // namespace

AuditService::AuditService(EventStore* store, const CallerResolver* callers, CallGate* gate)
    : store_(store), callers_(callers), gate_(gate) {}

grpc::Status AuditService::GetCheckpoint(grpc::ServerContext* context,
                                         const v1::GetCheckpointRequest* request,
                                         v1::Checkpoint* response) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  if (callers_ != nullptr) {
    if (auto caller = callers_->Resolve(*context); !caller.ok()) return ToGrpc(caller.status());
  }
  auto cp = request->fresh() ? store_->IssueCheckpoint() : store_->LatestCheckpoint();
  if (!cp.ok()) return Answer("GetCheckpoint", cp.status());
  response->set_origin(cp->checkpoint.origin);
  response->set_size(cp->checkpoint.size);
  response->set_root_hash(Bytes(cp->checkpoint.root));
  response->set_note(cp->note);
  return grpc::Status::OK;
}

grpc::Status AuditService::GetPublicKey(grpc::ServerContext* context,
                                        const v1::GetPublicKeyRequest* request,
                                        v1::PublicKey* response) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  if (callers_ != nullptr) {
    if (auto caller = callers_->Resolve(*context); !caller.ok()) return ToGrpc(caller.status());
  }
  const checkpoint::Signer& signer = store_->signer();
  response->set_key_name(signer.key_name());
  response->set_ed25519_public_key(signer.public_key());
  response->set_verifier_key(signer.VerifierKey());
  response->set_origin(store_->origin());
  return grpc::Status::OK;
}

grpc::Status AuditService::GetInclusionProof(grpc::ServerContext* context,
                                             const v1::GetInclusionProofRequest* request,
                                             v1::InclusionProof* response) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  if (callers_ != nullptr) {
    if (auto caller = callers_->Resolve(*context); !caller.ok()) return ToGrpc(caller.status());
  }
  auto proof = store_->InclusionProof(request->position(), request->tree_size());
  if (!proof.ok()) return Answer("GetInclusionProof", proof.status());
  response->set_position(proof->position);
  response->set_tree_size(proof->tree_size);
  response->set_leaf_hash(Bytes(proof->leaf_hash));
  for (const auto& h : proof->hashes) response->add_hashes(Bytes(h));
  response->set_root_hash(Bytes(proof->root));
  if (proof->checkpoint_note) response->set_checkpoint_note(*proof->checkpoint_note);
  return grpc::Status::OK;
}

grpc::Status AuditService::GetConsistencyProof(grpc::ServerContext* context,
                                               const v1::GetConsistencyProofRequest* request,
                                               v1::ConsistencyProof* response) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  if (callers_ != nullptr) {
    if (auto caller = callers_->Resolve(*context); !caller.ok()) return ToGrpc(caller.status());
  }
  auto proof = store_->ConsistencyProof(request->from_size(), request->to_size());
  if (!proof.ok()) return Answer("GetConsistencyProof", proof.status());
  response->set_from_size(proof->from_size);
  response->set_to_size(proof->to_size);
  for (const auto& h : proof->hashes) response->add_hashes(Bytes(h));
  response->set_from_root(Bytes(proof->from_root));
  response->set_to_root(Bytes(proof->to_root));
  return grpc::Status::OK;
}

grpc::Status AuditService::VerifyLog(grpc::ServerContext* context, const v1::VerifyLogRequest* request,
                                     grpc::ServerWriter<v1::VerifyLogProgress>* writer) {
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  if (callers_ != nullptr) {
    if (auto caller = callers_->Resolve(*context); !caller.ok()) return ToGrpc(caller.status());
  }
  bool client_gone = false;
  uint64_t last_total = 0;
  auto progress = [&](uint64_t checked, uint64_t total) {
    last_total = total;
    if (gate_->stopping() || context->IsCancelled()) return false;
    v1::VerifyLogProgress p;
    p.set_verified(checked);
    p.set_total(total);
    if (!writer->Write(p)) {
      client_gone = true;
      return false;
    }
    return true;
  };
  auto report = store_->Verify(progress);
  if (client_gone || context->IsCancelled()) return grpc::Status::CANCELLED;
  if (gate_->stopping()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the server is shutting down; verification was not finished");
  }
  if (!report.ok()) return Answer("VerifyLog", report.status());
  if (!report->ok) spdlog::error("VerifyLog: the log does not verify: {}", report->error);

  v1::VerifyLogProgress done;
  done.set_verified(report->events_checked);
  done.set_total(std::max(last_total, report->events_checked));
  done.set_done(true);
  done.set_ok(report->ok);
  done.set_error(report->error);
  if (report->bad_position) {
    done.set_has_bad_position(true);
    done.set_bad_position(*report->bad_position);
  }
  done.set_checkpoints_checked(report->checkpoints_checked);
  writer->Write(done);
  return grpc::Status::OK;
}

}  // namespace sparbar::services
