// CPU time used by a process, in total and by thread name, read from
// /proc/<pid>/task/*/stat (user + system time). Two samples around a
// measurement give the CPU it cost: divided by the operations done, the CPU
// per operation, which bounds the rate two cores can carry whatever the disk.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

namespace sparbar::bench {

struct CpuSample {
  double total_seconds = 0;
  std::map<std::string, double> by_thread;  // thread name -> seconds (summed over same-named threads)
};

// The total includes threads that exited meanwhile; by_thread covers only
// the threads alive at the sample (the server keeps its threads running).
CpuSample SampleCpu(pid_t pid);

// later - earlier, per thread name and in total.
CpuSample CpuSince(const CpuSample& earlier, const CpuSample& later);

}  // namespace sparbar::bench
