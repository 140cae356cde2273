// CallGate: lets calls in until shutdown begins, and knows when they are done.
//
// Every unary call holds a Pass for its whole duration, and every append on
// an AppendStream while the store has it. Stop() closes the gate: later
// Enter() calls get no Pass (the service answers UNAVAILABLE without touching
// the store). Long calls end promptly: Subscribe and VerifyLog poll
// stopping(); callback-API streams register a StopSignal, fired by Stop(). WaitIdle() then waits for the calls still
// inside, so that shutdown can let in-flight appends finish without waiting
// for idle client connections to go away. Thread-safe; must outlive its Passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sparbar::services {

// What a long call does when the gate stops. `on_stop` runs at most once, on
// Stop()'s thread, under the signal's lock; it returns an action (or nothing)
// that runs after the lock is released, for work that may re-enter the call
// (gRPC may run a reactor's OnDone inside Finish). Disarm() waits for a
// running `on_stop` to return; after it, `on_stop` never runs.
class StopSignal {
 public:
  using OnStop = std::function<std::function<void()>()>;
  explicit StopSignal(OnStop on_stop) : on_stop_(std::move(on_stop)) {}
  void Fire();
  void Disarm();

 private:
  std::mutex mu_;
  OnStop on_stop_;
  bool armed_ = true;
};

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
  // A signal Stop() will fire; nullptr when the gate is already stopped. The
  // gate holds it weakly: the caller keeps it alive and disarms it when done.
  std::shared_ptr<StopSignal> Watch(StopSignal::OnStop on_stop);
  // True when no call holds a Pass; false if `timeout` passed first.
  bool WaitIdle(std::chrono::milliseconds timeout);
  size_t inside() const;

 private:
  void Leave();

  mutable std::mutex mu_;
  std::condition_variable idle_;
  size_t inside_ = 0;
  bool stopping_ = false;
  std::vector<std::weak_ptr<StopSignal>> signals_;
};

}  // namespace sparbar::services
