// Registry: the server's metrics in Prometheus' text exposition format
// (version 0.0.4), for the exporter (http_exporter.h). Counters and
// histograms are kept here as they happen; gauges are read at each scrape
// from collectors (the log's size, the projections' lag). Names are
// "sparbar_…"; label values are the code's own (a method, a status code, a
// projection's name), never personal data. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sparbar::metrics {

// One label set, already rendered: {"method", "x"}, {"code", "OK"} -> method="x",code="OK".
std::string Labels(const std::vector<std::pair<std::string, std::string>>& pairs);

class Registry {
 public:
  // Label sets per counter or histogram; more are counted as overflow="true".
  static constexpr size_t kMaxSeries = 1000;

  // Declares a metric's help and type ("counter", "histogram", "gauge");
  // metrics are rendered in the order declared.
  void Describe(const std::string& name, const std::string& type, const std::string& help);
  void Count(const std::string& name, const std::string& labels, uint64_t n = 1);
  // A histogram observation. Its buckets are those SetBuckets gave the
  // name, else seconds from 100 µs to 10 s.
  void Observe(const std::string& name, const std::string& labels, double value);
  void SetBuckets(const std::string& name, std::vector<double> upper_bounds);
  // Called at each scrape: (name, labels, value) for each gauge sample, or
  // for a histogram kept elsewhere, its name_bucket (with an "le" label),
  // name_sum and name_count samples, cumulative as Prometheus has them.
  using Sample = std::function<void(const std::string& name, const std::string& labels, double value)>;
  void AddCollector(std::function<void(const Sample&)> collector);

  std::string Render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket, not cumulative; the last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    std::string type, help;
    std::map<std::string, uint64_t> counters;      // labels -> value
    std::map<std::string, Histogram> histograms;   // labels -> histogram
  };
  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
  std::map<std::string, std::vector<double>> buckets_;
  std::vector<std::function<void(const Sample&)>> collectors_;
};

}  // namespace sparbar::metrics
