// ServerProcess: the real sparbar-server binary, started for one test.
//
// The constructor runs SPARBAR_SERVER_BIN [--dev] --listen 127.0.0.1:0
// --port-file <tmp> --data <data_dir> <extra args> in a child process (another
// loopback `listen` address with port 0 may be given instead) (stdout
// and stderr to server.log in a temporary directory of its own) and waits up to
// 20 s for the port file; it throws std::runtime_error, with the log, if the
// server exits or does not get ready in time. The server never outlives the
// test: the destructor kills it, and the child dies with the thread that
// started it (PR_SET_PDEATHSIG), so create it from the test's own thread.
//
// RunServerToExit() is for tests that expect the server to refuse to start: it
// returns the exit code and the output instead.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace sparbar::testing {

class ServerProcess {
 public:
  // Without `dev_plaintext` no --dev is passed: `extra_args` then name mutual TLS.
  ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args = {},
                const std::string& listen = "127.0.0.1:0", bool dev_plaintext = true);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "<listen host>:<port>", e.g. "127.0.0.1:40001", for grpc::CreateChannel.
  const std::string& address() const { return address_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // SIGTERM, then waits (up to 30 s, then SIGKILL). Returns the exit code, or
  // 128 + signal number when the server died of a signal.
  int Stop();
  // SIGKILL and wait: a crash. Returns as Stop does.
  int Kill();
  // Everything the server wrote to stdout and stderr so far.
  std::string Log() const;

 private:
  int WaitForExit(int timeout_ms);

  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string address_;
};

// Runs the server with `args` (exactly those, nothing added) until it exits or
// `timeout_ms` passes (then it is killed and -1 returned). Returns the exit code
// and stores the output in *log.
int RunServerToExit(const std::vector<std::string>& args, std::string* log, int timeout_ms = 20000);

}  // namespace sparbar::testing
