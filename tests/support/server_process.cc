#include "support/server_process.h"

#include <fcntl.h>
#include <cerrno>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef SPARBAR_SERVER_BIN
#error "SPARBAR_SERVER_BIN must name the sparbar-server binary"
#endif

namespace sparbar::testing {
namespace {

using Clock = std::chrono::steady_clock;

// fork + exec of the server with output to `log_path`. Only async-signal-safe
// calls happen in the child: the test process has gRPC threads running.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log_path) {
  std::vector<std::string> strings;
  strings.push_back(SPARBAR_SERVER_BIN);
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot create " + log_path);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = ::getpid();
  sigset_t none;
  sigemptyset(&none);

  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the test died before prctl took effect
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` up to `timeout_ms`; its exit code, or -1 when still running.
int WaitPid(pid_t pid, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return ExitCode(status);
    if (r < 0) return -1;
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int KillAndReap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return ExitCode(status);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

ServerProcess::ServerProcess(const std::string& data_dir, const std::vector<std::string>& extra_args,
                             const std::string& listen, bool dev_plaintext) {
  const std::string port_file = (dir_.path() / "port").string();
  std::vector<std::string> args = {"--listen", listen, "--port-file", port_file, "--data", data_dir};
  if (dev_plaintext) args.insert(args.begin(), "--dev");
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = Spawn(args, (dir_.path() / "server.log").string());

  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("sparbar-server exited with code " + std::to_string(ExitCode(status)) +
                               " before it was ready:\n" + Log());
    }
    std::string text = ReadFile(port_file);
    if (!text.empty() && text.back() == '\n') {
      port_ = std::stoi(text);
      address_ = listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port_);
      return;
    }
    if (Clock::now() >= deadline) {
      KillAndReap(pid_);
      pid_ = -1;
      throw std::runtime_error("sparbar-server did not write its port file within 20 s:\n" + Log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) KillAndReap(pid_);
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = WaitPid(pid_, 30000);
  if (code == -1) code = KillAndReap(pid_);
  pid_ = -1;
  return code;
}

int ServerProcess::Kill() {
  if (pid_ <= 0) return -1;
  int code = KillAndReap(pid_);
  pid_ = -1;
  return code;
}

std::string ServerProcess::Log() const { return ReadFile((dir_.path() / "server.log").string()); }

int RunServerToExit(const std::vector<std::string>& args, std::string* log, int timeout_ms) {
  TempDir dir;
  const std::string log_path = (dir.path() / "server.log").string();
  pid_t pid = Spawn(args, log_path);
  int code = WaitPid(pid, timeout_ms);
  if (code == -1) {
    KillAndReap(pid);
  }
  if (log) *log = ReadFile(log_path);
  return code;
}

}  // namespace sparbar::testing
