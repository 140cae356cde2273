#include "services/call_gate.h"

namespace sparbar::services {

CallGate::Pass::~Pass() {
  if (gate_ != nullptr) gate_->Leave();
}

CallGate::Pass CallGate::Enter() {
  std::lock_guard<std::mutex> lk(mu_);
  if (stopping_) return Pass();
  ++inside_;
  return Pass(this);
}

void CallGate::Leave() {
  std::lock_guard<std::mutex> lk(mu_);
  if (--inside_ == 0) idle_.notify_all();
}

void CallGate::Stop() {
  std::lock_guard<std::mutex> lk(mu_);
  stopping_ = true;
}

bool CallGate::stopping() const {
  std::lock_guard<std::mutex> lk(mu_);
  return stopping_;
}

bool CallGate::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu_);
  return idle_.wait_for(lk, timeout, [this] { return inside_ == 0; });
}

size_t CallGate::inside() const {
  std::lock_guard<std::mutex> lk(mu_);
  return inside_;
}

}  // namespace sparbar::services
