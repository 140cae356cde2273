// PostgresServer: a throwaway PostgreSQL 15 cluster for a benchmark, from
// Debian's postgresql-15 package. initdb makes it in `dir`; postgres listens on
// a free loopback port only (no unix socket), with fsync and
// synchronous_commit on, so a commit is durable as Spårbar's appends are.
// PostgreSQL refuses to run as root: when this process is root, initdb and
// postgres run as the `postgres` user, which then owns `dir`. The destructor
// stops the server (fast shutdown) and removes `dir`.
#pragma once

#include <sys/types.h>

#include <string>

namespace sparbar::bench {

class PostgresServer {
 public:
  // Throws std::runtime_error naming what failed (the binaries missing, initdb
  // failing, the server not accepting connections within 60 s; its log is
  // `dir`.log).
  explicit PostgresServer(const std::string& dir);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A libpq connection string for the benchmark's database.
  std::string conninfo() const;
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  // The settings the cluster runs with, for the report.
  static std::string Settings();

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// The directory of Debian's PostgreSQL 15 binaries, or "" when not installed.
std::string PostgresBinDir();

}  // namespace sparbar::bench
