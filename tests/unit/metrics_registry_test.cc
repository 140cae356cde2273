// The metrics registry's Prometheus text (services/metrics/registry.h):
// counters by label set, cumulative histogram buckets with their sum and
// count, gauges read from collectors at each render, and labels escaped.
#include <catch2/catch.hpp>

#include "services/metrics/registry.h"

using namespace sparbar::metrics;

TEST_CASE("metrics: counters, histograms and gauges in Prometheus text", "[metrics]") {
  Registry r;
  r.Describe("sparbar_calls_total", "counter", "calls");
  r.Describe("sparbar_call_seconds", "histogram", "latency");
  r.Describe("sparbar_lag", "gauge", "lag");
  r.Count("sparbar_calls_total", Labels({{"method", "a/B"}, {"code", "OK"}}));
  r.Count("sparbar_calls_total", Labels({{"method", "a/B"}, {"code", "OK"}}), 2);
  r.Count("sparbar_calls_total", Labels({{"method", "a/B"}, {"code", "NOT_FOUND"}}));
  r.SetBuckets("sparbar_call_seconds", {0.01, 0.001, 0.1});
  r.Observe("sparbar_call_seconds", "", 0.0005);
  r.Observe("sparbar_call_seconds", "", 0.05);
  r.Observe("sparbar_call_seconds", "", 7);
  int lag = 5;
  r.AddCollector([&lag](const Registry::Sample& sample) {
    sample("sparbar_lag", Labels({{"projection", "x\"y"}}), lag);
  });
  std::string text = r.Render();
  CHECK_THAT(text, Catch::Contains("# TYPE sparbar_calls_total counter\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_calls_total{method=\"a/B\",code=\"OK\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_calls_total{method=\"a/B\",code=\"NOT_FOUND\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_call_seconds_bucket{le=\"0.001\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_call_seconds_bucket{le=\"0.01\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_call_seconds_bucket{le=\"0.1\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_call_seconds_bucket{le=\"+Inf\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_call_seconds_count 3\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_call_seconds_sum 7.0505\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_lag{projection=\"x\\\"y\"} 5\n"));
  lag = 0;
  CHECK_THAT(r.Render(), Catch::Contains("sparbar_lag{projection=\"x\\\"y\"} 0\n"));  // read at each render
  // Families in the order declared.
  CHECK(text.find("sparbar_calls_total") < text.find("sparbar_call_seconds_bucket"));
  CHECK(text.find("sparbar_call_seconds_count") < text.find("sparbar_lag{"));
}

TEST_CASE("metrics: label sets past the limit count as one overflow series", "[metrics]") {
  Registry r;
  r.Describe("sparbar_calls_total", "counter", "calls");
  for (size_t i = 0; i < Registry::kMaxSeries + 5; ++i) r.Count("sparbar_calls_total", Labels({{"m", std::to_string(i)}}));
  const std::string text = r.Render();
  CHECK_THAT(text, Catch::Contains("sparbar_calls_total{overflow=\"true\"} 5\n"));
  CHECK_THAT(text, Catch::Contains("sparbar_calls_total{m=\"0\"} 1\n"));
}
