#include "append_load.h"

#include <grpcpp/grpcpp.h>

#include <random>

#include "closed_loop.h"
#include "eventstore/event.h"
#include "sparbar/v1/audit.grpc.pb.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::bench {
namespace {

// One client's call in flight: its context, request and response live until
// the completion, which starts the next call.
template <typename Request, typename Response>
struct Call {
  std::unique_ptr<grpc::ClientContext> ctx;
  Request req;
  Response resp;

  void Reset() {
    ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-sparbar-actor", "bench");
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  }
};

}  // namespace

std::vector<std::shared_ptr<grpc::Channel>> OpenChannels(const std::string& address, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < count; ++c) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.use_local_subchannel_pool", 1);
    args.SetInt("sparbar.bench.channel", c);  // distinct arguments: distinct connections
    channels.push_back(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

Row MeasureAppends(const AppendLoadOptions& o) {
  const auto channels = OpenChannels(o.address, std::min(o.clients, o.channels));
  std::vector<std::unique_ptr<v1::EventStore::Stub>> stubs;
  for (const auto& ch : channels) stubs.push_back(v1::EventStore::NewStub(ch));

  struct Client : Call<v1::AppendRequest, v1::AppendResponse> {
    std::mt19937_64 rng;
    std::string payload;
  };
  const StreamPicker picker(o.streams, o.distribution);
  std::vector<Client> clients(o.clients);
  for (int t = 0; t < o.clients; ++t) {
    clients[t].rng.seed(o.seed * 1000 + t);
    clients[t].payload.resize(o.payload_bytes);
    for (auto& ch : clients[t].payload) ch = static_cast<char>('a' + clients[t].rng() % 26);
  }
  auto result = RunClosedLoop(o.clients, o.seconds, [&](int t, std::function<void(bool)> done) {
    Client& c = clients[t];
    c.req.Clear();
    c.req.set_stream("bench-" + std::to_string(picker.Pick(c.rng)));
    for (int i = 0; i < o.events_per_append; ++i) {
      auto* e = c.req.add_events();
      e->set_id(Uuid::Random().ToString());
      e->set_type("bench.event");
      e->set_content_type("application/octet-stream");
      e->set_payload(c.payload);
    }
    c.Reset();
    stubs[t % stubs.size()]->async()->Append(c.ctx.get(), &c.req, &c.resp,
                                             [done](grpc::Status s) { done(s.ok()); });
  });
  return MakeRow("Spårbar durable appends (gRPC)", o.clients, o.events_per_append, result.ok,
                 result.errors, result.elapsed_seconds, result.latencies);
}

Row MeasureRpcCeiling(const AppendLoadOptions& o) {
  const auto channels = OpenChannels(o.address, std::min(o.clients, o.channels));
  std::vector<std::unique_ptr<v1::Audit::Stub>> stubs;
  for (const auto& ch : channels) stubs.push_back(v1::Audit::NewStub(ch));

  std::vector<Call<v1::GetPublicKeyRequest, v1::PublicKey>> calls(o.clients);
  auto result = RunClosedLoop(o.clients, o.seconds, [&](int t, std::function<void(bool)> done) {
    auto& c = calls[t];
    c.Reset();
    stubs[t % stubs.size()]->async()->GetPublicKey(c.ctx.get(), &c.req, &c.resp,
                                                   [done](grpc::Status s) { done(s.ok()); });
  });
  return MakeRow("gRPC ceiling: GetPublicKey, no storage work", o.clients, 0, result.ok,
                 result.errors, result.elapsed_seconds, result.latencies);
}

}  // namespace sparbar::bench
