#include "cpu_usage.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sparbar::bench {

namespace {

// User + system seconds from one stat file, and the name in it.
bool ReadStat(const std::filesystem::path& path, std::string* name, double* seconds) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return false;
  // pid (comm) state ... : the name may hold spaces, so split at the last ')'.
  const size_t open = line.find('('), close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 > line.size()) return false;
  *name = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  // Fields after the name start at 3 (state); utime is 14, stime 15.
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  *seconds = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return true;
}

}  // namespace

CpuSample SampleCpu(pid_t pid) {
  CpuSample sample;
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  std::string name;
  double seconds = 0;
  // The process's own counters include the threads that have already exited.
  if (ReadStat(proc / "stat", &name, &seconds)) sample.total_seconds = seconds;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(proc / "task", ec)) {
    if (ReadStat(task.path() / "stat", &name, &seconds)) sample.by_thread[name] += seconds;
  }
  return sample;
}

CpuSample CpuSince(const CpuSample& earlier, const CpuSample& later) {
  CpuSample d;
  d.total_seconds = later.total_seconds - earlier.total_seconds;
  for (const auto& [name, seconds] : later.by_thread) {
    auto it = earlier.by_thread.find(name);
    d.by_thread[name] = seconds - (it == earlier.by_thread.end() ? 0 : it->second);
  }
  return d;
}

}  // namespace sparbar::bench
