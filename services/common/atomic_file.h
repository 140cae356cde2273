// Writing a small file whole or not at all: a temporary file beside it,
// written and synced, renamed into place, and the directory synced, so that
// a crash never leaves half a file (a key, a port number). The directory is
// created when missing. Unavailable, naming the path and the system's
// reason, when any step fails; the temporary file does not stay behind.
#pragma once

#include <string>
#include <sys/types.h>

#include "eventstore/status.h"

namespace sparbar {

Status WriteFileAtomically(const std::string& path, const std::string& text, mode_t mode = 0644);

}  // namespace sparbar
