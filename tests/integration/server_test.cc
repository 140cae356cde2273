// The sparbar-server process: health, transport policy, graceful shutdown
// under load, and restarts that keep the log and its key.
#include <catch2/catch.hpp>

#include <grpcpp/support/sync_stream.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "eventstore/merkle/hash.h"
#include "eventstore/merkle/verify.h"
#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

// grpc.health.v1.Health/Check, called without generated code (Debian ships no
// health.proto): the request {service: ""} encodes as no bytes, and the
// answer {status: SERVING} as field 1 varint 1.
grpc::Status HealthCheck(Client& c, std::string* response_bytes) {
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  {
    grpc::Slice empty("");
    request = grpc::ByteBuffer(&empty, 1);
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::internal::RpcMethod method("/grpc.health.v1.Health/Check", grpc::internal::RpcMethod::NORMAL_RPC);
  grpc::Status st = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      c.channel.get(), method, &ctx, request, &response);
  if (st.ok()) {
    std::vector<grpc::Slice> slices;
    (void)response.Dump(&slices);
    response_bytes->clear();
    for (const auto& s : slices) response_bytes->append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return st;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

}  // namespace

TEST_CASE("server reflection lists the services", "[integration][server]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::internal::RpcMethod method("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                   grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          c.channel.get(), method, &ctx));
  // ServerReflectionRequest{list_services: "*"}: field 7, length-delimited.
  grpc::Slice request_bytes(std::string("\x3a\x01*", 3));
  grpc::ByteBuffer request(&request_bytes, 1);
  REQUIRE(stream->Write(request));
  REQUIRE(stream->WritesDone());
  grpc::ByteBuffer response;
  REQUIRE(stream->Read(&response));
  const std::string bytes = Flatten(response);
  CHECK_THAT(bytes, Catch::Contains("sparbar.v1.EventStore"));
  CHECK_THAT(bytes, Catch::Contains("sparbar.v1.Audit"));
  CHECK_THAT(bytes, Catch::Contains("sparbar.v1.deviations.Deviations"));
  CHECK_THAT(bytes, Catch::Contains("grpc.health.v1.Health"));
  while (stream->Read(&response)) {
  }
  CHECK(stream->Finish().ok());
}

TEST_CASE("the standard health service answers SERVING", "[integration][server]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  std::string bytes;
  grpc::Status st = HealthCheck(c, &bytes);
  REQUIRE(st.ok());
  CHECK(bytes == std::string("\x08\x01", 2));
}

TEST_CASE("plaintext is refused off loopback and without --dev, before the data is touched",
          "[integration][server]") {
  TempDir parent;
  const std::string data = (parent.path() / "data").string();
  std::string log;

  int code = RunServerToExit({"--dev", "--listen", "0.0.0.0:0", "--data", data}, &log);
  CHECK(code == 1);
  CHECK_THAT(log, Catch::Contains("loopback"));
  CHECK(std::count(log.begin(), log.end(), '\n') == 1);

  code = RunServerToExit({"--dev", "--listen", "[::]:0", "--data", data}, &log);
  CHECK(code == 1);
  CHECK_THAT(log, Catch::Contains("loopback"));

  code = RunServerToExit({"--listen", "127.0.0.1:0", "--data", data}, &log);
  CHECK(code == 1);
  CHECK_THAT(log, Catch::Contains("TLS"));
  CHECK_THAT(log, Catch::Contains("--dev"));

  code = RunServerToExit({"--dev", "--listen", "127.0.0.1", "--data", data}, &log);
  CHECK(code == 1);
  CHECK_THAT(log, Catch::Contains("port"));

  CHECK_FALSE(std::filesystem::exists(data));

  code = RunServerToExit({"--dev", "--listen", "127.0.0.1:0"}, &log);
  CHECK(code != 0);
  CHECK_THAT(log, Catch::Contains("--data"));
}

TEST_CASE("loopback forms other than 127.0.0.1 are accepted with --dev", "[integration][server]") {
  for (const std::string listen : {"localhost:0", "127.0.0.2:0", "[::1]:0"}) {
    INFO(listen);
    TempDir data;
    std::unique_ptr<ServerProcess> server;
    try {
      server = std::make_unique<ServerProcess>(data.str(), std::vector<std::string>{}, listen);
    } catch (const std::exception& e) {
      // A container without IPv6 cannot bind [::1]; the server must then say so.
      if (listen == "[::1]:0" && std::string(e.what()).find("cannot listen") != std::string::npos) {
        WARN("IPv6 loopback unavailable here: " << e.what());
        continue;
      }
      FAIL(e.what());
    }
    Client c(server->address());
    std::string bytes;
    CHECK(HealthCheck(c, &bytes).ok());
    CHECK(server->Stop() == 0);
  }
}

TEST_CASE("SIGTERM during concurrent appends: every acknowledged append survives, exit 0",
          "[integration][server][shutdown]") {
  TempDir data;
  auto server = std::make_unique<ServerProcess>(data.str());
  const std::string address = server->address();

  struct Acked {
    std::string id;
    uint64_t position;
  };
  std::mutex mu;
  std::vector<Acked> acked;
  std::atomic<bool> stop{false};
  std::atomic<int> ok_count{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([&, w] {
      Client c(address);
      for (int i = 0; !stop; ++i) {
        std::vector<v1::EventData> batch;
        for (int k = 0; k < 1 + i % 3; ++k) batch.push_back(MakeEvent("load", std::to_string(i)));
        auto req = MakeAppend("writer-" + std::to_string(w), batch);
        v1::AppendResponse resp;
        auto ctx = Ctx("writer", std::chrono::seconds(10));
        grpc::Status st = c.es->Append(ctx.get(), req, &resp);
        if (!st.ok()) {
          // Anything but OK after shutdown began is fine; back off so as not to spin.
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          continue;
        }
        ++ok_count;
        std::lock_guard<std::mutex> lk(mu);
        for (int k = 0; k < req.events_size(); ++k) acked.push_back({req.events(k).id(), resp.first_position() + k});
      }
    });
  }
  while (ok_count < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const int code = server->Stop();
  stop = true;
  for (auto& t : writers) t.join();
  INFO(server->Log());
  CHECK(code == 0);
  CHECK_THAT(server->Log(), Catch::Contains("stopped cleanly"));

  server = std::make_unique<ServerProcess>(data.str());
  Client c(server->address());
  const auto all = ReadWholeLog(c, 1000);
  std::map<std::string, uint64_t> by_id;
  for (size_t i = 0; i < all.size(); ++i) {
    REQUIRE(all[i].position() == i);
    by_id[all[i].id()] = all[i].position();
  }
  REQUIRE(acked.size() >= 50);
  size_t missing = 0;
  for (const auto& a : acked) {
    auto it = by_id.find(a.id);
    if (it == by_id.end() || it->second != a.position) ++missing;
  }
  CHECK(missing == 0);
  CHECK(all.size() >= acked.size());
}

TEST_CASE("a restart keeps positions, the public key, and a log consistent with old checkpoints",
          "[integration][server]") {
  TempDir data;
  v1::PublicKey key_before;
  v1::Checkpoint cp_before;
  std::vector<v1::RecordedEvent> before;
  {
    ServerProcess server(data.str());
    Client c(server.address());
    for (int i = 0; i < 9; ++i) REQUIRE(Append(c, MakeAppend("r-" + std::to_string(i % 2), {MakeEvent()})).ok());
    REQUIRE(c.audit->GetPublicKey(Ctx().get(), v1::GetPublicKeyRequest(), &key_before).ok());
    v1::GetCheckpointRequest fresh;
    fresh.set_fresh(true);
    REQUIRE(c.audit->GetCheckpoint(Ctx().get(), fresh, &cp_before).ok());
    before = ReadWholeLog(c);
    CHECK(server.Stop() == 0);
  }
  ServerProcess server(data.str());
  Client c(server.address());
  v1::PublicKey key_after;
  REQUIRE(c.audit->GetPublicKey(Ctx().get(), v1::GetPublicKeyRequest(), &key_after).ok());
  CHECK(key_after.verifier_key() == key_before.verifier_key());
  CHECK(key_after.ed25519_public_key() == key_before.ed25519_public_key());

  const auto after = ReadWholeLog(c);
  REQUIRE(after.size() == before.size());
  for (size_t i = 0; i < after.size(); ++i) CHECK(after[i].SerializeAsString() == before[i].SerializeAsString());

  v1::AppendResponse resp;
  REQUIRE(Append(c, MakeAppend("r-1", {MakeEvent()}), &resp).ok());
  CHECK(resp.first_position() == 11);  // after the records of the two reads (positions 9 and 10)
  CHECK(resp.first_revision() == 4);

  v1::GetCheckpointRequest fresh;
  fresh.set_fresh(true);
  v1::Checkpoint cp_after;
  REQUIRE(c.audit->GetCheckpoint(Ctx().get(), fresh, &cp_after).ok());
  REQUIRE(cp_after.size() == 12);
  v1::GetConsistencyProofRequest req;
  req.set_from_size(cp_before.size());
  req.set_to_size(cp_after.size());
  v1::ConsistencyProof proof;
  REQUIRE(c.audit->GetConsistencyProof(Ctx().get(), req, &proof).ok());
  std::vector<merkle::Hash> hashes;
  for (const auto& h : proof.hashes()) {
    merkle::Hash x;
    REQUIRE(h.size() == 32);
    std::copy(h.begin(), h.end(), x.begin());
    hashes.push_back(x);
  }
  auto to_hash = [](const std::string& s) {
    merkle::Hash x;
    std::copy(s.begin(), s.end(), x.begin());
    return x;
  };
  REQUIRE(cp_before.root_hash().size() == 32);
  REQUIRE(cp_after.root_hash().size() == 32);
  CHECK(merkle::VerifyConsistency(cp_before.size(), cp_after.size(), hashes, to_hash(cp_before.root_hash()),
                                  to_hash(cp_after.root_hash()))
            .ok());
}

TEST_CASE("after SIGKILL, every acknowledged append is there on restart", "[integration][server]") {
  TempDir data;
  std::vector<std::string> ids;
  {
    ServerProcess server(data.str());
    Client c(server.address());
    for (int i = 0; i < 40; ++i) {
      auto e = MakeEvent();
      ids.push_back(e.id());
      REQUIRE(Append(c, MakeAppend("k", {e})).ok());
    }
    CHECK(server.Kill() == 128 + SIGKILL);
  }
  ServerProcess server(data.str());
  Client c(server.address());
  const auto all = ReadWholeLog(c);
  REQUIRE(all.size() == ids.size());
  for (size_t i = 0; i < ids.size(); ++i) CHECK(all[i].id() == ids[i]);
}
