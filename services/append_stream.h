// AppendStreamReactor: one EventStore.AppendStream call, appends over a
// long-lived bidirectional stream.
//
// Each request is one append with Append's rules, for the actor resolved once
// when the stream opened; each is answered with its correlation once its group
// commit has synced (or at once, for bad input). A failed append is answered
// with its error and the stream goes on. At most kMaxInFlight appends wait in
// the store per stream; reading pauses until answers go out. Every append
// holds a CallGate pass while it is in the store; once the gate stops, the
// next request is answered UNAVAILABLE and the stream ends UNAVAILABLE after
// every taken append is answered. A stream opened after the gate stopped, or
// without a resolvable caller, ends at once with that status. Deletes itself
// when gRPC is done with it.
#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include "eventstore/store.h"
#include "services/call_gate.h"
#include "services/caller.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::services {

class AppendStreamReactor final
    : public grpc::ServerBidiReactor<v1::AppendStreamRequest, v1::AppendStreamResponse> {
 public:
  static constexpr size_t kMaxInFlight = 256;

  AppendStreamReactor(grpc::CallbackServerContext* context, EventStore* store,
                      const CallerResolver* callers, CallGate* gate);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  struct Next;  // what to start once mu_ is released

  // Takes the request just read: answers bad input at once, else hands it to
  // the store, then reads the next.
  void Take();
  // The store's answer for one append.
  void Answered(uint64_t correlation, Result<AppendResult> result);
  // Under mu_: queue an answer; start a read if allowed; finish if all is done.
  Next Queue(v1::AppendStreamResponse answer, std::unique_lock<std::mutex>& lock);
  bool ReadAgain(std::unique_lock<std::mutex>& lock);
  Next Finishing(std::unique_lock<std::mutex>& lock);
  void Run(const Next& next);

  EventStore* const store_;
  CallGate* const gate_;
  std::string actor_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  v1::AppendStreamRequest request_;

  std::mutex mu_;
  std::deque<v1::AppendStreamResponse> outbox_;  // front() is being written while writing_
  bool writing_ = false;
  bool reading_ = false;       // a read is outstanding
  bool read_paused_ = false;   // kMaxInFlight reached: resume when an answer comes
  bool reads_done_ = false;    // no more requests will be taken
  bool broken_ = false;        // the client went away: drop answers
  size_t in_store_ = 0;        // appends the store has not answered yet
  bool finished_ = false;
  grpc::Status final_status_ = grpc::Status::OK;
};

}  // namespace sparbar::services
