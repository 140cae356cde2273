#include "services/metrics/registry.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace sparbar::metrics {
namespace {

const std::vector<double>& SecondsBuckets() {
  static const std::vector<double> b = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                        0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5, 5, 10};
  return b;
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::ostringstream s;
  s.precision(12);
  s << v;
  return s.str();
}

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string WithLabel(const std::string& labels, const std::string& extra) {
  return "{" + labels + (labels.empty() ? "" : ",") + extra + "}";
}

}  // namespace

std::string Labels(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) out += (out.empty() ? "" : ",") + k + "=\"" + Escape(v) + "\"";
  return out;
}

void Registry::Describe(const std::string& name, const std::string& type, const std::string& help) {
  std::lock_guard lock(mu_);
  if (!families_.count(name)) order_.push_back(name);
  families_[name].type = type;
  families_[name].help = help;
}

void Registry::SetBuckets(const std::string& name, std::vector<double> upper_bounds) {
  std::sort(upper_bounds.begin(), upper_bounds.end());
  std::lock_guard lock(mu_);
  buckets_[name] = std::move(upper_bounds);
}

namespace {

// A label set past the family's limit is counted as one overflow series:
// callers cannot grow the registry without bound (a method name is the client's).
template <class Map>
const std::string& Bounded(const Map& series, const std::string& labels) {
  static const std::string overflow = "overflow=\"true\"";
  return series.size() >= Registry::kMaxSeries && !series.count(labels) ? overflow : labels;
}

}  // namespace

void Registry::Count(const std::string& name, const std::string& labels, uint64_t n) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.counters[Bounded(f.counters, labels)] += n;
}

void Registry::Observe(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mu_);
  auto b = buckets_.find(name);
  const std::vector<double>& bounds = b != buckets_.end() ? b->second : SecondsBuckets();
  Family& f = families_[name];
  Histogram& h = f.histograms[Bounded(f.histograms, labels)];
  if (h.counts.empty()) h.counts.assign(bounds.size() + 1, 0);
  const size_t i = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++h.counts[i];
  h.sum += value;
  ++h.count;
}

void Registry::AddCollector(std::function<void(const Sample&)> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::Render() const {
  // Gauges first, outside the lock (a collector may take its time, and
  // calls must not wait for it to count), gathered by name so that each
  // family is rendered whole.
  std::vector<std::function<void(const Sample&)>> collectors;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
  }
  std::map<std::string, std::vector<std::pair<std::string, double>>> gauges;
  for (const auto& collect : collectors) {
    collect([&](const std::string& name, const std::string& labels, double value) {
      gauges[name].emplace_back(labels, value);
    });
  }
  std::lock_guard lock(mu_);
  std::ostringstream out;
  for (const std::string& name : order_) {
    const Family& f = families_.at(name);
    out << "# HELP " << name << " " << f.help << "\n# TYPE " << name << " " << f.type << "\n";
    for (const auto& [labels, v] : f.counters) out << name << (labels.empty() ? "" : "{" + labels + "}") << " " << v << "\n";
    auto b = buckets_.find(name);
    const std::vector<double>& bounds = b != buckets_.end() ? b->second : SecondsBuckets();
    for (const auto& [labels, h] : f.histograms) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < h.counts.size(); ++i) {
        cumulative += h.counts[i];
        const std::string le = i < bounds.size() ? Number(bounds[i]) : "+Inf";
        out << name << "_bucket" << WithLabel(labels, "le=\"" + le + "\"") << " " << cumulative << "\n";
      }
      out << name << "_sum" << (labels.empty() ? "" : "{" + labels + "}") << " " << Number(h.sum) << "\n";
      out << name << "_count" << (labels.empty() ? "" : "{" + labels + "}") << " " << h.count << "\n";
    }
    // A collector's samples; a histogram's come as name_bucket, _sum, _count.
    for (const char* suffix : {"", "_bucket", "_sum", "_count"}) {
      const std::string series = name + suffix;
      if (auto g = gauges.find(series); g != gauges.end()) {
        for (const auto& [labels, v] : g->second) {
          out << series << (labels.empty() ? "" : "{" + labels + "}") << " " << Number(v) << "\n";
        }
      }
    }
  }
  return out.str();
}

}  // namespace sparbar::metrics
