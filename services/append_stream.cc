#include "services/append_stream.h"

#include <memory>
#include <utility>
#include <vector>

#include "services/grpc_status.h"
#include "services/proto_convert.h"

namespace sparbar::services {
namespace {

v1::AppendStreamResponse ErrorAnswer(uint64_t correlation, const grpc::Status& status) {
  v1::AppendStreamResponse answer;
  answer.set_correlation(correlation);
  answer.mutable_error()->set_code(static_cast<int32_t>(status.error_code()));
  answer.mutable_error()->set_message(status.error_message());
  return answer;
}

}  // namespace

// gRPC may run a reaction inline inside StartRead/StartWrite/Finish, on the
// calling thread, so no reactor operation is started while mu_ is held: each
// handler decides under the lock what to start, then starts it after. Once
// `finish` is decided (finished_ set), nothing else is started.
struct AppendStreamReactor::Next {
  const v1::AppendStreamResponse* write = nullptr;
  bool read = false;
  bool finish = false;
  grpc::Status status;
};

AppendStreamReactor::AppendStreamReactor(grpc::CallbackServerContext* context, EventStore* store,
                                         const CallerResolver* callers, CallGate* gate)
    : store_(store), gate_(gate), deadline_(SteadyDeadline(*context)) {
  auto caller = callers->Resolve(*context);
  if (!caller.ok()) {
    finished_ = true;
    Finish(ToGrpc(caller.status()));
    return;
  }
  actor_ = caller->actor;
  // Operations started before the handler returns are only queued by gRPC
  // (no reaction can run inline here), so holding mu_ is safe; it keeps a
  // Stop() on another thread from deciding anything until the read is set up.
  std::lock_guard<std::mutex> lock(mu_);
  stop_signal_ = gate->Watch([this] { return OnGateStop(); });
  if (!stop_signal_) {
    finished_ = true;
    Finish(ShuttingDown());
    return;
  }
  reading_ = true;
  StartRead(&request_);
}

void AppendStreamReactor::OnReadDone(bool ok) {
  std::unique_lock<std::mutex> lock(mu_);
  reading_ = false;
  if (ok && !finished_) {
    taking_ = true;  // until Take has handed the request on: the call must not finish
    lock.unlock();
    Take();
    return;
  }
  reads_done_ = true;  // the client half-closed, or the call is over
  Next next;
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::Take() {
  const uint64_t correlation = request_.correlation();
  auto answer_now = [&](const grpc::Status& status, bool stop_reading) {
    std::unique_lock<std::mutex> lock(mu_);
    taking_ = false;
    Next next = Queue(ErrorAnswer(correlation, status), lock);
    if (stop_reading) {
      reads_done_ = true;
      if (!broken_) final_status_ = status;
    } else {
      next.read = ReadAgain(lock);
    }
    Finishing(&next, lock);
    lock.unlock();
    Run(next);
  };

  auto pass = std::make_shared<CallGate::Pass>(gate_->Enter());
  if (!*pass) return answer_now(ShuttingDown(), /*stop_reading=*/true);
  if (!request_.has_append()) {
    return answer_now(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "append stream request " + std::to_string(correlation) +
                                       " has no `append`; nothing was written"),
                      false);
  }
  const v1::AppendRequest& append = request_.append();
  std::vector<ProposedEvent> events;
  events.reserve(append.events_size());
  for (int i = 0; i < append.events_size(); ++i) {
    auto event = FromProto(append.events(i), static_cast<size_t>(i));
    if (!event.ok()) return answer_now(ToGrpc(event.status()), false);
    events.push_back(std::move(event.value()));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++in_store_;  // from here on the call waits for the store's answer
    taking_ = false;
  }
  // Handed to the store before the next read starts, so that one client's
  // appends reach the sequencer in the order it sent them.
  store_->AppendAsync(append.stream(), FromProto(append.expected()), std::move(events), actor_, deadline_,
                      [this, correlation, pass](Result<AppendResult> result) {
                        Answered(correlation, std::move(result));
                      });
  std::unique_lock<std::mutex> lock(mu_);
  Next next;
  next.read = ReadAgain(lock);
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::Answered(uint64_t correlation, Result<AppendResult> result) {
  v1::AppendStreamResponse answer;
  if (result.ok()) {
    answer.set_correlation(correlation);
    v1::AppendResponse* appended = answer.mutable_appended();
    appended->set_first_position(result->first_position);
    appended->set_last_position(result->last_position);
    appended->set_first_revision(result->first_revision);
    appended->set_last_revision(result->last_revision);
    appended->set_duplicate(result->duplicate);
    appended->set_log_size(result->log_size);
  } else {
    answer = ErrorAnswer(correlation, Answer("AppendStream", result.status()));
  }
  std::unique_lock<std::mutex> lock(mu_);
  --in_store_;
  Next next = Queue(std::move(answer), lock);
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::OnWriteDone(bool ok) {
  std::unique_lock<std::mutex> lock(mu_);
  outbox_.pop_front();
  if (!ok) {  // the client is gone: nobody reads the rest
    broken_ = true;
    reads_done_ = true;
    outbox_.clear();
  }
  Next next;
  if (!outbox_.empty()) {
    next.write = &outbox_.front();
  } else {
    writing_ = false;
  }
  if (read_paused_) {  // an answer went out: there may be room again
    read_paused_ = false;
    next.read = ReadAgain(lock);
  }
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::OnCancel() {
  std::unique_lock<std::mutex> lock(mu_);
  broken_ = true;
  reads_done_ = true;
  final_status_ = grpc::Status::CANCELLED;
  if (!writing_) outbox_.clear();
  Next next;
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

std::function<void()> AppendStreamReactor::OnGateStop() {
  std::unique_lock<std::mutex> lock(mu_);
  if (finished_) return nullptr;
  stopping_ = true;
  reads_done_ = true;
  if (!broken_) final_status_ = ShuttingDown();
  Next next;
  Finishing(&next, lock);
  if (!next.finish) return nullptr;  // the last answer out will finish the call
  // Finish may run OnDone, which disarms the signal: run it after Fire has
  // released the signal's lock. finished_ is set, so nothing else finishes
  // or deletes the reactor before this runs.
  return [this, status = next.status] { Finish(status); };
}

void AppendStreamReactor::OnDone() {
  if (stop_signal_) stop_signal_->Disarm();
  delete this;
}

AppendStreamReactor::Next AppendStreamReactor::Queue(v1::AppendStreamResponse answer,
                                                     std::unique_lock<std::mutex>&) {
  Next next;
  if (broken_ || finished_) return next;
  outbox_.push_back(std::move(answer));  // a deque: front() stays where it is
  if (!writing_) {
    writing_ = true;
    next.write = &outbox_.front();
  }
  return next;
}

bool AppendStreamReactor::ReadAgain(std::unique_lock<std::mutex>&) {
  if (broken_ || stopping_) reads_done_ = true;
  if (reads_done_ || reading_ || finished_) return false;
  if (in_store_ + outbox_.size() >= kMaxInFlight) {
    read_paused_ = true;
    return false;
  }
  reading_ = true;
  return true;
}

void AppendStreamReactor::Finishing(Next* next, std::unique_lock<std::mutex>&) {
  if (finished_ || !reads_done_ || taking_ || in_store_ > 0 || writing_) return;
  // A read still outstanding is fine when the call is cancelled or the server
  // stops: Finish ends it (with ok=false). Otherwise wait for it to come back.
  if (reading_ && !broken_ && !stopping_) return;
  finished_ = true;
  next->finish = true;
  next->status = final_status_;
}

void AppendStreamReactor::Run(const Next& next) {
  if (next.write != nullptr) StartWrite(next.write);
  if (next.read) StartRead(&request_);
  if (next.finish) Finish(next.status);
}

}  // namespace sparbar::services
