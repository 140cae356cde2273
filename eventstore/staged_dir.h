// Staged directories: a backup appears under its name whole, or not at all.
//
// A writer fills a staging directory beside the target (StagingDirFor) and
// then publishes it (PublishDir): one rename that refuses to replace an
// existing target (renameat2 with RENAME_NOREPLACE). Two writers racing for
// one target cannot mix or remove each other's files: the loser gets
// AlreadyExists and removes only its own staging directory (RemoveStaging).
// A crash leaves at most a "<target>.partial-<uuid>" directory, never a
// half-written target.
#pragma once

#include <string>

#include "eventstore/status.h"

namespace sparbar {

// "<target>.partial-" and a random UUID; not created.
std::string StagingDirFor(const std::string& target);

// Renames `staging` to `target`, which must not exist (AlreadyExists), and
// syncs the parent directory so that the rename survives a crash. Where the
// file system has no RENAME_NOREPLACE (NFS, CIFS), a plain rename is used:
// it still refuses a target holding files, but replaces an empty one. On an
// error `staging` is left for the caller to remove (after a failed sync it
// no longer exists: the copy is in `target`).
Status PublishDir(const std::string& staging, const std::string& target);

// Removes a staging directory and everything in it; errors are ignored.
void RemoveStaging(const std::string& staging);

}  // namespace sparbar
