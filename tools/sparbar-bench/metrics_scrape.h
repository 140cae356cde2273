// Reads a running sparbar-server's Prometheus metrics (GET /metrics on its
// metrics port), so that a benchmark can explain its figures with the
// server's own counts: group-commit batches, projection lag, store size.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server_launcher.h"

namespace sparbar::bench {

// Every sample by its series, e.g. `sparbar_log_events` or
// `sparbar_projection_lag_events{projection="access-index"}`. Throws when
// the endpoint does not answer 200.
std::map<std::string, double> ScrapeMetrics(int port);

// The port a server wrote to its --metrics-port-file; waits up to 30 s.
int ReadMetricsPort(const std::string& port_file);

// A sparbar-server (ServerLauncher) with its metrics on a loopback port of
// their own.
struct MeteredServer {
  MeteredServer(const std::string& binary, const std::string& data, const std::vector<std::string>& extra = {});
  std::map<std::string, double> Scrape() const { return ScrapeMetrics(metrics_port); }
  ServerLauncher server;
  int metrics_port;
};

}  // namespace sparbar::bench
