// StreamPicker: which of N streams the next append goes to, as in the open
// Event Store Benchmark Suite: uniform, or Zipf-distributed (stream k with
// probability proportional to 1/(k+1)^s, s = 1), so that a few streams are
// hot and writers to them contend. Deterministic for a given generator.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace sparbar::bench {

enum class StreamDistribution { kUniform, kZipf };

inline const char* NameOf(StreamDistribution d) { return d == StreamDistribution::kZipf ? "Zipf" : "uniform"; }

class StreamPicker {
 public:
  StreamPicker(int streams, StreamDistribution distribution, double exponent = 1.0)
      : streams_(std::max(1, streams)), zipf_(distribution == StreamDistribution::kZipf) {
    if (!zipf_) return;
    cdf_.resize(static_cast<size_t>(streams_));
    double sum = 0;
    for (int k = 0; k < streams_; ++k) {
      sum += 1.0 / std::pow(static_cast<double>(k + 1), exponent);
      cdf_[static_cast<size_t>(k)] = sum;
    }
    for (double& c : cdf_) c /= sum;
  }

  // A stream number in [0, streams).
  int Pick(std::mt19937_64& rng) const {
    if (!zipf_) return static_cast<int>(rng() % static_cast<uint64_t>(streams_));
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    const auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
    return static_cast<int>(std::min<std::ptrdiff_t>(it - cdf_.begin(), streams_ - 1));
  }

 private:
  int streams_;
  bool zipf_;
  std::vector<double> cdf_;  // cumulative probability of streams 0..k
};

}  // namespace sparbar::bench
