// Latencies: per-thread samples merged into percentiles. Samples are kept in
// full (a benchmark run is seconds long), so percentiles are exact.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sparbar::bench {

class Latencies {
 public:
  void Add(std::chrono::nanoseconds d) { samples_.push_back(d.count()); }
  void Merge(const Latencies& other) {
    samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  }
  size_t count() const { return samples_.size(); }
  // Percentile in microseconds, p in [0, 100]. Sorts on first use.
  double PercentileMicros(double p) {
    if (samples_.empty()) return 0;
    if (!sorted_) {
      std::sort(samples_.begin(), samples_.end());
      sorted_ = true;
    }
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(samples_.size() - 1) + 0.5);
    return static_cast<double>(samples_[std::min(i, samples_.size() - 1)]) / 1000.0;
  }

 private:
  std::vector<int64_t> samples_;
  bool sorted_ = false;
};

// One row of the results table.
struct Row {
  std::string scenario;
  int clients = 0;
  int events_per_op = 0;
  double events_per_second = 0;
  double ops_per_second = 0;
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  uint64_t errors = 0;
  uint64_t ops = 0;  // operations completed
  // CPU time per operation, user + system, when measured (< 0: not measured).
  double server_cpu_us = -1;  // the sparbar-server process
  double bench_cpu_us = -1;   // this process: the clients, or the in-process store
};

// A row from what a load measured: `ok` operations of `events_per_op` events
// each, completed in `elapsed_seconds`, with their latencies.
inline Row MakeRow(std::string scenario, int clients, int events_per_op, uint64_t ok,
                   uint64_t errors, double elapsed_seconds, Latencies& latencies) {
  Row row;
  row.scenario = std::move(scenario);
  row.clients = clients;
  row.events_per_op = events_per_op;
  row.ops_per_second = elapsed_seconds > 0 ? static_cast<double>(ok) / elapsed_seconds : 0;
  row.events_per_second = row.ops_per_second * events_per_op;
  row.p50_us = latencies.PercentileMicros(50);
  row.p99_us = latencies.PercentileMicros(99);
  row.p999_us = latencies.PercentileMicros(99.9);
  row.errors = errors;
  row.ops = ok;
  return row;
}

}  // namespace sparbar::bench
