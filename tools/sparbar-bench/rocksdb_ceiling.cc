#include "rocksdb_ceiling.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <random>
#include <stdexcept>
#include <thread>

namespace sparbar::bench {

Row MeasureRocksDbCeiling(const CeilingOptions& o) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, o.dir, &raw);
  if (!s.ok()) throw std::runtime_error("rocksdb open: " + s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> next_key{0};
  std::vector<Latencies> per_thread(o.threads);
  std::vector<uint64_t> ops(o.threads, 0), errors(o.threads, 0);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.threads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(t + 1);
      std::string value(o.value_bytes, 'x');
      for (auto& c : value) c = static_cast<char>('a' + rng() % 26);
      rocksdb::WriteOptions wo;
      wo.sync = true;
      while (!stop.load(std::memory_order_relaxed)) {
        rocksdb::WriteBatch batch;
        for (int i = 0; i < o.values_per_batch; ++i) {
          uint64_t k = next_key.fetch_add(1);
          char key[8];
          for (int b = 7; b >= 0; --b, k >>= 8) key[b] = static_cast<char>(k & 0xff);
          batch.Put(rocksdb::Slice(key, 8), value);
        }
        auto t0 = std::chrono::steady_clock::now();
        auto ws = db->Write(wo, &batch);
        per_thread[t].Add(std::chrono::steady_clock::now() - t0);
        if (ws.ok()) ++ops[t];
        else ++errors[t];
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Latencies all;
  uint64_t total_ops = 0, total_errors = 0;
  for (int t = 0; t < o.threads; ++t) {
    all.Merge(per_thread[t]);
    total_ops += ops[t];
    total_errors += errors[t];
  }
  return MakeRow(o.values_per_batch == 1 ? "RocksDB synced single writes" : "RocksDB synced batches",
                 o.threads, o.values_per_batch, total_ops, total_errors, elapsed, all);
}

}  // namespace sparbar::bench
