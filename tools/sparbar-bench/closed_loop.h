// ClosedLoop: N concurrent clients, each keeping exactly one call in flight
// for a fixed time: when a call completes, its latency is recorded and the
// client's next call is started from the completion itself, so N clients need
// no N blocked threads. A client whose call fails stops (the error is
// counted). Used for every over-the-wire load in sparbar-bench.
#pragma once

#include <functional>

#include "latency.h"

namespace sparbar::bench {

struct ClosedLoopResult {
  Latencies latencies;
  uint64_t ok = 0;
  uint64_t errors = 0;
  double elapsed_seconds = 0;
};

// start(client, done) starts one call for client 0..clients-1 and arranges
// for done(ok) to be called exactly once when it completes, on any thread.
using StartCall = std::function<void(int client, std::function<void(bool ok)> done)>;

ClosedLoopResult RunClosedLoop(int clients, double seconds, const StartCall& start);

}  // namespace sparbar::bench
