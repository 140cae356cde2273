// Benchmark of what invariant 6 costs (issue 6): every read of personal
// data is recorded durably before it is answered. Starts the real server in
// development mode with the shipped access policy (roles and units from
// metadata), records decisions cases at one unit, then times, with 1 and 4
// clients in closed loop:
//  - a person's case read at the caller's unit (admitted; one access event);
//  - the same read from another unit (refused; one denial);
//  - a page of 100 events of ReadAll (one record of its scope);
//  - Audit.GetPublicKey, which records nothing: the call's own cost.
#pragma once

#include <string>
#include <vector>

#include "latency.h"

namespace sparbar::bench {

struct ReadsLoadOptions {
  std::string dir;            // a fresh directory for the server's data
  std::string server_binary;  // sparbar-server
  std::string policy;         // the access policy file
  int cases = 1000;           // decisions cases at the unit
  double seconds = 5;         // per scenario
};

// One row per scenario and client count.
std::vector<Row> MeasureReads(const ReadsLoadOptions& options);

}  // namespace sparbar::bench
