// ReadAhead: a subscription read on its own thread, a few batches ahead of
// the one consuming it, so that reading and decoding the log overlaps with
// the fold on the other core.
//
// Contract: Next() returns the underlying subscription's batches in order,
// each exactly once, and then its error (which ends the reading). At most
// `depth` non-empty batches wait in memory. The destructor stops the reading
// thread and waits for it (at most one `poll` of the subscription).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "eventstore/store.h"

namespace sparbar::projections {

class ReadAhead {
 public:
  ReadAhead(std::unique_ptr<Subscription> subscription, size_t depth, std::chrono::milliseconds poll);
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next batch, waiting up to `timeout`; an empty batch when none came.
  Result<SubscriptionBatch> Next(std::chrono::milliseconds timeout);
  // Hands a batch the caller is done with back to the reading thread, which
  // gives its events to the subscription to decode later pages into
  // (Subscription::Reuse): no memory is freed across threads, and little is
  // allocated or freed at all.
  void Recycle(SubscriptionBatch batch);

 private:
  void Read();

  std::unique_ptr<Subscription> subscription_;
  const size_t depth_;
  const std::chrono::milliseconds poll_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Result<SubscriptionBatch>> ready_;  // guarded by mu_; an error is last
  std::vector<SubscriptionBatch> spent_;         // guarded by mu_; freed by Read()
  bool stop_ = false;                            // guarded by mu_
  std::thread thread_;
};

}  // namespace sparbar::projections
