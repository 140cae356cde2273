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

void StopSignal::Fire() {
  std::function<void()> after;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (!armed_) return;
    armed_ = false;
    after = on_stop_();
  }
  if (after) after();
}

void StopSignal::Disarm() {
  std::lock_guard<std::mutex> lk(mu_);
  armed_ = false;
}

void CallGate::Stop() {
  std::vector<std::weak_ptr<StopSignal>> signals;
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
    signals.swap(signals_);
  }
  for (auto& weak : signals) {
    if (auto signal = weak.lock()) signal->Fire();
  }
}

std::shared_ptr<StopSignal> CallGate::Watch(StopSignal::OnStop on_stop) {
  auto signal = std::make_shared<StopSignal>(std::move(on_stop));
  std::lock_guard<std::mutex> lk(mu_);
  if (stopping_) return nullptr;
  // Forget the signals of calls that have ended, so the list stays as long
  // as the number of open calls.
  std::erase_if(signals_, [](const std::weak_ptr<StopSignal>& w) { return w.expired(); });
  signals_.push_back(signal);
  return signal;
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
