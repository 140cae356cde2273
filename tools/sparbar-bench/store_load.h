// Durable appends straight into the event store library, without gRPC: the
// same events, streams and concurrency as append_load.h, from threads in this
// process. Separates what the group commit achieves from what the RPC layer
// costs on the same cores.
#pragma once

#include <string>

#include "latency.h"

namespace sparbar::bench {

struct StoreLoadOptions {
  std::string dir;  // a fresh data directory
  int threads = 64;
  int events_per_append = 1;
  size_t payload_bytes = 256;
  int streams = 10000;
  double seconds = 5;
};

Row MeasureStoreAppends(const StoreLoadOptions& options);

}  // namespace sparbar::bench
