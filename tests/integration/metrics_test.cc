// Prometheus metrics (--metrics-listen, services/metrics/) against the real
// server: a scrape over HTTP shows the calls by method and status with
// their latency, the log's size and writes, and each projection's lag; a
// non-loopback address is refused before the data directory is touched.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

// The value of the sample line that starts with `series` (name and labels), or -1.
double Sample(const std::string& text, const std::string& series) {
  const size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace

TEST_CASE("metrics: a scrape shows calls by method and outcome, the log and the projections' lag",
          "[integration][metrics]") {
  TempDir dir;
  const std::string port_file = (dir.path() / "metrics.port").string();
  ServerProcess server((dir.path() / "data").string(), {"--metrics-listen", "127.0.0.1:0", "--metrics-port-file",
                                                        port_file});
  int port = 0;
  std::ifstream(port_file) >> port;
  REQUIRE(port > 0);
  Client c(server.address());
  REQUIRE(Append(c, MakeAppend("metrics-demo", {MakeEvent(), MakeEvent()}, ExpectNoStream())).ok());
  REQUIRE(Append(c, MakeAppend("metrics-demo", {MakeEvent()}, ExpectNoStream())).error_code() ==
          grpc::StatusCode::ABORTED);  // the stream exists

  httplib::Client http("127.0.0.1", port);
  auto res = http.Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  const std::string text = "\n" + res->body;
  CHECK(Sample(text, "sparbar_grpc_calls_total{method=\"sparbar.v1.EventStore/Append\",code=\"OK\"}") == 1);
  CHECK(Sample(text, "sparbar_grpc_calls_total{method=\"sparbar.v1.EventStore/Append\",code=\"ABORTED\"}") == 1);
  CHECK(Sample(text, "sparbar_grpc_call_seconds_count{method=\"sparbar.v1.EventStore/Append\"}") == 2);
  CHECK(Sample(text, "sparbar_grpc_call_seconds_bucket{method=\"sparbar.v1.EventStore/Append\",le=\"+Inf\"}") == 2);
  CHECK(Sample(text, "sparbar_log_events") >= 2);
  CHECK(Sample(text, "sparbar_log_events_written_total") >= 2);
  CHECK(Sample(text, "sparbar_log_synced_writes_total") >= 1);
  CHECK(Sample(text, "sparbar_data_directory_bytes") > 0);
  // The group commits by size: the two-event append's write falls in the le="2" bucket.
  CHECK_THAT(text, Catch::Contains("# TYPE sparbar_log_group_commit_events histogram"));
  CHECK(Sample(text, "sparbar_log_group_commit_events_bucket{le=\"1\"}") == 0);
  CHECK(Sample(text, "sparbar_log_group_commit_events_bucket{le=\"2\"}") == 1);
  CHECK(Sample(text, "sparbar_log_group_commit_events_bucket{le=\"+Inf\"}") == 1);
  CHECK(Sample(text, "sparbar_log_group_commit_events_count") == 1);
  CHECK(Sample(text, "sparbar_log_group_commit_events_sum") == 2);
  CHECK(Sample(text, "sparbar_log_running_compactions") >= 0);
  CHECK(Sample(text, "sparbar_log_pending_compaction_bytes") >= 0);
  CHECK(Sample(text, "sparbar_projection_lag_events{projection=\"access-index\"}") >= 0);
  CHECK(Sample(text, "sparbar_projection_running_compactions{projection=\"access-index\"}") >= 0);
  CHECK(Sample(text, "sparbar_projection_pending_compaction_bytes{projection=\"access-index\"}") >= 0);
  CHECK_THAT(text, Catch::Contains("# TYPE sparbar_grpc_call_seconds histogram"));
  // No personal data and no stream names in the metrics.
  CHECK(text.find("metrics-demo") == std::string::npos);
  CHECK(http.Get("/other")->status == 404);
}

TEST_CASE("metrics: a non-loopback address is refused before the data directory is touched",
          "[integration][metrics]") {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  std::string log;
  CHECK(RunServerToExit({"--dev", "--listen", "127.0.0.1:0", "--data", data, "--metrics-listen", "0.0.0.0:9464"},
                        &log) == 1);
  CHECK_THAT(log, Catch::Contains("is not a loopback address"));
  CHECK_FALSE(std::filesystem::exists(data));
}
