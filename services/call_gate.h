// CallGate: lets calls in until shutdown begins, and knows when they are done.
//
// Every service call holds a Pass for its whole duration. Stop() closes the
// gate: later Enter() calls get no Pass (the service answers UNAVAILABLE
// without touching the store), and long calls (Subscribe, VerifyLog) watch
// stopping() to end promptly. WaitIdle() then waits for the calls still
// inside, so that shutdown can let in-flight appends finish without waiting
// for idle client connections to go away. Thread-safe; must outlive its Passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace sparbar::services {

class CallGate {
 public:
  class Pass {
   public:
    Pass() = default;
    Pass(Pass&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    Pass& operator=(Pass&&) = delete;
    Pass(const Pass&) = delete;
    ~Pass();
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    friend class CallGate;
    explicit Pass(CallGate* gate) : gate_(gate) {}
    CallGate* gate_ = nullptr;
  };

  // A Pass that converts to true, or an empty one once the gate is stopped.
  Pass Enter();
  void Stop();
  bool stopping() const;
  // True when no call holds a Pass; false if `timeout` passed first.
  bool WaitIdle(std::chrono::milliseconds timeout);
  size_t inside() const;

 private:
  void Leave();

  mutable std::mutex mu_;
  std::condition_variable idle_;
  size_t inside_ = 0;
  bool stopping_ = false;
};

}  // namespace sparbar::services
