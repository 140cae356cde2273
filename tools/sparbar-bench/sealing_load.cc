#include "sealing_load.h"

#include "report_format.h"

#include <atomic>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "access_batches.h"
#include "eventstore/store.h"
#include "latency.h"
#include "services/access/subject_key.h"
#include "services/vault/key_vault.h"
#include "services/vault/personal_fields.h"
#include "services/vault/sealing_store.h"
#include "sparbar/v1/decisions.pb.h"

namespace sparbar::bench {
namespace {

namespace ac = sparbar::v1::access;
namespace pd = sparbar::v1::decisions;
using Clock = std::chrono::steady_clock;

template <class T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().ToString());
  return std::move(r.value());
}

// One store, plain or behind the seal, on a fresh directory.
struct Target {
  std::unique_ptr<EventStore> log;
  std::unique_ptr<vault::KeyVault> keys;
  access::SubjectKey pseudonyms = access::SubjectKey::FromBytes({1, 2, 3, 4});
  std::unique_ptr<vault::PersonalFields> fields;
  std::unique_ptr<EventStore> sealed;
  double keys_seconds = 0;

  Target(const std::string& dir, bool seal, const std::vector<std::string>& people) {
    StoreOptions o;
    o.data_dir = dir + "/data";
    log = Must(EventStore::Open(o), "opening the store");
    if (!seal) return;
    auto master = Must(vault::MasterKeys::Parse("bench:" + std::string(64, '5')), "master key");
    keys = Must(vault::KeyVault::Open(dir + "/vault", std::move(master)), "opening the vault");
    fields = std::make_unique<vault::PersonalFields>(keys.get(), &pseudonyms, log.get());
    sealed = std::make_unique<vault::SealingStore>(log.get(), fields.get(), false);
    // Every person's key, as an intake that has seen them before has them.
    std::vector<std::string> all;
    for (const auto& p : people) all.push_back(pseudonyms.Of(p));
    const auto t0 = Clock::now();
    for (size_t i = 0; i < all.size(); i += 1000) {
      std::vector<std::string> part(all.begin() + static_cast<std::ptrdiff_t>(i),
                                    all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), i + 1000)));
      Must(keys->KeysFor(part), "making the keys");
    }
    keys_seconds = SecondsSince(t0);
  }
  EventStore& store() { return sealed ? *sealed : *log; }
};

struct Measured {
  double events_per_second = 0;
  double p50_us = 0, p99_us = 0, p999_us = 0;
};

// `threads` threads appending `make(rng)` for `seconds`.
template <class Make>
Measured Run(EventStore& store, int threads, double seconds, Make make) {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> events{0};
  std::atomic<bool> failed{false};
  std::vector<Latencies> latencies(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  const auto t0 = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t) * 7919 + 1);
      while (!stop.load(std::memory_order_relaxed)) {
        auto [stream, batch] = make(rng, t);
        const size_t n = batch.size();
        const auto a0 = Clock::now();
        auto r = store.Append(stream, ExpectedRevision::Any(), std::move(batch), "bench");
        latencies[static_cast<size_t>(t)].Add(Clock::now() - a0);
        if (!r.ok()) {
          std::cerr << "  append failed: " << r.status().ToString() << "\n";
          failed = true;
          return;
        }
        events += n;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  if (failed) throw std::runtime_error("an append failed");
  Latencies all;
  for (auto& l : latencies) all.Merge(l);
  return {static_cast<double>(events.load()) / SecondsSince(t0), all.PercentileMicros(50), all.PercentileMicros(99),
          all.PercentileMicros(99.9)};
}

}  // namespace

std::string MeasureSealing(const SealingLoadOptions& o) {
  std::mt19937_64 rng(11);
  std::vector<std::string> people(static_cast<size_t>(o.people));
  for (auto& p : people) p = Personnummer(rng);
  std::vector<std::string> users;
  for (int i = 0; i < 300; ++i) users.push_back(BenchUserHsaId(static_cast<size_t>(i)));
  // The access events: the intake's own batches, serialized once.
  std::vector<std::string> accesses;
  for (const auto& batch : Batches(0, 4, o.batch_events, people, users, rng)) {
    for (const auto& e : batch.events()) accesses.push_back(e.SerializeAsString());
  }
  auto access_load = [&](std::mt19937_64& r, int t) {
    std::vector<ProposedEvent> batch(static_cast<size_t>(o.batch_events));
    for (auto& e : batch) {
      e.id = Uuid::Random();
      e.type = ac::AccessRecorded::descriptor()->full_name();
      e.content_type = "application/x-protobuf";
      e.payload = accesses[r() % accesses.size()];
    }
    return std::make_pair("atkomst-bench-" + std::to_string(t), std::move(batch));
  };
  auto single_load = [&](std::mt19937_64& r, int) {
    pd::ApplicationReceived a;
    a.mutable_subject()->set_personal_identity_number(people[r() % people.size()]);
    a.mutable_subject()->set_sex(pd::SEX_KVINNA);
    a.set_received_date("2025-03-01");
    a.set_unit("enhet-" + std::to_string(r() % 40));
    a.set_insats_applied("hemtjanst");
    std::vector<ProposedEvent> batch(1);
    batch[0].id = Uuid::Random();
    batch[0].type = pd::ApplicationReceived::descriptor()->full_name();
    batch[0].content_type = "application/x-protobuf";
    batch[0].payload = a.SerializeAsString();
    return std::make_pair("beslut-bench-" + std::to_string(r() % 100000), std::move(batch));
  };

  // Sealing alone, one thread, no store: its CPU time per access event.
  double seal_us = 0;
  {
    Target target(o.dir + "/seal-only", true, people);
    std::mt19937_64 r(3);
    const int batches = 20;
    std::vector<std::pair<std::string, std::vector<ProposedEvent>>> work;
    for (int b = 0; b < batches; ++b) work.push_back(access_load(r, 0));
    // A first pass sees each person once (their key looked up by pseudonym); the timed one, as an intake running
    // for a while does, finds them cached.
    for (auto warm = work; auto& [stream, batch] : warm) {
      if (Status st = target.fields->Seal(stream, batch); !st.ok()) throw std::runtime_error(st.ToString());
    }
    const auto t0 = Clock::now();
    for (auto& [stream, batch] : work) {
      if (Status st = target.fields->Seal(stream, batch); !st.ok()) throw std::runtime_error(st.ToString());
    }
    seal_us = SecondsSince(t0) * 1e6 / (batches * o.batch_events);
    target.log->Close();
    std::filesystem::remove_all(o.dir + "/seal-only");
  }
  std::cerr << "  sealing alone: " << Fixed(seal_us, 2) << " µs per access event\n";

  Measured sum[2][2];  // [load][sealed]
  double keys_seconds = 0;
  for (int round = 0; round < o.rounds; ++round) {
    for (int seal = 0; seal < 2; ++seal) {
      for (int load = 0; load < 2; ++load) {
        const std::string dir = o.dir + "/round" + std::to_string(round) + (seal ? "-sealed-" : "-plain-") +
                                std::to_string(load);
        std::filesystem::remove_all(dir);
        Target target(dir, seal == 1, people);
        keys_seconds = std::max(keys_seconds, target.keys_seconds);
        const Measured m = load == 0 ? Run(target.store(), o.batch_threads, o.seconds, access_load)
                                     : Run(target.store(), o.single_threads, o.seconds, single_load);
        std::cerr << "  round " << round + 1 << (seal ? " sealed" : " plain ") << (load == 0 ? " batches" : " single")
                  << ": " << Fixed(m.events_per_second, 0) << " events/s, p99 " << Fixed(m.p99_us, 0) << " µs\n";
        Measured& s = sum[load][seal];
        s.events_per_second += m.events_per_second / o.rounds;
        s.p50_us += m.p50_us / o.rounds;
        s.p99_us += m.p99_us / o.rounds;
        s.p999_us += m.p999_us / o.rounds;
        target.log->Close();
        std::filesystem::remove_all(dir);
      }
    }
  }
  std::ostringstream out;
  out << "| load | plain events/s | sealed events/s | cost of sealing | plain p50 / p99 / p99.9 (µs) | sealed p50 / p99 / "
         "p99.9 (µs) |\n|---|---|---|---|---|---|\n";
  const char* names[2] = {"access events, batches of ", "decisions, one event per append, "};
  for (int load = 0; load < 2; ++load) {
    const Measured& p = sum[load][0];
    const Measured& s = sum[load][1];
    const std::string name = load == 0 ? names[0] + std::to_string(o.batch_events) + ", " +
                                             std::to_string(o.batch_threads) + " threads"
                                       : names[1] + std::to_string(o.single_threads) + " threads";
    out << "| " << name << " | " << Fixed(p.events_per_second, 0) << " | " << Fixed(s.events_per_second, 0) << " | "
        << Fixed(100.0 * (p.events_per_second / s.events_per_second - 1.0), 1) << "% | " << Fixed(p.p50_us, 0)
        << " / " << Fixed(p.p99_us, 0) << " / " << Fixed(p.p999_us, 0) << " | " << Fixed(s.p50_us, 0) << " / "
        << Fixed(s.p99_us, 0) << " / " << Fixed(s.p999_us, 0) << " |\n";
  }
  out << "\nSealing alone (one thread, no store): " << Fixed(seal_us, 2) << " µs per access event. Making the "
      << o.people << " people's keys beforehand (batches of 1,000, one synced write each): "
      << Fixed(keys_seconds, 2) << " s. Mean of " << o.rounds << " rounds of " << Fixed(o.seconds, 0)
      << " s per load.\n";
  return out.str();
}

}  // namespace sparbar::bench
