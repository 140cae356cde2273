// `sparbar-bench compare`: every scenario of issue 8 against Spårbar and
// against PostgreSQL 15 started for the run (pg_server.h), on the same
// machine, in the same run, with the same payloads and concurrency. Prints
// the results table with each row's ratio and target, and writes it into a
// Markdown file between the markers
//   <!-- compare:begin --> and <!-- compare:end -->
// (added at the end when missing), leaving the rest of the file alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sparbar::bench {

struct CompareOptions {
  std::string dir;            // where both data directories go (same disk)
  std::string server_binary;
  std::string doc = "docs/benchmarks.md";  // the Markdown file to write into; empty: none
  double seconds = 5;         // per append scenario
  std::vector<int> clients = {1, 16, 64};
  int channels = 8;
  uint64_t access_events = 10'000'000;
  int users = 3000;
  int people = 200000;
  int decision_cases = 1'000'000;  // cases in the log the case-facts projection is rebuilt from
  int queries = 200;          // users' quarters and people's extracts, each
  bool keep = false;          // leave Spårbar's access data directory, for profiling
};

int RunCompare(const CompareOptions& options);

}  // namespace sparbar::bench
