#include "eventstore/completer.h"

#include <pthread.h>

namespace sparbar {

Completer::Completer() : thread_([this] { Loop(); }) {}

Completer::~Completer() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void Completer::Post(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    work_.push_back(std::move(work));
  }
  cv_.notify_one();
}

void Completer::Loop() {
  pthread_setname_np(pthread_self(), "sparbar-answer");
  std::unique_lock<std::mutex> lk(mu_);
  while (true) {
    cv_.wait(lk, [&] { return stop_ || !work_.empty(); });
    if (work_.empty()) return;  // stopping, and everything posted has run
    auto work = std::move(work_.front());
    work_.pop_front();
    lk.unlock();
    work();
    lk.lock();
  }
}

}  // namespace sparbar
