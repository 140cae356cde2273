// Benchmark of the access log's intake (issue 5): clients streaming batches
// of access events to a real server through AccessLog.Ingest, each client a
// source system of its own, every batch acknowledged once synced. Reports
// events/s sustained and the bytes the data directory holds per event, then
// times full-quarter listings by user and by person, and loggkontroll: a
// quarter's sample drawn and every rule evaluated over it.
#pragma once

#include <string>

namespace sparbar::bench {

struct AccessLoadOptions {
  std::string dir;            // a fresh directory for the server's data
  std::string server_binary;
  int clients = 4;
  int batch_events = 1000;
  double seconds = 10;
  int review_sample = 10;  // users in each loggkontroll sample
  int users = 300;         // distinct users the events spread over
  int people = 2000;       // distinct people
  int decision_cases = 0;  // decisions cases recorded before the intake (a review's context reads them all)
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureAccessIngest(const AccessLoadOptions& options);

}  // namespace sparbar::bench
