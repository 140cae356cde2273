// AppendStreamReactor: one EventStore.AppendStream call, appends over a
// long-lived bidirectional stream.
//
// Each request carries one or more appends (at most kMaxAppendsPerRequest),
// each with Append's rules, for the actor resolved once when the stream
// opened; each is answered with its correlation once its group commit has
// synced (or at once, for bad input). A failed append is answered with its
// error and the stream goes on; a request with no appends, or more than
// kMaxAppendsPerRequest, ends the stream INVALID_ARGUMENT (none of its
// appends written or answered). Answers that queue while a response is being written go
// out together in the next response. Once kMaxInFlight appends are taken and
// not yet answered on the wire (in the store, or answered but not yet
// written), reading pauses until answers go out, so a client that does not
// read its answers is held back by HTTP/2 flow control.
//
// Each append holds a CallGate pass while the store has it. When the gate
// stops, the stream stops reading, answers every append it took, and ends
// UNAVAILABLE; a request that arrived meanwhile is answered UNAVAILABLE and
// not taken. A stream opened after the gate stopped, or without a resolvable
// caller, ends at once with that status. Deletes itself when gRPC is done.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
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
  static constexpr int kMaxAppendsPerRequest = 256;

  AppendStreamReactor(grpc::CallbackServerContext* context, EventStore* store,
                      const CallerResolver* callers, CallGate* gate);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  struct Next;  // what to start once mu_ is released

  // Takes the request just read: answers bad input at once, hands the other
  // appends to the store in order, then reads the next.
  void Take();
  // The store's answer for one append.
  void Answered(uint64_t correlation, Result<AppendResult> result);
  // The gate stopped: stop reading; finish once every taken append is answered.
  std::function<void()> OnGateStop();

  // Under mu_: queue an answer for the next response (dropped once the
  // client is gone).
  void Queue(v1::StreamedAnswer answer, std::unique_lock<std::mutex>& lock);
  // Under mu_: when no write is running, makes every queued answer the next
  // response and returns it, to be written once mu_ is released.
  const v1::AppendStreamResponse* WriteIfIdle(std::unique_lock<std::mutex>& lock);
  bool ReadAgain(std::unique_lock<std::mutex>& lock);
  void Finishing(Next* next, std::unique_lock<std::mutex>& lock);
  void Run(const Next& next);

  EventStore* const store_;
  CallGate* const gate_;
  std::string actor_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::shared_ptr<StopSignal> stop_signal_;
  v1::AppendStreamRequest request_;

  std::mutex mu_;
  v1::AppendStreamResponse writing_msg_;  // being written while writing_
  v1::AppendStreamResponse pending_;      // answers queued meanwhile: the next write
  bool writing_ = false;
  bool reading_ = false;      // a read is outstanding
  bool taking_ = false;       // a request was read and is not yet in the store or answered
  bool read_paused_ = false;  // kMaxInFlight reached: resume when an answer is written
  bool reads_done_ = false;   // no more requests will be read
  bool stopping_ = false;     // the gate stopped: finish without waiting for a pending read
  bool broken_ = false;       // the call is cancelled or the client is gone: drop answers
  size_t in_store_ = 0;       // appends the store has not answered yet
  bool finished_ = false;
  grpc::Status final_status_ = grpc::Status::OK;
};

}  // namespace sparbar::services
