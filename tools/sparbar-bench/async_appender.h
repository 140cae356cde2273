// AsyncAppender: appends to a store with many appends in flight (so that
// group commit fills each sync), as the benchmarks fill their logs. Append
// blocks while `max_in_flight` are pending; Finish waits for all and
// returns the first failure.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "eventstore/store.h"

namespace sparbar::bench {

class AsyncAppender {
 public:
  explicit AsyncAppender(EventStore* store, size_t max_in_flight = 512) : store_(store), max_(max_in_flight) {}
  ~AsyncAppender() { (void)Finish(); }

  void Append(const std::string& stream, std::vector<ProposedEvent> events) {
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [&] { return in_flight_ < max_; });
      ++in_flight_;
    }
    store_->AppendAsync(stream, ExpectedRevision::NoStream(), std::move(events), "bench", std::nullopt,
                        [this](Result<AppendResult> r) {
                          std::lock_guard<std::mutex> lk(mu_);
                          if (!r.ok() && failed_.ok()) failed_ = r.status();
                          --in_flight_;
                          cv_.notify_all();
                        });
  }

  Status Finish() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return in_flight_ == 0; });
    return failed_;
  }

 private:
  EventStore* store_;
  const size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t in_flight_ = 0;
  Status failed_;
};

}  // namespace sparbar::bench
