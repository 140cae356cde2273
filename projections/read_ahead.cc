#include "projections/read_ahead.h"

#include <pthread.h>

namespace sparbar::projections {

ReadAhead::ReadAhead(std::unique_ptr<Subscription> subscription, size_t depth, std::chrono::milliseconds poll)
    : subscription_(std::move(subscription)), depth_(depth == 0 ? 1 : depth), poll_(poll) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "sparbar-readah");
    Read();
  });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAhead::Read() {
  std::vector<SubscriptionBatch> spent;
  uint64_t forwarded = 0;  // the position in the last batch handed on
  while (true) {
    {
      std::unique_lock<std::mutex> lk(mu_);
      changed_.wait(lk, [&] { return stop_ || ready_.size() < depth_ || !spent_.empty(); });
      if (stop_) return;
      spent.swap(spent_);
    }
    // Handed back to the subscription, outside the lock: its next pages
    // decode into these records, reusing their strings (malloc and free
    // were a third of this thread's time in a catch-up, perf).
    for (SubscriptionBatch& b : spent) subscription_->Reuse(std::move(b.events));
    spent.clear();
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (ready_.size() >= depth_) continue;  // woken only to free
    }
    auto batch = subscription_->Next(poll_);
    const bool failed = !batch.ok();
    if (!failed && batch->events.empty() && !batch->caught_up && batch->next_position <= forwarded) {
      continue;  // nothing new yet
    }
    if (!failed) forwarded = batch->next_position;
    {
      std::lock_guard<std::mutex> lk(mu_);
      ready_.push_back(std::move(batch));
    }
    changed_.notify_all();
    if (failed) return;
  }
}

void ReadAhead::Recycle(SubscriptionBatch batch) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    spent_.push_back(std::move(batch));
  }
  changed_.notify_all();
}

Result<SubscriptionBatch> ReadAhead::Next(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu_);
  if (!changed_.wait_for(lk, timeout, [&] { return !ready_.empty(); })) return SubscriptionBatch{};
  if (!ready_.front().ok()) return ready_.front().status();  // it stays: every later call returns it too
  Result<SubscriptionBatch> batch = std::move(ready_.front());
  ready_.pop_front();
  lk.unlock();
  changed_.notify_all();
  return batch;
}

}  // namespace sparbar::projections
