#include "store_load.h"

#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

#include "eventstore/store.h"

namespace sparbar::bench {

Row MeasureStoreAppends(const StoreLoadOptions& o) {
  StoreOptions options;
  options.data_dir = o.dir;
  auto opened = EventStore::Open(options);
  if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
  auto& store = *opened.value();

  std::atomic<bool> stop{false};
  std::vector<Latencies> latencies(o.threads);
  std::vector<uint64_t> ok(o.threads, 0), errors(o.threads, 0);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.threads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(t + 1);
      std::string payload(o.payload_bytes, 'x');
      for (auto& c : payload) c = static_cast<char>('a' + rng() % 26);
      while (!stop.load(std::memory_order_relaxed)) {
        std::vector<ProposedEvent> events(o.events_per_append);
        for (auto& e : events) {
          e.id = Uuid::Random();
          e.type = "bench.event";
          e.content_type = "application/octet-stream";
          e.payload = payload;
        }
        auto t0 = std::chrono::steady_clock::now();
        auto r = store.Append("bench-" + std::to_string(rng() % o.streams), ExpectedRevision::Any(),
                              std::move(events), "bench");
        latencies[t].Add(std::chrono::steady_clock::now() - t0);
        if (r.ok()) ++ok[t];
        else ++errors[t];
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const StoreStats stats = store.Stats();

  Latencies all;
  uint64_t total_ok = 0, total_errors = 0;
  for (int t = 0; t < o.threads; ++t) {
    all.Merge(latencies[t]);
    total_ok += ok[t];
    total_errors += errors[t];
  }
  return MakeRow("Spårbar store in-process (no gRPC), " +
                     std::to_string(stats.appends / std::max<uint64_t>(stats.synced_writes, 1)) +
                     " appends per sync",
                 o.threads, o.events_per_append, total_ok, total_errors, elapsed, all);
}

}  // namespace sparbar::bench
