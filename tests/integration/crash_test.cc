// Crash safety, end to end: the real server, under concurrent appends, is
// killed with SIGKILL at a random moment and restarted on the same data
// directory, again and again. After every crash:
//  - the data directory verifies offline (`sparbar verify`, server down);
//  - after a restart, every append that was acknowledged is in the log, with
//    the same content at the acknowledged positions and revisions;
//  - positions are gap-free from 0, revisions gap-free within each stream,
//    and everything seen before the crash is unchanged;
//  - retrying the append that was in flight at the crash, with the same event
//    ids, is accepted (either written now, or reported as a duplicate of what
//    the crash had already made durable) and never written twice.
// After the last round the server is stopped with SIGTERM and verified again.
//
// Rounds: SPARBAR_CRASH_ITERATIONS (default 20). The kill moments come from a
// fixed-seed generator, 50..400 ms after the appenders start.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/client_util.h"
#include "support/cli_process.h"
#include "support/server_process.h"
#include "support/temp_dir.h"


namespace sparbar::testing {
namespace {

constexpr int kWriters = 8;


int Iterations() {
  const char* env = std::getenv("SPARBAR_CRASH_ITERATIONS");
  if (env == nullptr || *env == '\0') return 20;
  int n = std::atoi(env);
  return n > 0 ? n : 20;
}

// One append request a writer made, and what the server acknowledged.
struct Attempt {
  v1::AppendRequest request;
  v1::AppendResponse response;
};

// What an event read back must look like.
struct Expected {
  std::string id;
  std::string stream;
  uint64_t revision;
  std::string type;
  std::string payload;
};

// A writer: appends to its own stream until told to stop, records every
// acknowledged append, and keeps the one in flight when the server died.
class Writer {
 public:
  explicit Writer(int index) : index_(index), stream_("crash-" + std::to_string(index)) {}

  // Runs until `stop`, against `address`. Returns when the server is gone or
  // `stop` is set. Errors before `killed` is set are unexpected and recorded.
  void Run(const std::string& address, const std::atomic<bool>& stop, const std::atomic<bool>& killed) {
    Client client(address);
    std::mt19937 rng(static_cast<uint32_t>(1000 + index_ + 97 * round_++));
    while (!stop.load(std::memory_order_relaxed)) {
      if (!pending_) pending_ = NewRequest(rng);
      v1::AppendResponse resp;
      auto ctx = Ctx("crash-writer-" + std::to_string(index_), std::chrono::seconds(10));
      grpc::Status st = client.es->Append(ctx.get(), *pending_, &resp);
      if (st.ok()) {
        if (resp.duplicate()) ++duplicates_;
        acked_.push_back({*pending_, resp});
        pending_.reset();
        continue;
      }
      // The request stays pending: the crash may or may not have made it durable.
      if (!killed.load()) {
        std::lock_guard<std::mutex> lock(errors_mu_);
        unexpected_errors_.push_back(stream_ + ": " + std::to_string(st.error_code()) + " " +
                                     st.error_message());
      }
      return;
    }
  }

  const std::vector<Attempt>& acked() const { return acked_; }
  const std::string& stream() const { return stream_; }
  int duplicates() const { return duplicates_; }
  std::vector<std::string> unexpected_errors() {
    std::lock_guard<std::mutex> lock(errors_mu_);
    return unexpected_errors_;
  }

 private:
  v1::AppendRequest NewRequest(std::mt19937& rng) {
    const int count = 1 + static_cast<int>(rng() % 3);
    std::vector<v1::EventData> events;
    for (int i = 0; i < count; ++i) {
      const uint64_t n = next_n_++;
      std::string payload = "{\"writer\":" + std::to_string(index_) + ",\"n\":" + std::to_string(n) +
                            ",\"pad\":\"" + std::string(rng() % 200, 'x') + "\"}";
      events.push_back(MakeEvent("crash.appended", payload));
    }
    return MakeAppend(stream_, std::move(events), ExpectAny());
  }

  int index_;
  std::string stream_;
  int round_ = 0;
  uint64_t next_n_ = 0;
  std::optional<v1::AppendRequest> pending_;
  std::vector<Attempt> acked_;
  int duplicates_ = 0;
  std::mutex errors_mu_;
  std::vector<std::string> unexpected_errors_;
};

// Reads the whole log and checks it against everything acknowledged and
// everything seen before. Returns the log as read. Compares by hand and
// reports the first few problems, so that thousands of events do not become
// thousands of assertions.
std::vector<v1::RecordedEvent> CheckLog(Client& client, const std::vector<std::unique_ptr<Writer>>& writers,
                                        const std::vector<v1::RecordedEvent>& seen_before) {
  std::vector<v1::RecordedEvent> log = ReadWholeLog(client, 1000, /*own_records=*/true);
  std::vector<std::string> problems;
  auto problem = [&problems](std::string p) {
    if (problems.size() < 10) problems.push_back(std::move(p));
  };

  // Gap-free positions, gap-free revisions per stream in position order.
  std::map<std::string, uint64_t> next_revision;
  std::map<std::string, int> id_count;
  for (size_t i = 0; i < log.size(); ++i) {
    const auto& e = log[i];
    if (e.position() != i) problem("event #" + std::to_string(i) + " has position " + std::to_string(e.position()));
    uint64_t& rev = next_revision[e.stream()];
    if (e.revision() != rev) {
      problem("position " + std::to_string(i) + ": revision " + std::to_string(e.revision()) + " of " +
              e.stream() + ", expected " + std::to_string(rev));
    }
    rev = e.revision() + 1;
    ++id_count[e.id()];
  }

  // Nothing seen before changed or went away.
  if (log.size() < seen_before.size()) {
    problem("the log shrank from " + std::to_string(seen_before.size()) + " to " + std::to_string(log.size()));
  }
  for (size_t i = 0; i < seen_before.size() && i < log.size(); ++i) {
    const auto& a = seen_before[i];
    const auto& b = log[i];
    if (a.id() != b.id() || a.stream() != b.stream() || a.revision() != b.revision() ||
        a.type() != b.type() || a.payload() != b.payload() ||
        Micros(a.recorded_at()) != Micros(b.recorded_at())) {
      problem("position " + std::to_string(i) + " changed since it was last read");
    }
  }

  // Every acknowledged append is where the server said, with its content, once.
  for (const auto& w : writers) {
    for (const Attempt& a : w->acked()) {
      const auto& req = a.request;
      const auto& resp = a.response;
      const auto n = static_cast<uint64_t>(req.events_size());
      if (resp.last_position() - resp.first_position() + 1 != n ||
          resp.last_revision() - resp.first_revision() + 1 != n) {
        problem(req.stream() + ": acknowledgement spans the wrong number of events");
        continue;
      }
      for (int k = 0; k < req.events_size(); ++k) {
        const uint64_t pos = resp.first_position() + k;
        const std::string what = "acknowledged event " + req.events(k).id() + " (position " +
                                 std::to_string(pos) + ")";
        if (pos >= log.size()) {
          problem(what + " is missing: the log has " + std::to_string(log.size()) + " events");
          continue;
        }
        const auto& e = log[pos];
        if (e.id() != req.events(k).id()) problem(what + ": another event is there, " + e.id());
        else if (e.stream() != req.stream() || e.revision() != resp.first_revision() + k)
          problem(what + ": stream or revision differ from the acknowledgement");
        else if (e.type() != req.events(k).type() || e.payload() != req.events(k).payload())
          problem(what + ": content differs");
        else if (id_count[e.id()] != 1)
          problem(what + ": the id occurs " + std::to_string(id_count[e.id()]) + " times");
      }
    }
  }
  for (const auto& p : problems) FAIL_CHECK(p);
  REQUIRE(problems.empty());
  return log;
}

void RequireVerifies(const std::string& data_dir, const std::string& vkey, const std::string& when) {
  CliResult r = RunCli({"verify", "--data", data_dir, "--public-key", vkey});
  INFO("sparbar verify " << when << "\nstdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("acknowledged appends survive SIGKILL and the log verifies after every crash", "[crash]") {
  const int iterations = Iterations();
  TempDir data;
  std::mt19937 rng(20240517);  // fixed seed: the same kill moments every run
  std::uniform_int_distribution<int> kill_after_ms(50, 400);

  std::vector<std::unique_ptr<Writer>> writers;
  for (int i = 0; i < kWriters; ++i) writers.push_back(std::make_unique<Writer>(i));

  std::vector<v1::RecordedEvent> seen;
  std::string vkey;
  // Small checkpoint intervals, so that crashes also land around checkpoint writes.
  const std::vector<std::string> server_args = {"--checkpoint-every", "50", "--checkpoint-interval-ms",
                                                "100"};
  auto server = std::make_unique<ServerProcess>(data.str(), server_args);
  {
    Client client(server->address());
    v1::PublicKey key;
    REQUIRE(client.audit->GetPublicKey(Ctx().get(), v1::GetPublicKeyRequest(), &key).ok());
    vkey = key.verifier_key();
  }

  const auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < iterations; ++round) {
    INFO("round " << round);
    std::atomic<bool> stop{false};
    std::atomic<bool> killed{false};
    std::vector<std::thread> threads;
    for (auto& w : writers) {
      threads.emplace_back([&, w = w.get(), address = server->address()] { w->Run(address, stop, killed); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(rng)));
    killed = true;
    const int code = server->Kill();
    REQUIRE(code == 128 + SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    server.reset();
    for (auto& w : writers) {
      auto errors = w->unexpected_errors();
      INFO("errors before the kill: " << (errors.empty() ? "" : errors.front()));
      REQUIRE(errors.empty());
    }

    // The crashed directory verifies offline as it is.
    RequireVerifies(data.str(), vkey, "after SIGKILL in round " + std::to_string(round));

    server = std::make_unique<ServerProcess>(data.str(), server_args);
    Client client(server->address());
    seen = CheckLog(client, writers, seen);
  }

  // The requests in flight at the last crash are retried now that the server is up.
  {
    std::atomic<bool> stop{false};
    std::atomic<bool> killed{false};
    std::vector<std::thread> threads;
    for (auto& w : writers) {
      threads.emplace_back([&, w = w.get(), address = server->address()] { w->Run(address, stop, killed); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
    for (auto& t : threads) t.join();
    for (auto& w : writers) REQUIRE(w->unexpected_errors().empty());
    Client client(server->address());
    seen = CheckLog(client, writers, seen);
  }

  REQUIRE(server->Stop() == 0);
  server.reset();
  RequireVerifies(data.str(), vkey, "after the final SIGTERM");

  size_t acked = 0;
  int duplicates = 0;
  for (auto& w : writers) {
    acked += w->acked().size();
    duplicates += w->duplicates();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WARN(iterations << " crashes in " << seconds << " s: " << acked << " acknowledged appends, "
                  << seen.size() << " events, " << duplicates
                  << " in-flight appends found already durable on retry");
  CHECK(acked > 0);
}

}  // namespace sparbar::testing
