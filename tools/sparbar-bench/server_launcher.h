// Starts the real sparbar-server binary for a benchmark: plaintext on a free
// loopback port, a given data directory, output to a log file. The destructor
// stops it with SIGTERM (SIGKILL after 10 s).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace sparbar::bench {

class ServerLauncher {
 public:
  // Throws std::runtime_error when the server does not come up within 30 s.
  ServerLauncher(const std::string& binary, const std::string& data_dir,
                 const std::vector<std::string>& extra_args = {});
  ~ServerLauncher();
  ServerLauncher(const ServerLauncher&) = delete;
  ServerLauncher& operator=(const ServerLauncher&) = delete;

  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string address_;
};

}  // namespace sparbar::bench
