#include "append_load.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "eventstore/event.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::bench {

Row MeasureAppends(const AppendLoadOptions& o) {
  // A few connections, shared by the client threads, as a pool of
  // application servers would have; each its own TCP connection.
  const int channels = std::min(o.clients, o.channels);
  std::vector<std::unique_ptr<v1::EventStore::Stub>> stubs;
  for (int c = 0; c < channels; ++c) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    args.SetInt("sparbar.bench.channel", c);
    stubs.push_back(v1::EventStore::NewStub(
        grpc::CreateCustomChannel(o.address, grpc::InsecureChannelCredentials(), args)));
  }

  // Each client keeps exactly one append in flight: when one completes it
  // records the latency and sends the next. Completions arrive on gRPC's
  // callback threads, so 64 clients do not need 64 blocked threads here.
  struct Client {
    int index = 0;
    std::mt19937_64 rng;
    std::string payload;
    v1::EventStore::Stub* stub = nullptr;
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::AppendRequest req;
    v1::AppendResponse resp;
    std::chrono::steady_clock::time_point sent;
    Latencies latencies;
    uint64_t ok = 0, errors = 0;
  };
  std::atomic<bool> stop{false};
  std::atomic<int> in_flight{0};
  std::mutex done_mu;
  std::condition_variable done_cv;
  std::vector<std::unique_ptr<Client>> clients;
  std::function<void(Client&)> send = [&](Client& c) {
    c.req.Clear();
    c.req.set_stream("bench-" + std::to_string(c.rng() % o.streams));
    for (int i = 0; i < o.events_per_append; ++i) {
      auto* e = c.req.add_events();
      e->set_id(Uuid::Random().ToString());
      e->set_type("bench.event");
      e->set_content_type("application/octet-stream");
      e->set_payload(c.payload);
    }
    c.ctx = std::make_unique<grpc::ClientContext>();
    c.ctx->AddMetadata("x-sparbar-actor", "bench");
    c.ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    c.sent = std::chrono::steady_clock::now();
    c.stub->async()->Append(c.ctx.get(), &c.req, &c.resp, [&, client = &c](grpc::Status s) {
      client->latencies.Add(std::chrono::steady_clock::now() - client->sent);
      if (s.ok()) ++client->ok;
      else ++client->errors;
      if (!stop.load(std::memory_order_relaxed)) {
        send(*client);
        return;
      }
      std::lock_guard<std::mutex> lk(done_mu);
      if (--in_flight == 0) done_cv.notify_all();
    });
  };
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.clients; ++t) {
    auto c = std::make_unique<Client>();
    c->index = t;
    c->rng.seed(o.seed * 1000 + t);
    c->payload.resize(o.payload_bytes);
    for (auto& ch : c->payload) ch = static_cast<char>('a' + c->rng() % 26);
    c->stub = stubs[t % channels].get();
    clients.push_back(std::move(c));
  }
  in_flight = o.clients;
  for (auto& c : clients) send(*c);
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  {
    std::unique_lock<std::mutex> lk(done_mu);
    done_cv.wait(lk, [&] { return in_flight.load() == 0; });
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Latencies all;
  uint64_t total_ok = 0, total_errors = 0;
  for (auto& c : clients) {
    all.Merge(c->latencies);
    total_ok += c->ok;
    total_errors += c->errors;
  }
  Row row;
  row.scenario = "Spårbar durable appends (gRPC)";
  row.clients = o.clients;
  row.events_per_op = o.events_per_append;
  row.ops_per_second = static_cast<double>(total_ok) / elapsed;
  row.events_per_second = row.ops_per_second * o.events_per_append;
  row.p50_us = all.PercentileMicros(50);
  row.p99_us = all.PercentileMicros(99);
  row.p999_us = all.PercentileMicros(99.9);
  row.errors = total_errors;
  return row;
}

}  // namespace sparbar::bench
