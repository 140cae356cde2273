#include "compare_access.h"

#include "report_format.h"

#include <grpcpp/grpcpp.h>
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>
#include <thread>

#include "access_ingest.h"
#include "eventstore/log_verifier.h"
#include "metrics_scrape.h"
#include "server_launcher.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "sparbar/v1/eventstore.grpc.pb.h"

namespace sparbar::bench {
namespace {

namespace ac = sparbar::v1::access;
using Clock = std::chrono::steady_clock;
using google::protobuf::util::TimeUtil;

// Waits until the access index has applied the whole log; returns seconds.
double WaitForAccessIndex(int metrics_port, bool progress) {
  const auto t0 = Clock::now();
  const std::string lag = "sparbar_projection_lag_events{projection=\"access-index\"}";
  for (;;) {
    const auto m = ScrapeMetrics(metrics_port);
    const auto it = m.find(lag);
    if (it == m.end()) throw std::runtime_error("the server reports no lag for the access index");
    if (progress) {
      std::fprintf(stderr, "\r  access index: %.0f events behind      ", it->second);
    }
    if (it->second == 0) break;
    if (SecondsSince(t0) > 3600) throw std::runtime_error("the access index did not catch up within an hour");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (progress) std::fprintf(stderr, "\n");
  return SecondsSince(t0);
}

// Whether RocksDB is compacting the log or any read model's state, or
// estimates there is compaction left to do.
bool Compacting(const std::map<std::string, double>& metrics) {
  if (!metrics.count("sparbar_log_running_compactions")) {
    throw std::runtime_error("the server reports no compaction gauges");
  }
  for (const auto& [name, value] : metrics) {
    const bool gauge = name.rfind("sparbar_log_running_compactions", 0) == 0 ||
                       name.rfind("sparbar_log_pending_compaction_bytes", 0) == 0 ||
                       name.rfind("sparbar_projection_running_compactions", 0) == 0 ||
                       name.rfind("sparbar_projection_pending_compaction_bytes", 0) == 0;
    if (gauge && value != 0) return true;
  }
  return false;
}

// Waits, at most 600 s, until nothing is compacting; returns seconds.
double Settle(const MeteredServer& s) {
  const auto t0 = Clock::now();
  while (SecondsSince(t0) < 600 && Compacting(s.Scrape())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return SecondsSince(t0);
}

}  // namespace

CatchUpResult CatchUpFromZero(const std::string& address, bool count_bytes) {
  grpc::ChannelArguments large;
  large.SetMaxReceiveMessageSize(256 << 20);
  auto log = v1::EventStore::NewStub(grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), large));
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-sparbar-actor", "bench");
  v1::SubscribeRequest sub;
  sub.mutable_all()->set_from_position(0);
  CatchUpResult r;
  const auto t0 = Clock::now();
  auto reader = log->Subscribe(&ctx, sub);
  v1::SubscribeResponse msg;
  while (reader->Read(&msg)) {
    r.events += static_cast<uint64_t>(msg.events_size());
    if (count_bytes) r.bytes += msg.ByteSizeLong();
    if (msg.caught_up()) break;
  }
  r.seconds = SecondsSince(t0);
  ctx.TryCancel();
  (void)reader->Finish();
  if (r.events == 0) throw std::runtime_error("the subscription delivered nothing");
  return r;
}

SparbarAccessResult MeasureSparbarAccess(const SparbarAccessOptions& o, std::vector<std::vector<ac::IngestBatch>>& work,
                                         const std::vector<std::string>& users, const std::vector<std::string>& people) {
  SparbarAccessResult r;
  const std::string data = o.dir + "/sparbar-access";
  const std::vector<std::string> args = {"--access-max-batch", std::to_string(o.batch_events), "--cache-mb",
                                         std::to_string(o.cache_mb)};
  {
    MeteredServer s(o.server_binary, data, args);
    const auto before = ScrapeMetrics(s.metrics_port);
    IngestResult ingest = IngestAccessEvents(s.server.address(), work, 0, o.target_events, true);
    const auto after = ScrapeMetrics(s.metrics_port);
    const double events = after.at("sparbar_log_events_written_total") - before.at("sparbar_log_events_written_total");
    const double syncs = after.at("sparbar_log_synced_writes_total") - before.at("sparbar_log_synced_writes_total");
    r.events_per_synced_write = syncs > 0 ? events / syncs : 0;
    r.recorded = ingest.recorded;
    r.ingest = MakeRow("Spårbar access-event ingest (AccessLog.Ingest)", static_cast<int>(work.size()),
                       static_cast<int>(ingest.recorded / std::max<uint64_t>(1, ingest.calls)), ingest.calls, 0,
                       ingest.elapsed_seconds, ingest.latencies);
    r.ingest.events_per_second = static_cast<double>(ingest.recorded) / ingest.elapsed_seconds;
    r.index_catch_up_s = WaitForAccessIndex(s.metrics_port, true);
    // As PostgreSQL gets its VACUUM ANALYZE before its queries, the
    // compactions after the intake, the log's and the read models', finish
    // before Spårbar's queries and catch-up (its metrics say when).
    r.compaction_settle_s = Settle(s);

    auto stub = ac::AccessLog::NewStub(grpc::CreateChannel(s.server.address(), grpc::InsecureChannelCredentials()));
    std::cerr << "  Spårbar: " << users.size() << " users' quarters, " << people.size() << " people's log extracts\n";
    r.user_quarter = TimeUserQuarters(*stub, users, o.from, o.to, &r.user_rows);
    for (const auto& person : people) {
      ac::LogExtractRequest extract;
      extract.set_personal_identity_number(person);
      *extract.mutable_from() = TimeUtil::SecondsToTimestamp(o.from);
      *extract.mutable_to() = TimeUtil::SecondsToTimestamp(o.to - 1);
      grpc::ClientContext ctx;
      AsReviewer(ctx);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
      ac::LogExtractResponse resp;
      const auto t0 = Clock::now();
      if (grpc::Status st = stub->LogExtract(&ctx, extract, &resp); !st.ok()) {
        throw std::runtime_error("LogExtract: " + st.error_message());
      }
      r.person_extract.Add(Clock::now() - t0);
      r.person_rows += resp.accesses();
    }

    // Three times: the first reads the older events into the block cache
    // (the queries warmed only what they touched), as PostgreSQL's keyset
    // reads find its buffers warm from the load. The better of the other two
    // counts, as PostgreSQL's better of two: this machine's speed varies by
    // a third from minute to minute (docs/benchmarks.md).
    Settle(s);  // the reads the queries recorded may have started more
    std::cerr << "  Spårbar: a subscription catching up from position 0, three times\n";
    const CatchUpResult first = CatchUpFromZero(s.server.address(), true);
    r.catch_up_cold_events_per_s = static_cast<double>(first.events) / first.seconds;
    for (int run = 0; run < 2; ++run) {
      const CatchUpResult caught = CatchUpFromZero(s.server.address(), false);
      const double rate = static_cast<double>(caught.events) / caught.seconds;
      r.catch_up_warm_events_per_s.push_back(rate);
      if (rate > r.catch_up_events_per_s) {
        r.catch_up_events_per_s = rate;
        r.catch_up_events = caught.events;
      }
    }
    r.log_events = static_cast<uint64_t>(ScrapeMetrics(s.metrics_port).at("sparbar_log_events"));
  }  // the server stops: memtables flushed
  r.bytes = DirBytes(data);
  r.bytes_by_part = DataDirBytesByPart(data);

  std::cerr << "  Spårbar: the read models deleted and rebuilt from position 0\n";
  std::filesystem::remove_all(data + "/projections");
  {
    const auto t0 = Clock::now();
    MeteredServer s(o.server_binary, data, args);
    WaitForAccessIndex(s.metrics_port, true);
    r.rebuild_seconds = SecondsSince(t0);
  }
  // Offline, as an auditor runs it, on the data directory as a server that
  // ran for a while leaves it.
  std::cerr << "  Spårbar: sparbar verify over " << r.log_events << " events\n";
  {
    const auto t0 = Clock::now();
    auto report = VerifyDataDir(data, "", [](uint64_t checked, uint64_t total) {
      std::fprintf(stderr, "\r  verified %llu of %llu", static_cast<unsigned long long>(checked),
                   static_cast<unsigned long long>(total));
      return true;
    });
    r.verify_seconds = SecondsSince(t0);
    std::fprintf(stderr, "\n");
    if (!report.ok()) throw std::runtime_error("verify: " + report.status().ToString());
    if (!report->ok) throw std::runtime_error("verify found: " + report->error);
    r.verify_events = report->events_checked;
    r.verify_bytes = report->bytes_checked;
  }
  std::cerr << "  Spårbar: what verify cannot skip, timed alone\n";
  r.verify_floor = MeasureVerifyFloor(data);

  return r;
}

}  // namespace sparbar::bench
