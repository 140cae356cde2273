// sparbar backup: the server writes a copy of the log and, apart, of the key
// vault (Backup.Create), on its own host. sparbar restore: offline, copies a
// log backup (and a vault backup) into a new data directory and verifies
// the restored log before it says it is done; a log that does not verify is
// removed again. docs/gallring.md, "Backup and restore", has the procedure.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "eventstore/log_verifier.h"
#include "eventstore/staged_dir.h"
#include "tools/cli/commands.h"
#include "tools/cli/progress.h"

namespace sparbar::cli {
namespace {

namespace fs = std::filesystem;

struct BackupOptions {
  std::string log_to, vault_to;
};

std::string Absolute(const std::string& p) { return p.empty() ? p : fs::absolute(p).lexically_normal().string(); }

int RunBackup(const BackupOptions& o, const ConnectionOptions& conn) {
  v1::CreateBackupRequest req;
  // Paths are the server's; a relative one is taken from here, for a server on this host.
  req.set_log_directory(Absolute(o.log_to));
  req.set_vault_directory(Absolute(o.vault_to));
  Client client(conn);
  v1::CreateBackupResponse resp;
  std::cerr << "the server is writing the backup...\n";
  grpc::Status st = client.backup().Create(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << "log: " << resp.log_size() << " events in " << req.log_directory() << "\n";
  if (!o.vault_to.empty()) {
    std::cout << "vault: " << resp.keys() << " data keys in " << req.vault_directory()
              << " (keep it apart from the log's backups, and no longer than until the next gallring run)\n";
  }
  return kExitOk;
}

struct RestoreOptions {
  std::string from, vault_from, data, vault, public_key;
};

bool EmptyOrMissing(const fs::path& p) {
  std::error_code ec;
  return !fs::exists(p, ec) || (fs::is_directory(p, ec) && fs::is_empty(p, ec));
}

int RunRestore(const RestoreOptions& o) {
  const fs::path from(o.from), data(o.data);
  const fs::path vault = o.vault.empty() ? data / "vault" : fs::path(o.vault);
  if (!fs::exists(from / "CURRENT")) {
    std::cerr << "error: " << o.from << " is not a log backup (it has no CURRENT file)\n";
    return kExitUsage;
  }
  if (!o.vault_from.empty() && !fs::exists(fs::path(o.vault_from) / "vault" / "CURRENT")) {
    std::cerr << "error: " << o.vault_from << " is not a vault backup (it has no vault/CURRENT)\n";
    return kExitUsage;
  }
  // A vault inside the data directory (its default place, or named there)
  // is copied with it; one elsewhere is a target of its own.
  const fs::path vault_in_data =
      fs::absolute(vault).lexically_normal().lexically_relative(fs::absolute(data).lexically_normal());
  const bool vault_inside = !vault_in_data.empty() && *vault_in_data.begin() != "..";
  if (vault_inside && vault_in_data == ".") {
    std::cerr << "error: --vault must not be the data directory itself; leave it out for " << o.data << "/vault\n";
    return kExitUsage;
  }
  if (!EmptyOrMissing(data) || (!o.vault.empty() && !EmptyOrMissing(vault))) {
    std::cerr << "error: restore into a new or empty directory; " << o.data << " (or the vault's) holds files\n";
    return kExitUsage;
  }
  // A new target is copied and verified in a staging directory beside it,
  // then renamed onto it (eventstore/staged_dir.h): an interrupted or failed
  // restore leaves no half a data directory that a server could start on.
  // An empty directory that exists (perhaps a mount point or a symlink to
  // one) is filled in place, and emptied again if the restore fails.
  struct Target {
    fs::path path, copy_to;  // copy_to: a staging directory, or path itself
    bool staged = false;
  };
  auto target_for = [](const fs::path& path) {
    std::error_code missing;
    Target t{path, path, !fs::exists(path, missing)};
    if (t.staged) t.copy_to = StagingDirFor(path.string());
    return t;
  };
  auto discard = [](const Target& t) {
    std::error_code ignored;
    if (t.staged) {
      RemoveStaging(t.copy_to.string());
      return;
    }
    for (const auto& entry : fs::directory_iterator(t.path, ignored)) fs::remove_all(entry.path(), ignored);
  };
  std::error_code ec;
  const bool separate_vault = !vault_inside && !o.vault_from.empty();
  const Target log_target = target_for(data);
  const Target vault_target = separate_vault ? target_for(vault) : Target{};
  const fs::path vault_copy = separate_vault ? vault_target.copy_to : log_target.copy_to / vault_in_data;
  auto undo = [&](const std::string& why) {
    std::cerr << "error: " << why << "; the partial restore is removed\n";
    discard(log_target);
    if (separate_vault) discard(vault_target);
    return kExitFailed;
  };
  if (data.has_parent_path()) fs::create_directories(data.parent_path(), ec);
  if (!ec) fs::copy(from, log_target.copy_to, fs::copy_options::recursive, ec);
  if (ec) return undo("cannot copy the log backup: " + ec.message());
  if (!o.vault_from.empty()) {
    if (separate_vault && vault.has_parent_path()) fs::create_directories(vault.parent_path(), ec);
    if (!ec && !separate_vault) fs::create_directories(vault_copy.parent_path(), ec);
    if (!ec) fs::copy(fs::path(o.vault_from) / "vault", vault_copy, fs::copy_options::recursive, ec);
    if (!ec) fs::create_directories(log_target.copy_to / "keys", ec);
    if (!ec) fs::copy(fs::path(o.vault_from) / "keys", log_target.copy_to / "keys", fs::copy_options::recursive, ec);
    if (ec) return undo("cannot copy the vault backup: " + ec.message());
    fs::permissions(log_target.copy_to / "keys", fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  ProgressBar bar("verifying the restored log");
  auto report = VerifyDataDir(log_target.copy_to.string(), o.public_key, [&bar](uint64_t checked, uint64_t total) {
    bar.Update(checked, total);
    return true;
  });
  bar.Finish();
  if (!report.ok()) return undo("the restored log cannot be read: " + report.status().ToString());
  if (!report->ok) return undo("the restored log does not verify: " + report->error);
  if (separate_vault && vault_target.staged) {
    if (Status s = PublishDir(vault_copy.string(), vault.string()); !s.ok()) {
      return undo("cannot put the vault in place: " + s.message());
    }
  }
  if (log_target.staged) {
    if (Status s = PublishDir(log_target.copy_to.string(), data.string()); !s.ok()) {
      if (separate_vault && vault_target.staged) RemoveStaging(vault.string());  // this restore's, just put there
      return undo("cannot put the log in place: " + s.message());
    }
  }
  std::cout << "restored " << report->events_checked << " events into " << o.data << "; verified, "
            << report->checkpoints_checked << " checkpoints checked\n";
  if (o.vault_from.empty()) {
    std::cout << "no vault restored: every sealed personal field will read as disposed\n";
  }
  std::cout << "start the server with --data " << o.data << " (read models are rebuilt from the log)\n";
  return kExitOk;
}

}  // namespace

void AddBackupCommands(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  auto b = std::make_shared<BackupOptions>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Have the server write a backup of the log and, apart, of the key vault, on its own host");
  backup->add_option("--to", b->log_to, "New directory for the log's backup")->required();
  backup->add_option("--vault-to", b->vault_to,
                     "New directory for the key vault's backup, apart from the log's (default: none)");
  backup->callback([b, conn, exit_code] { *exit_code = RunBackup(*b, *conn); });

  auto r = std::make_shared<RestoreOptions>();
  CLI::App* restore = app.add_subcommand(
      "restore", "Offline: restore a log backup (and a vault backup) into a new data directory, and verify it");
  restore->add_option("--from", r->from, "The log's backup")->required()->check(CLI::ExistingDirectory);
  restore->add_option("--vault-from", r->vault_from, "The key vault's backup (without it, personal data reads as "
                                                    "disposed)")->check(CLI::ExistingDirectory);
  restore->add_option("--data", r->data, "The new data directory")->required();
  restore->add_option("--vault", r->vault, "Where the vault goes (default <data>/vault)");
  restore->add_option("--public-key", r->public_key,
                      "Verifier key to check the restored checkpoints with (default: the one in the backup)");
  restore->callback([r, exit_code] { *exit_code = RunRestore(*r); });
}

}  // namespace sparbar::cli
