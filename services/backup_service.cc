#include "services/backup_service.h"

#include <filesystem>

#include "eventstore/staged_dir.h"
#include "services/grpc_status.h"

namespace sparbar::services {
namespace {

namespace fs = std::filesystem;

// Whether `inner` is `outer` or lies inside it (both absolute, normalized).
bool Within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
    if (o->empty()) break;  // a trailing separator
    if (i == inner.end() || *i != *o) return false;
  }
  return true;
}

// Never throws: a path that cannot be resolved is taken as given.
fs::path Normal(const std::string& p) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::path(p), ec);
  return (ec ? fs::path(p) : out).lexically_normal();
}

Status CheckTarget(const std::string& dir, std::string_view field, const std::vector<fs::path>& apart_from) {
  if (dir.empty()) return Status::InvalidArgument(std::string(field) + " is required");
  if (!fs::path(dir).is_absolute()) {
    return Status::InvalidArgument(std::string(field) + " must be an absolute path on the server's host");
  }
  const fs::path target = Normal(dir);
  for (const fs::path& other : apart_from) {
    if (Within(target, other) || Within(other, target)) {
      return Status::InvalidArgument(std::string(field) + " " + dir + " overlaps " + other.string() +
                                     ": a backup must lie apart from the data, the vault and the other backup");
    }
  }
  std::error_code ec;
  if (fs::exists(target, ec)) {
    return Status::AlreadyExists(std::string(field) + " " + dir + " exists; name a new directory");
  }
  return Status::Ok();
}

}  // namespace

grpc::Status BackupService::Create(grpc::ServerContext* context, const v1::CreateBackupRequest* request,
                                   v1::CreateBackupResponse* response) {
  constexpr const char* kMethod = "Backup.Create";
  const CallGate::Pass pass = gate_->Enter();
  if (!pass) return ShuttingDown();
  auto caller = callers_->Resolve(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  const fs::path data = Normal(store_->data_dir());
  const fs::path vault = Normal(vault_dir_);
  if (Status s = CheckTarget(request->log_directory(), "log_directory", {data, vault}); !s.ok()) return ToGrpc(s);
  const bool with_vault = !request->vault_directory().empty();
  if (with_vault) {
    if (Status s = CheckTarget(request->vault_directory(), "vault_directory",
                               {data, vault, Normal(request->log_directory())});
        !s.ok()) {
      return ToGrpc(s);
    }
  }
  auto size = store_->Backup(request->log_directory());
  if (!size.ok()) return Answer(kMethod, size.status());
  response->set_log_size(*size);
  if (!with_vault) return grpc::Status::OK;
  // Staged beside the target and renamed onto it whole (eventstore/staged_dir.h):
  // no half a vault backup, and none that a backup racing for the same
  // directory could remove.
  const std::string staging = StagingDirFor(request->vault_directory());
  const fs::path staged(staging);
  auto keys = vault_->Backup((staged / "vault").string());
  std::error_code ec;
  if (keys.ok()) {
    fs::create_directories(staged / "keys", ec);
    for (const char* name : {"access-index.key", "dev-master.keys"}) {
      const fs::path from = data / "keys" / name;
      std::error_code missing;
      if (!ec && fs::exists(from, missing)) fs::copy_file(from, staged / "keys" / name, ec);
    }
  }
  Status published = !keys.ok() ? keys.status()
                     : ec       ? Status::Unavailable(ec.message())
                                : PublishDir(staging, request->vault_directory());
  if (!published.ok()) {
    RemoveStaging(staging);
    return Answer(kMethod, Status(published.code() == Code::kAlreadyExists ? Code::kAlreadyExists
                                                                           : Code::kUnavailable,
                                  "the log's backup is in " + request->log_directory() +
                                      ", but the vault's could not be written: " + published.message()));
  }
  response->set_keys(*keys);
  return grpc::Status::OK;
}

}  // namespace sparbar::services
