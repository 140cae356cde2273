// BackupService: the sparbar.v1.Backup gRPC service (backup_service.proto).
// Create checks the two directories, then has the store and the key vault
// each write a checkpoint of themselves (EventStore::Backup,
// KeyVault::Backup), the log first, so that the vault's backup is at least
// as new as the log's. The vault's backup also gets the pseudonym key
// (keys/access-index.key) and the development master key when the data
// directory holds one (development mode). A vault backup that fails after
// the log's is removed; the log's stays, and the error says so.
#pragma once

#include <string>

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "services/vault/key_vault.h"
#include "sparbar/v1/backup_service.grpc.pb.h"

namespace sparbar::services {

class BackupService final : public v1::Backup::Service {
 public:
  // All must outlive the service.
  BackupService(EventStore* store, vault::KeyVault* vault, std::string vault_dir, const CallerResolver* callers,
                CallGate* gate)
      : store_(store), vault_(vault), vault_dir_(std::move(vault_dir)), callers_(callers), gate_(gate) {}

  grpc::Status Create(grpc::ServerContext* context, const v1::CreateBackupRequest* request,
                      v1::CreateBackupResponse* response) override;

 private:
  EventStore* store_;
  vault::KeyVault* vault_;
  std::string vault_dir_;
  const CallerResolver* callers_;
  CallGate* gate_;
};

}  // namespace sparbar::services
