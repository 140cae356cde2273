#include "eventstore/staged_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "eventstore/event.h"

namespace sparbar {

std::string StagingDirFor(const std::string& target) {
  std::string name = target;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  return name + ".partial-" + Uuid::Random().ToString();
}

Status PublishDir(const std::string& staging, const std::string& target) {
  int moved = ::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
  if (moved != 0 && (errno == EINVAL || errno == ENOSYS)) {
    // A file system without RENAME_NOREPLACE (NFS, CIFS): a plain rename of
    // a directory still refuses a target that holds files (ENOTEMPTY), and
    // a staged copy is never empty, so a finished backup is never replaced.
    moved = ::rename(staging.c_str(), target.c_str());
  }
  if (moved != 0) {
    const int err = errno;
    if (err == EEXIST || err == ENOTEMPTY) {
      return Status::AlreadyExists(target + " exists; name a new directory");
    }
    return Status::Unavailable("cannot move the finished copy to " + target + ": " + std::strerror(err));
  }
  std::filesystem::path parent = std::filesystem::path(target).parent_path();
  if (parent.empty()) parent = ".";
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return Status::Unavailable("the copy is in " + target + ", but its directory could not be synced: " +
                               std::strerror(err));
  }
  ::close(fd);
  return Status::Ok();
}

void RemoveStaging(const std::string& staging) {
  std::error_code ignored;
  std::filesystem::remove_all(staging, ignored);
}

}  // namespace sparbar
