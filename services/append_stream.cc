#include "services/append_stream.h"

#include <memory>
#include <utility>
#include <vector>

#include "services/grpc_status.h"
#include "services/proto_convert.h"

namespace sparbar::services {
namespace {

v1::StreamedAnswer ErrorAnswer(uint64_t correlation, const grpc::Status& status) {
  v1::StreamedAnswer answer;
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
  // What to do with each append of the request: refuse it at once with a
  // status, or hand it to the store.
  struct Taken {
    uint64_t correlation;
    const v1::AppendRequest* append;
    std::vector<ProposedEvent> events;
  };
  std::vector<Taken> taken;
  std::vector<v1::StreamedAnswer> refused;
  std::optional<grpc::Status> end;  // stop reading and end the stream with this

  // A request that breaks the protocol ends the stream, without an answer
  // per append: answering each of millions of empty appends would not fit
  // in memory or in one response.
  const int count = request_.appends_size();
  auto pass = std::make_shared<CallGate::Pass>(gate_->Enter());
  if (count == 0) {
    end = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "an AppendStream request must carry at least one append; the stream ends here "
                       "(appends taken before it are answered)");
  } else if (count > kMaxAppendsPerRequest) {
    end = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "an AppendStream request carries " + std::to_string(count) + " appends; at most " +
                           std::to_string(kMaxAppendsPerRequest) +
                           " per request. None of them was written; the stream ends here (appends taken "
                           "before it are answered)");
  } else if (!*pass) {
    end = ShuttingDown();
    for (const auto& a : request_.appends()) refused.push_back(ErrorAnswer(a.correlation(), *end));
  } else {
    for (const auto& a : request_.appends()) {
      if (!a.has_append()) {
        refused.push_back(ErrorAnswer(a.correlation(),
                                      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                                   "append stream request " + std::to_string(a.correlation()) +
                                                       " has no `append`; nothing was written")));
        continue;
      }
      Taken t{a.correlation(), &a.append(), {}};
      t.events.reserve(a.append().events_size());
      Status bad;
      for (int i = 0; i < a.append().events_size() && bad.ok(); ++i) {
        auto event = FromProto(a.append().events(i), static_cast<size_t>(i));
        if (event.ok()) {
          t.events.push_back(std::move(event.value()));
        } else {
          bad = event.status();
        }
      }
      if (!bad.ok()) {
        refused.push_back(ErrorAnswer(a.correlation(), ToGrpc(bad)));
      } else {
        taken.push_back(std::move(t));
      }
    }
  }

  {
    std::unique_lock<std::mutex> lock(mu_);
    in_store_ += taken.size();  // from here on the call waits for the store's answers
    for (auto& answer : refused) Queue(std::move(answer), lock);
    Next next;
    next.write = WriteIfIdle(lock);
    if (end) {  // nothing was taken
      taking_ = false;
      reads_done_ = true;
      if (!broken_) final_status_ = *end;
      Finishing(&next, lock);
      lock.unlock();
      Run(next);
      return;  // the call may be finished and this reactor gone
    }
    lock.unlock();
    Run(next);  // taking_ is still set, so no answer written meanwhile can finish the call
  }
  // Handed to the store in order, before the next read starts, so that one
  // client's appends reach the sequencer in the order it sent them.
  for (auto& t : taken) {
    store_->AppendAsync(t.append->stream(), FromProto(t.append->expected()), std::move(t.events), actor_,
                        deadline_, [this, correlation = t.correlation, pass](Result<AppendResult> result) {
                          Answered(correlation, std::move(result));
                        });
  }
  std::unique_lock<std::mutex> lock(mu_);
  taking_ = false;
  Next next;
  next.read = ReadAgain(lock);
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::Answered(uint64_t correlation, Result<AppendResult> result) {
  v1::StreamedAnswer answer;
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
  Queue(std::move(answer), lock);
  Next next;
  next.write = WriteIfIdle(lock);
  Finishing(&next, lock);
  lock.unlock();
  Run(next);
}

void AppendStreamReactor::OnWriteDone(bool ok) {
  std::unique_lock<std::mutex> lock(mu_);
  writing_msg_.clear_answers();
  if (!ok) {  // the client is gone: nobody reads the rest
    broken_ = true;
    reads_done_ = true;
    pending_.clear_answers();
  }
  writing_ = false;
  Next next;
  next.write = WriteIfIdle(lock);  // everything that queued meanwhile, in one response
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
  pending_.clear_answers();  // a write still running ends with ok=false
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

void AppendStreamReactor::Queue(v1::StreamedAnswer answer, std::unique_lock<std::mutex>&) {
  if (broken_ || finished_) return;
  *pending_.add_answers() = std::move(answer);
}

const v1::AppendStreamResponse* AppendStreamReactor::WriteIfIdle(std::unique_lock<std::mutex>&) {
  if (writing_ || pending_.answers_size() == 0) return nullptr;
  writing_ = true;
  writing_msg_.Swap(&pending_);  // pending_ is now the emptied previous response
  return &writing_msg_;
}

bool AppendStreamReactor::ReadAgain(std::unique_lock<std::mutex>&) {
  if (broken_ || stopping_) reads_done_ = true;
  if (reads_done_ || reading_ || finished_) return false;
  const size_t unwritten = static_cast<size_t>(pending_.answers_size()) +
                           (writing_ ? static_cast<size_t>(writing_msg_.answers_size()) : 0);
  if (in_store_ + unwritten >= kMaxInFlight) {
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
