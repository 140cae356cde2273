// MeasureStreamAppends: the append load of MeasureAppends over
// EventStore.AppendStream, one long-lived stream per client.
#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>
#include <random>

#include "append_load.h"
#include "closed_loop.h"
#include "eventstore/event.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::bench {
namespace {

// One client's stream. Send() writes one append; `done` is called with its
// answer. The closed loop keeps one append in flight, but its answer may come
// back before gRPC reports the write done, so a second Send() waits for that.
class StreamClient final : public grpc::ClientBidiReactor<v1::AppendStreamRequest, v1::AppendStreamResponse> {
 public:
  explicit StreamClient(v1::EventStore::Stub* stub) {
    ctx_.AddMetadata("x-sparbar-actor", "bench");
    stub->async()->AppendStream(&ctx_, this);
    StartRead(&answer_);
    StartCall();
  }

  void Send(v1::AppendStreamRequest request, std::function<void(bool)> done) {
    std::unique_lock<std::mutex> lock(mu_);
    if (ended_) {  // the stream is over: this append fails at once
      lock.unlock();
      done(false);
      return;
    }
    done_ = std::move(done);
    if (writing_) {
      queued_ = std::move(request);
      has_queued_ = true;
      return;
    }
    writing_ = true;
    sending_ = std::move(request);
    lock.unlock();
    StartWrite(&sending_);
  }

  void OnWriteDone(bool) override {
    std::unique_lock<std::mutex> lock(mu_);
    if (!has_queued_) {
      writing_ = false;
      idle_cv_.notify_all();
      return;
    }
    sending_ = std::move(queued_);
    has_queued_ = false;
    lock.unlock();
    StartWrite(&sending_);
  }

  void OnReadDone(bool ok) override {
    std::function<void(bool)> done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done = std::move(done_);
      done_ = nullptr;
      if (!ok) ended_ = true;
    }
    if (!ok) {  // the stream ended early: fail the append in flight, if any
      if (done) done(false);
      return;
    }
    const bool appended = answer_.has_appended();
    StartRead(&answer_);
    if (done) done(appended);
  }

  void OnDone(const grpc::Status& status) override {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    over_ = true;
    over_cv_.notify_all();
  }

  // Half-closes and waits for the server to end the stream.
  // Half-closes once no write is outstanding, and waits for the server to
  // end the stream.
  grpc::Status Close() {
    {
      std::unique_lock<std::mutex> lock(mu_);
      idle_cv_.wait(lock, [&] { return !writing_; });
    }
    StartWritesDone();
    std::unique_lock<std::mutex> lock(mu_);
    over_cv_.wait(lock, [&] { return over_; });
    return status_;
  }

 private:
  grpc::ClientContext ctx_;
  v1::AppendStreamResponse answer_;
  std::mutex mu_;
  std::condition_variable over_cv_, idle_cv_;
  std::function<void(bool)> done_;
  v1::AppendStreamRequest sending_, queued_;
  bool writing_ = false, has_queued_ = false, over_ = false, ended_ = false;
  grpc::Status status_;
};

}  // namespace

Row MeasureStreamAppends(const AppendLoadOptions& o) {
  const auto channels = OpenChannels(o.address, std::min(o.clients, o.channels));
  std::vector<std::unique_ptr<v1::EventStore::Stub>> stubs;
  for (const auto& ch : channels) stubs.push_back(v1::EventStore::NewStub(ch));

  struct Client {
    std::unique_ptr<StreamClient> stream;
    std::mt19937_64 rng;
    std::string payload;
    uint64_t next = 0;
  };
  std::vector<Client> clients(o.clients);
  for (int t = 0; t < o.clients; ++t) {
    clients[t].stream = std::make_unique<StreamClient>(stubs[t % stubs.size()].get());
    clients[t].rng.seed(o.seed * 1000 + t);
    clients[t].payload.resize(o.payload_bytes);
    for (auto& ch : clients[t].payload) ch = static_cast<char>('a' + clients[t].rng() % 26);
  }
  auto result = RunClosedLoop(o.clients, o.seconds, [&](int t, std::function<void(bool)> done) {
    Client& c = clients[t];
    v1::AppendStreamRequest req;
    req.set_correlation(c.next++);
    v1::AppendRequest* append = req.mutable_append();
    append->set_stream("bench-" + std::to_string(c.rng() % o.streams));
    for (int i = 0; i < o.events_per_append; ++i) {
      auto* e = append->add_events();
      e->set_id(Uuid::Random().ToString());
      e->set_type("bench.event");
      e->set_content_type("application/octet-stream");
      e->set_payload(c.payload);
    }
    c.stream->Send(std::move(req), std::move(done));
  });
  uint64_t errors = result.errors;
  for (auto& c : clients) {
    if (!c.stream->Close().ok()) ++errors;
  }
  return MakeRow("Spårbar durable appends (gRPC stream per client)", o.clients, o.events_per_append,
                 result.ok, errors, result.elapsed_seconds, result.latencies);
}

}  // namespace sparbar::bench
