// Durable appends over gRPC against a running server: N client threads, each
// appending events of a fixed size to streams picked at random (uniformly or
// Zipf-distributed),
// measuring per-call latency, for a fixed duration; and the bare RPC ceiling.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "latency.h"
#include "stream_picker.h"

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
  StreamDistribution distribution = StreamDistribution::kUniform;
};

Row MeasureAppends(const AppendLoadOptions& options);

// The same load over EventStore.AppendStream, each client keeping one append
// in flight, on `streams` long-lived streams spread over the connections:
// one per client, or fewer shared by several clients, whose appends then
// travel together in one request when they queue behind a write
// (stream_append_load.cc).
Row MeasureStreamAppends(const AppendLoadOptions& options, int streams);

// `count` connections to `address`, each its own TCP connection, shared by the
// clients as a pool of application servers would share them.
std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& address, int count);

// The same clients and connections calling Audit.GetPublicKey, which touches
// no storage: what gRPC alone can carry on this machine, the upper bound for
// any unary call, Append included. events_per_op is 0 in its row.
Row MeasureRpcCeiling(const AppendLoadOptions& options);

}  // namespace sparbar::bench
