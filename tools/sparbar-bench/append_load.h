// Durable appends over gRPC against a running server: N client threads, each
// appending events of a fixed size to streams picked uniformly at random,
// measuring per-call latency, for a fixed duration.
#pragma once

#include <string>

#include "latency.h"

namespace sparbar::bench {

struct AppendLoadOptions {
  std::string address;  // host:port of a running sparbar-server
  int clients = 1;
  int events_per_append = 1;
  size_t payload_bytes = 256;
  int streams = 10000;
  double seconds = 5;
  uint32_t seed = 1;
  int channels = 8;  // TCP connections shared by the clients
};

Row MeasureAppends(const AppendLoadOptions& options);

}  // namespace sparbar::bench
