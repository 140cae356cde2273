// Completer: one thread that runs completion work handed over by the
// sequencer, in order, so that answering the callers of one synced batch
// (which may mean socket writes) overlaps with staging and syncing the next.
//
// Post() never blocks on the work itself. The destructor runs everything
// posted before it and joins the thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace sparbar {

class Completer {
 public:
  Completer();
  ~Completer();
  Completer(const Completer&) = delete;
  Completer& operator=(const Completer&) = delete;

  void Post(std::function<void()> work);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> work_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sparbar
