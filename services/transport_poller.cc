#include "services/transport_poller.h"

#include <pthread.h>

namespace sparbar::services {

TransportPoller::TransportPoller(grpc::ServerBuilder& builder)
    : cq_(builder.AddCompletionQueue(/*is_frequently_polled=*/true)) {}

TransportPoller::~TransportPoller() { Stop(); }

void TransportPoller::Start() {
  if (thread_.joinable() || stopped_) return;
  thread_ = std::thread([cq = cq_.get()] {
    pthread_setname_np(pthread_self(), "sparbar-poll");
    void* tag = nullptr;
    bool ok = false;
    while (cq->Next(&tag, &ok)) {
      // Nothing is ever requested on this queue: Next() only polls, until Shutdown().
    }
  });
}

void TransportPoller::Stop() {
  if (stopped_) return;
  stopped_ = true;
  cq_->Shutdown();
  if (thread_.joinable()) {
    thread_.join();
    return;
  }
  void* tag = nullptr;
  bool ok = false;
  while (cq_->Next(&tag, &ok)) {
  }  // a queue is drained before it is destroyed
}

}  // namespace sparbar::services
