#include "verify_floor.h"

#include <time.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "eventstore/log_db.h"
#include "eventstore/merkle/hash.h"

namespace sparbar::bench {
namespace {

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Reads every entry of `cf` as verify does; returns the CPU seconds and
// counts the entries. With `sample`, it only copies the first `sample_max`
// values into it.
double Iterate(LogDb& db, rocksdb::ColumnFamilyHandle* cf, uint64_t* entries, std::vector<std::string>* sample,
               size_t sample_max) {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // as VerifyLog reads
  const double t0 = ThreadCpuSeconds();
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, cf));
  uint64_t n = 0;
  size_t touched = 0;  // so that the reads cannot be optimized away
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++n) {
    touched += it->key().size() + it->value().size();
    if (sample) {
      if (sample->size() == sample_max) break;  // a sampling pass, not timed: done
      sample->push_back(it->value().ToString());
    }
  }
  const double cpu = ThreadCpuSeconds() - t0;
  if (!it->status().ok()) throw std::runtime_error("reading the log: " + it->status().ToString());
  if (touched == 0 && n > 0) throw std::runtime_error("read entries without bytes");
  *entries = n;
  return cpu;
}

}  // namespace

VerifyFloor MeasureVerifyFloor(const std::string& data_dir) {
  auto db = LogDb::Open(data_dir, LogDb::Mode::kReadOnly);
  if (!db.ok()) throw std::runtime_error("opening " + data_dir + ": " + db.status().ToString());
  VerifyFloor f;
  constexpr size_t kSample = 200'000;
  std::vector<std::string> sample;
  uint64_t tree_entries = 0, streams = 0, ids = 0;
  // The sample is copied out while iterating: time the iteration on its own
  // pass first, so the copies do not count.
  const double events_cpu = Iterate(**db, (*db)->events(), &f.events, nullptr, 0);
  uint64_t ignored = 0;
  Iterate(**db, (*db)->events(), &ignored, &sample, kSample);
  const double tree_cpu = Iterate(**db, (*db)->tree(), &tree_entries, nullptr, 0);
  const double index_cpu =
      Iterate(**db, (*db)->streams(), &streams, nullptr, 0) + Iterate(**db, (*db)->ids(), &ids, nullptr, 0);
  if (f.events == 0 || sample.empty()) throw std::runtime_error("the log holds no events");
  const auto n = static_cast<double>(f.events);
  f.events_us = events_cpu / n * 1e6;
  f.tree_us = tree_cpu / n * 1e6;
  f.indexes_us = index_cpu / n * 1e6;
  // Hash the sample a few times over, as the tree does: its leaf, then an
  // inner node of two hashes.
  const double t0 = ThreadCpuSeconds();
  merkle::Hash left{};
  uint64_t hashed = 0;
  for (int round = 0; round < 5; ++round) {
    for (const std::string& bytes : sample) {
      const merkle::Hash leaf = merkle::LeafHash(bytes);
      left = merkle::NodeHash(left, leaf);
      ++hashed;
    }
  }
  const double hash_cpu = ThreadCpuSeconds() - t0;
  if (left == merkle::Hash{}) throw std::runtime_error("hashing produced nothing");
  f.hashing_us = hash_cpu / static_cast<double>(hashed) * 1e6;
  return f;
}

}  // namespace sparbar::bench
