#include "access_ingest.h"

#include <grpcpp/grpcpp.h>
#include <google/protobuf/util/time_util.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "access_batches.h"

namespace sparbar::bench {

namespace ac = sparbar::v1::access;
using Clock = std::chrono::steady_clock;

IngestResult IngestAccessEvents(const std::string& address, std::vector<std::vector<ac::IngestBatch>>& work,
                                double seconds, uint64_t target_events, bool progress) {
  const int clients = static_cast<int>(work.size());
  std::atomic<uint64_t> recorded{0}, calls{0};
  std::atomic<bool> stop{false}, failed{false};
  std::atomic<int> running{clients};
  std::vector<Latencies> per(work.size());
  std::vector<std::thread> threads;
  const auto t0 = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      struct Done {
        std::atomic<int>& running;
        ~Done() { --running; }
      } done{running};
      auto stub = ac::AccessLog::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
      auto& batches = work[static_cast<size_t>(c)];
      // Calls of a few batches each, one after the other: what is in flight
      // stays bounded, and every call's answer says its batches are durable.
      constexpr int kBatchesPerCall = 4;
      uint64_t next_id = 0, k = 0;
      const uint64_t share = ClientShare(target_events, work.size());
      while (!stop.load() && (target_events == 0 || next_id < share)) {
        grpc::ClientContext ctx;
        ctx.AddMetadata("x-sparbar-actor", "bench");
        ac::IngestResponse response;
        const auto call0 = Clock::now();
        auto writer = stub->Ingest(&ctx, &response);
        for (int b = 0; b < kBatchesPerCall; ++b, ++k) {
          ac::IngestBatch& batch = batches[k % batches.size()];
          StampBatch(batch, next_id);
          if (!writer->Write(batch)) break;
        }
        writer->WritesDone();
        const grpc::Status st = writer->Finish();
        if (!st.ok()) {
          std::cerr << "  client " << c << ": " << st.error_message() << "\n";
          failed = true;
          stop = true;
          return;
        }
        per[static_cast<size_t>(c)].Add(Clock::now() - call0);
        recorded += response.recorded();
        if (++calls % 250 == 0 && progress) {
          std::fprintf(stderr, "\r  Spårbar: %llu access events recorded",
                       static_cast<unsigned long long>(recorded.load()));
        }
      }
    });
  }
  if (seconds > 0) {
    while (!stop.load() && running.load() > 0 && Clock::now() - t0 < std::chrono::duration<double>(seconds)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop = true;
  }
  for (auto& t : threads) t.join();
  if (progress) std::fprintf(stderr, "\n");
  if (failed) throw std::runtime_error("an ingest call failed");
  IngestResult r;
  r.recorded = recorded.load();
  r.calls = calls.load();
  r.elapsed_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  for (auto& l : per) r.latencies.Merge(l);
  return r;
}

void AsReviewer(grpc::ClientContext& ctx) {
  ctx.AddMetadata("x-sparbar-actor", "bench-granskare");
  ctx.AddMetadata("x-sparbar-roles", "loggranskare");
}

double ListAccessesPages(ac::AccessLog::Stub& stub, const std::function<void(ac::ListAccessesRequest&)>& who,
                         int64_t from, int64_t to, int deadline_seconds, double* first_page_ms, uint64_t* rows) {
  using google::protobuf::util::TimeUtil;
  const auto q0 = Clock::now();
  std::string token;
  bool first_page = true;
  do {
    ac::ListAccessesRequest req;
    who(req);
    *req.mutable_from() = TimeUtil::SecondsToTimestamp(from);
    *req.mutable_to() = TimeUtil::SecondsToTimestamp(to);
    req.set_page_size(1000);
    req.set_page_token(token);
    grpc::ClientContext ctx;
    AsReviewer(ctx);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
    ac::ListAccessesResponse resp;
    const grpc::Status st = stub.ListAccesses(&ctx, req, &resp);
    if (!st.ok()) throw std::runtime_error("ListAccesses: " + st.error_message());
    if (rows) *rows += static_cast<uint64_t>(resp.accesses_size());
    token = resp.next_page_token();
    if (first_page && first_page_ms) *first_page_ms = std::chrono::duration<double, std::milli>(Clock::now() - q0).count();
    first_page = false;
  } while (!token.empty());
  return std::chrono::duration<double, std::milli>(Clock::now() - q0).count();
}

Latencies TimeUserQuarters(v1::access::AccessLog::Stub& stub, const std::vector<std::string>& users, int64_t from,
                           int64_t to, uint64_t* rows) {
  Latencies latencies;
  for (const std::string& user : users) {
    const auto t0 = Clock::now();
    ListAccessesPages(stub, [&](ac::ListAccessesRequest& q) { q.set_user_hsa_id(user); }, from, to, 60, nullptr, rows);
    latencies.Add(Clock::now() - t0);
  }
  return latencies;
}

}  // namespace sparbar::bench
