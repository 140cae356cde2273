// TransportPoller: one thread that waits, for the server's whole life, on a
// completion queue of the server that is never given work, so that a thread
// is always polling gRPC's connections.
//
// Why: with gRPC 1.51 (Debian 12) and both the callback API (Append,
// AppendStream) and the sync API in one server, about one call in two
// hundred waited 85-100 ms between arriving on its connection and its
// handler starting. A scheduler trace (perf, sched_switch and
// sched_wakeup, 2026-12-07) showed no server thread woken in that time: the
// connection was read only when one of gRPC's callback threads
// ("nexting_thread") woke, and those threads sleep 100 ms after each second
// without callback work (CallbackAlternativeCQ in completion_queue_cc.cc).
// With this thread polling, the stall did not occur in 8 runs of the access
// benchmark (docs/benchmarks.md).
//
// Order: construct before ServerBuilder::BuildAndStart, Start() after it,
// Stop() after the server's Shutdown() and Wait() (the destructor does too).
#pragma once

#include <grpcpp/completion_queue.h>
#include <grpcpp/server_builder.h>

#include <memory>
#include <thread>

namespace sparbar::services {

class TransportPoller {
 public:
  explicit TransportPoller(grpc::ServerBuilder& builder);
  ~TransportPoller();
  TransportPoller(const TransportPoller&) = delete;
  TransportPoller& operator=(const TransportPoller&) = delete;

  void Start();
  void Stop();

 private:
  std::unique_ptr<grpc::ServerCompletionQueue> cq_;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace sparbar::services
