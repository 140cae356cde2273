#include "pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sparbar::bench {
namespace {

// Tuned as a municipality's DBA would for a dedicated machine of 24 GiB: a
// large buffer pool and WAL, so that checkpoints do not interrupt the load.
// Durability stays on.
const std::vector<std::string> kSettings = {
    "fsync=on",           "synchronous_commit=on", "full_page_writes=on", "shared_buffers=4GB",
    "max_wal_size=16GB",  "checkpoint_timeout=30min", "wal_buffers=64MB", "max_connections=200",
    "work_mem=64MB",      "maintenance_work_mem=1GB", "effective_cache_size=16GB", "jit=off",
};

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free loopback port for PostgreSQL");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// The account PostgreSQL runs as: `postgres` when we are root, else ourselves.
struct Account {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Account RunAs() {
  Account a;
  if (geteuid() != 0) return a;
  const passwd* pw = getpwnam("postgres");
  if (!pw) throw std::runtime_error("running as root, and there is no `postgres` user to run PostgreSQL as");
  a.switch_user = true;
  a.uid = pw->pw_uid;
  a.gid = pw->pw_gid;
  return a;
}

// Starts `args` as the account, output appended to `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const Account& as, const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    if (as.switch_user && (setgid(as.gid) != 0 || setuid(as.uid) != 0)) _exit(126);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

std::string PostgresBinDir() {
  const std::string dir = "/usr/lib/postgresql/15/bin";
  return std::filesystem::exists(dir + "/postgres") ? dir : "";
}

std::string PostgresServer::Settings() {
  std::string out;
  for (const auto& s : kSettings) out += (out.empty() ? "" : ", ") + s;
  return out;
}

PostgresServer::PostgresServer(const std::string& dir) : dir_(dir) {
  const std::string bin = PostgresBinDir();
  if (bin.empty()) {
    throw std::runtime_error("PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/postgres); "
                             "tools/bench compare installs Debian's postgresql-15");
  }
  const Account as = RunAs();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  if (as.switch_user && chown(dir_.c_str(), as.uid, as.gid) != 0) {
    throw std::runtime_error("cannot give " + dir_ + " to the postgres user");
  }
  const std::string log = dir_ + ".log";
  std::filesystem::remove(log);
  if (as.switch_user) {
    // The log file is opened by the child after it has become `postgres`.
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) {
      (void)fchown(fd, as.uid, as.gid);
      close(fd);
    }
  }
  const pid_t init = Spawn({bin + "/initdb", "-D", dir_, "-U", "bench", "--auth=trust", "-E", "UTF8",
                            "--no-locale", "--no-sync"},
                           as, log);
  int status = 0;
  waitpid(init, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("initdb failed; see " + log);

  port_ = FreeLoopbackPort();
  std::vector<std::string> args = {bin + "/postgres", "-D", dir_, "-p", std::to_string(port_),
                                   "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="};
  for (const auto& s : kSettings) {
    args.push_back("-c");
    args.push_back(s);
  }
  pid_ = Spawn(args, as, log);
  const std::string ping = "host=127.0.0.1 port=" + std::to_string(port_) + " user=bench dbname=postgres";
  for (int i = 0; i < 600; ++i) {
    if (PQping(ping.c_str()) == PQPING_OK) return;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("postgres exited at startup; see " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("postgres did not accept connections within 60 s; see " + log);
}

std::string PostgresServer::conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=bench dbname=postgres";
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown: ends sessions, checkpoints, exits
    bool stopped = false;
    for (int i = 0; i < 600 && !stopped; ++i) {
      int status;
      stopped = waitpid(pid_, &status, WNOHANG) == pid_;
      if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!stopped) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace sparbar::bench
