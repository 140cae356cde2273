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
// handler decides under the lock what to start, then starts it after.
struct AppendStreamReactor::Next {
  const v1::AppendStreamResponse* write = nullptr;
  bool read = false;
  bool finish = false;
  grpc::Status status;
};

AppendStreamReactor::AppendStreamReactor(grpc::CallbackServerContext* context, EventStore* store,
                                         const CallerResolver* callers, CallGate* gate)
    : store_(store), gate_(gate), deadline_(SteadyDeadline(*context)) {
  if (gate->stopping()) {
    finished_ = true;
    Finish(ShuttingDown());
    return;
  }
  auto caller = callers->Resolve(*context);
  if (!caller.ok()) {
    finished_ = true;
    Finish(ToGrpc(caller.status()));
    return;
  }
  actor_ = caller->actor;
  reading_ = true;
  StartRead(&request_);
}

void AppendStreamReactor::OnReadDone(bool ok) {
  std::unique_lock<std::mutex> lock(mu_);
  reading_ = false;
  if (ok) {
    lock.unlock();
    Take();
    return;
  }
  reads_done_ = true;  // the client half-closed, or the call is over
  Next next = Finishing(lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::Take() {
  const uint64_t correlation = request_.correlation();
  auto answer_now = [&](const grpc::Status& status, bool stop_reading) {
    std::unique_lock<std::mutex> lock(mu_);
    Next next = Queue(ErrorAnswer(correlation, status), lock);
    if (stop_reading) {
      reads_done_ = true;
      final_status_ = status;
    } else {
      next.read = ReadAgain(lock);
    }
    Next finish = Finishing(lock);
    next.finish = finish.finish;
    next.status = finish.status;
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
    ++in_store_;
  }
  // Handed to the store before the next read starts, so that one client's
  // appends reach the sequencer in the order it sent them.
  store_->AppendAsync(append.stream(), FromProto(append.expected()), std::move(events), actor_,
                      deadline_, [this, correlation, pass](Result<AppendResult> result) {
                        Answered(correlation, std::move(result));
                      });
  std::unique_lock<std::mutex> lock(mu_);
  Next next;
  next.read = ReadAgain(lock);
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
  if (read_paused_ && !reads_done_) {
    read_paused_ = false;
    next.read = ReadAgain(lock);
  }
  Next finish = Finishing(lock);
  next.finish = finish.finish;
  next.status = finish.status;
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::OnWriteDone(bool ok) {
  std::unique_lock<std::mutex> lock(mu_);
  outbox_.pop_front();
  if (!ok) {  // the client is gone: nobody reads the rest
    broken_ = true;
    outbox_.clear();
  }
  Next next;
  if (!outbox_.empty()) {
    next.write = &outbox_.front();
  } else {
    writing_ = false;
    next = Finishing(lock);
  }
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::OnCancel() {
  std::unique_lock<std::mutex> lock(mu_);
  broken_ = true;
  final_status_ = grpc::Status::CANCELLED;
  if (!reading_) reads_done_ = true;  // else the outstanding read ends with ok=false
  if (!writing_) outbox_.clear();
  Next next = Finishing(lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::OnDone() { delete this; }

AppendStreamReactor::Next AppendStreamReactor::Queue(v1::AppendStreamResponse answer,
                                                     std::unique_lock<std::mutex>&) {
  Next next;
  if (broken_) return next;
  outbox_.push_back(std::move(answer));  // a deque: front() stays where it is
  if (!writing_) {
    writing_ = true;
    next.write = &outbox_.front();
  }
  return next;
}

bool AppendStreamReactor::ReadAgain(std::unique_lock<std::mutex>&) {
  if (reads_done_ || broken_ || reading_) return false;
  if (in_store_ >= kMaxInFlight) {
    read_paused_ = true;
    return false;
  }
  reading_ = true;
  return true;
}

AppendStreamReactor::Next AppendStreamReactor::Finishing(std::unique_lock<std::mutex>&) {
  Next next;
  if (finished_ || !reads_done_ || reading_ || in_store_ > 0 || writing_) return next;
  finished_ = true;
  next.finish = true;
  next.status = final_status_;
  return next;
}

void AppendStreamReactor::Run(const Next& next) {
  if (next.write != nullptr) StartWrite(next.write);
  if (next.read) StartRead(&request_);
  if (next.finish) Finish(next.status);
}

}  // namespace sparbar::services
