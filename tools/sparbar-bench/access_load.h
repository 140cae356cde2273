// Benchmark of the access log's intake (issue 5): clients streaming batches
// of access events to a real server through AccessLog.Ingest, each client a
// source system of its own, every batch acknowledged once synced. Reports
// events/s sustained and the bytes the data directory holds per event.
#pragma once

#include <string>

namespace sparbar::bench {

struct AccessLoadOptions {
  std::string dir;            // a fresh directory for the server's data
  std::string server_binary;
  int clients = 4;
  int batch_events = 1000;
  double seconds = 10;
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureAccessIngest(const AccessLoadOptions& options);

}  // namespace sparbar::bench
