// MeasureStreamAppends: the append load of MeasureAppends over
// EventStore.AppendStream, with long-lived streams that one or several
// clients share.
#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>
#include <random>
#include <unordered_map>

#include "append_load.h"
#include "closed_loop.h"
#include "eventstore/event.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::bench {
namespace {

// One stream, shared by any number of clients, as an application server's
// client library would share it. Send() queues one append; `done` is called
// with its answer, found by correlation. One request is written at a time:
// appends sent while it is being written go out together in the next one.
class StreamClient final : public grpc::ClientBidiReactor<v1::AppendStreamRequest, v1::AppendStreamResponse> {
 public:
  explicit StreamClient(v1::EventStore::Stub* stub) {
    ctx_.AddMetadata("x-sparbar-actor", "bench");
    stub->async()->AppendStream(&ctx_, this);
    StartRead(&answers_);
    StartCall();
  }

  void Send(v1::AppendRequest append, std::function<void(bool)> done) {
    std::unique_lock<std::mutex> lock(mu_);
    if (ended_) {  // the stream is over: this append fails at once
      lock.unlock();
      done(false);
      return;
    }
    const uint64_t correlation = next_correlation_++;
    waiting_.emplace(correlation, std::move(done));
    v1::StreamedAppend* queued = queued_.add_appends();
    queued->set_correlation(correlation);
    *queued->mutable_append() = std::move(append);
    if (writing_) return;  // goes out when the running write is done
    writing_ = true;
    sending_.Swap(&queued_);
    lock.unlock();
    StartWrite(&sending_);
  }

  void OnWriteDone(bool) override {
    std::unique_lock<std::mutex> lock(mu_);
    sending_.clear_appends();
    if (queued_.appends_size() == 0) {
      writing_ = false;
      idle_cv_.notify_all();
      return;
    }
    sending_.Swap(&queued_);
    lock.unlock();
    StartWrite(&sending_);
  }

  void OnReadDone(bool ok) override {
    std::vector<std::pair<std::function<void(bool)>, bool>> answered;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!ok) {  // the stream ended early: fail every append in flight
        ended_ = true;
        for (auto& [correlation, done] : waiting_) answered.emplace_back(std::move(done), false);
        waiting_.clear();
      } else {
        for (const auto& answer : answers_.answers()) {
          auto it = waiting_.find(answer.correlation());
          if (it == waiting_.end()) continue;  // not ours: ignored
          answered.emplace_back(std::move(it->second), answer.has_appended());
          waiting_.erase(it);
        }
      }
    }
    if (ok) StartRead(&answers_);
    for (auto& [done, appended] : answered) done(appended);
  }

  void OnDone(const grpc::Status& status) override {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    over_ = true;
    over_cv_.notify_all();
  }

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
  v1::AppendStreamResponse answers_;
  std::mutex mu_;
  std::condition_variable over_cv_, idle_cv_;
  std::unordered_map<uint64_t, std::function<void(bool)>> waiting_;  // correlation -> done
  uint64_t next_correlation_ = 0;
  v1::AppendStreamRequest sending_, queued_;
  bool writing_ = false, over_ = false, ended_ = false;
  grpc::Status status_;
};

}  // namespace

Row MeasureStreamAppends(const AppendLoadOptions& o, int streams) {
  const auto channels = OpenChannels(o.address, std::min(o.clients, o.channels));
  std::vector<std::unique_ptr<v1::EventStore::Stub>> stubs;
  for (const auto& ch : channels) stubs.push_back(v1::EventStore::NewStub(ch));
  std::vector<std::unique_ptr<StreamClient>> opened;
  for (int s = 0; s < std::min(streams, o.clients); ++s) {
    opened.push_back(std::make_unique<StreamClient>(stubs[s % stubs.size()].get()));
  }

  struct Client {
    StreamClient* stream;
    std::mt19937_64 rng;
    std::string payload;
  };
  const StreamPicker picker(o.streams, o.distribution);
  std::vector<Client> clients(o.clients);
  for (int t = 0; t < o.clients; ++t) {
    clients[t].stream = opened[t % opened.size()].get();
    clients[t].rng.seed(o.seed * 1000 + t);
    clients[t].payload.resize(o.payload_bytes);
    for (auto& ch : clients[t].payload) ch = static_cast<char>('a' + clients[t].rng() % 26);
  }
  auto result = RunClosedLoop(o.clients, o.seconds, [&](int t, std::function<void(bool)> done) {
    Client& c = clients[t];
    v1::AppendRequest append;
    append.set_stream("bench-" + std::to_string(picker.Pick(c.rng)));
    for (int i = 0; i < o.events_per_append; ++i) {
      auto* e = append.add_events();
      e->set_id(Uuid::Random().ToString());
      e->set_type("bench.event");
      e->set_content_type("application/octet-stream");
      e->set_payload(c.payload);
    }
    c.stream->Send(std::move(append), std::move(done));
  });
  uint64_t errors = result.errors;
  for (auto& s : opened) {
    if (!s->Close().ok()) ++errors;
  }
  const std::string scenario = opened.size() == clients.size()
                                   ? "Spårbar durable appends (gRPC stream per client)"
                                   : "Spårbar durable appends (gRPC, " + std::to_string(opened.size()) +
                                         " streams shared by the clients)";
  return MakeRow(scenario, o.clients, o.events_per_append, result.ok, errors, result.elapsed_seconds,
                 result.latencies);
}

}  // namespace sparbar::bench
