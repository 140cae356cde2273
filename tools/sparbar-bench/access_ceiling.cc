#include "access_ceiling.h"

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "access_batches.h"
#include "cpu_usage.h"
#include "eventstore/codec.h"
#include "eventstore/keys.h"
#include "eventstore/log_db.h"
#include "eventstore/store.h"
#include "projections/versioned_state.h"
#include "services/access/access_event.h"
#include "services/access/subject_key.h"

namespace sparbar::bench {
namespace {

namespace ac = sparbar::v1::access;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 4, kTemplates = 20, kPerBatch = 1000, kIndexBatch = 512;

// One template event as the log and the index store it.
struct Prepared {
  std::string bytes;   // the encoded event (its last 16 bytes are overwritten per write)
  std::string stream;  // "atkomst-bench-<client>"
  std::string user, unit, subject;
};

std::string Hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string BigEndian(uint64_t v) {
  std::string out;
  PutBigEndian64(&out, v);
  return out;
}

void Check(const Status& s, const char* doing) {
  if (!s.ok()) throw std::runtime_error(std::string(doing) + ": " + s.ToString());
}

}  // namespace

std::string MeasureAccessCeiling(const AccessCeilingOptions& o) {
  if (!o.minimal && (o.sst_events > 0 || o.writers != 1)) {
    throw std::invalid_argument("--sst-events and --writers apply to the minimal layout only (add --minimal)");
  }
  if (o.writers < 1) throw std::invalid_argument("--writers must be at least 1");
  std::mt19937_64 rng(5);
  std::vector<std::string> people(static_cast<size_t>(o.people)), users(static_cast<size_t>(o.users));
  for (auto& p : people) p = Personnummer(rng);
  for (size_t i = 0; i < users.size(); ++i) users[i] = BenchUserHsaId(i);
  const access::SubjectKey key = access::SubjectKey::FromBytes({});
  // The events of kTemplates batches per client, in the order they are written (client by client in turn).
  std::vector<Prepared> events;
  std::vector<std::vector<ac::IngestBatch>> work;
  for (int c = 0; c < kClients; ++c) work.push_back(Batches(c, kTemplates, kPerBatch, people, users, rng));
  std::vector<uint64_t> next_id(kClients, 0);
  for (int t = 0; t < kTemplates; ++t) {
    for (int c = 0; c < kClients; ++c) {
      ac::IngestBatch& batch = work[static_cast<size_t>(c)][static_cast<size_t>(t)];
      StampBatch(batch, next_id[static_cast<size_t>(c)]);
      for (const auto& a : batch.events()) {
        EventRecord r;
        r.id = access::EventIdOf(a);
        r.stream = access::StreamOf(a);
        r.type = access::EventType();
        r.content_type = std::string(access::kContentType);
        r.payload = access::Serialize(a);
        r.metadata.actor = "bench";
        r.recorded_at = r.occurred_at = 1'735'686'000'000'000;
        events.push_back({EncodeEvent(r), r.stream, a.user_hsa_id(), a.unit(),
                          key.Of(a.subject().personal_identity_number())});
      }
    }
  }

  std::filesystem::create_directories(o.dir);
  auto log = LogDb::Open(o.dir + "/log", LogDb::Mode::kReadWrite);
  Check(log.status(), "opening the log");
  auto index = projections::VersionedState::Open(o.dir + "/index", "unas");
  Check(index.status(), "opening the index");
  LogDb& db = **log;
  projections::VersionedState& state = **index;
  // The minimal layout's index: plain RocksDB, its default options.
  std::unique_ptr<rocksdb::DB> plain;
  if (o.minimal) {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.IncreaseParallelism(2);
    rocksdb::DB* raw = nullptr;
    if (auto s = rocksdb::DB::Open(options, o.dir + "/plain-index", &raw); !s.ok()) {
      throw std::runtime_error("opening the plain index: " + s.ToString());
    }
    plain.reset(raw);
  }

  const uint8_t kLowestStoredLevel = StoreOptions().tree_lowest_stored_level;
  std::atomic<uint64_t> written{0};
  std::atomic<bool> stop{false}, log_done{false};
  std::atomic<uint64_t> applied{0};
  std::vector<uint64_t> revisions(kClients, 0);

  // The sequencer's writes: one synced batch per client batch of 1,000
  // events. With several writers each takes the next 1,000 positions and
  // writes them as its own synced batch; `written` moves on once every
  // batch before it is written.
  std::atomic<uint64_t> claimed{0};
  std::mutex written_mu;
  std::set<uint64_t> finished;  // batch starts written past `written`
  auto write_log = [&](int writer_number) {
    std::mt19937_64 ids(7 + static_cast<uint64_t>(writer_number));
    std::vector<std::pair<std::string, std::string>> id_puts, tree_puts;
    while (!stop.load(std::memory_order_relaxed)) {
      const uint64_t first = claimed.fetch_add(kPerBatch);
      uint64_t position = first;
      size_t next = static_cast<size_t>(first % events.size());
      rocksdb::WriteBatch wb;
      id_puts.clear();
      tree_puts.clear();
      const int client = static_cast<int>((next / kPerBatch) % kClients);
      for (int i = 0; i < kPerBatch; ++i, ++position, next = (next + 1) % events.size()) {
        Prepared& e = events[next];
        std::string bytes = e.bytes;
        const uint64_t stamp[2] = {position, ids()};
        std::memcpy(bytes.data() + bytes.size() - sizeof stamp, stamp, sizeof stamp);
        const std::string pos_key = keys::Position(position);
        wb.Put(db.events(), pos_key, bytes);
        const uint64_t id[2] = {ids(), ids()};
        id_puts.emplace_back(std::string(reinterpret_cast<const char*>(id), sizeof id), pos_key);
        if (o.minimal) continue;
        // Several writers (minimal layout only) would race for the revisions.
        wb.Put(db.streams(), keys::StreamRevision(e.stream, revisions[static_cast<size_t>(client)]++), pos_key);
        // Each node the leaf completes, at the levels a new log stores (the
        // leaf and the nodes above it are two on average; from level 4 up,
        // one in eight).
        for (uint8_t level = 0; level < 64; ++level) {
          std::array<uint64_t, 4> hash{ids(), ids(), ids(), ids()};
          if (level >= kLowestStoredLevel) {
            tree_puts.emplace_back(keys::Node(level, position >> level),
                                   std::string(reinterpret_cast<const char*>(hash.data()), 32));
          }
          if (((position + 1) >> level) % 2 != 0 || ((position + 1) >> level) == 0) break;
        }
      }
      std::sort(id_puts.begin(), id_puts.end());
      std::sort(tree_puts.begin(), tree_puts.end());
      for (const auto& [k, v] : id_puts) wb.Put(db.ids(), k, v);
      for (const auto& [k, v] : tree_puts) wb.Put(db.tree(), k, v);
      rocksdb::WriteOptions wo;
      wo.sync = true;
      if (auto s = db.db()->Write(wo, &wb); !s.ok()) throw std::runtime_error("log write: " + s.ToString());
      std::lock_guard<std::mutex> lk(written_mu);
      finished.insert(first);
      uint64_t upto = written.load();
      while (!finished.empty() && *finished.begin() == upto) {
        finished.erase(finished.begin());
        upto += kPerBatch;
      }
      written.store(upto, std::memory_order_release);
    }
  };
  std::vector<std::thread> log_writers;
  for (int w = 0; w < std::max(1, o.writers); ++w) log_writers.emplace_back(write_log, w);

  // The access index's writes, behind the log.
  std::thread projector([&] {
    if (!o.with_index) return;
    uint64_t done = 0;
    std::vector<uint64_t> clock(kClients, 0);
    // Event p's access time: each client's clock ticks a second per event.
    auto access_time = [&](uint64_t p) {
      const size_t client = (p / kPerBatch) % kClients;
      return (static_cast<uint64_t>(kQuarterStart) + clock[client]++) * 1'000'000;
    };
    // The minimal layout's two keys for event p.
    auto minimal_keys = [&](uint64_t p) {
      const Prepared& e = events[p % events.size()];
      const std::string tail = BigEndian(access_time(p)) + BigEndian(p);
      return std::array<std::string, 2>{"u" + e.user + '\x01' + tail, "s" + e.subject + '\x01' + tail};
    };
    while (true) {
      const uint64_t upto = written.load(std::memory_order_acquire);
      if (done >= upto) {
        if (log_done.load()) break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      const bool ingest = o.minimal && o.sst_events > 0;
      if (ingest && upto - done < o.sst_events && !log_done.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      const uint64_t end = std::min(upto, done + (ingest ? o.sst_events : kIndexBatch));
      if (ingest) {
        std::vector<std::string> sorted;
        sorted.reserve(static_cast<size_t>(2 * (end - done)));
        for (uint64_t p = done; p < end; ++p) {
          for (std::string& k : minimal_keys(p)) sorted.push_back(std::move(k));
        }
        std::sort(sorted.begin(), sorted.end());
        const std::string file = o.dir + "/index-" + std::to_string(done) + ".sst";
        rocksdb::SstFileWriter sst(rocksdb::EnvOptions(), plain->GetOptions());
        rocksdb::Status s = sst.Open(file);
        for (size_t i = 0; s.ok() && i < sorted.size(); ++i) s = sst.Put(sorted[i], "");
        if (s.ok()) s = sst.Finish();
        rocksdb::IngestExternalFileOptions moved;
        moved.move_files = true;
        if (s.ok()) s = plain->IngestExternalFile({file}, moved);
        if (!s.ok()) throw std::runtime_error("the index's table file: " + s.ToString());
      } else if (o.minimal) {
        rocksdb::WriteBatch wb;
        for (uint64_t p = done; p < end; ++p) {
          for (const std::string& k : minimal_keys(p)) wb.Put(k, "");
        }
        rocksdb::WriteOptions no_wal;
        no_wal.disableWAL = true;
        if (auto s = plain->Write(no_wal, &wb); !s.ok()) throw std::runtime_error("index write: " + s.ToString());
      } else {
        auto batch = state.NewBatch();
        for (uint64_t p = done; p < end; ++p) {
          const Prepared& e = events[p % events.size()];
          batch.SetEvent(p);
          const std::string tail = Hex16(access_time(p)) + Hex16(p);
          Check(batch.Put("u" + e.user + '\x01' + tail, e.subject + '\x01' + e.unit + '\x01' + e.stream.substr(8) +
                                                            '\x01' + "handlaggare" + '\x01' + '1'),
                "index put");
          Check(batch.Put("n" + e.unit + '\x01' + tail, ""), "index put");
          Check(batch.Put("s" + e.subject + '\x01' + tail, ""), "index put");
        }
        Check(state.Commit(batch, end), "index commit");
      }
      done = end;
      applied.store(done, std::memory_order_release);
    }
  });

  const CpuSample cpu0 = SampleCpu(getpid());
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  const auto t1 = Clock::now();
  const uint64_t logged = written.load();
  const uint64_t indexed_then = applied.load();
  const CpuSample cpu = CpuSince(cpu0, SampleCpu(getpid()));
  for (std::thread& w : log_writers) w.join();
  log_done = true;
  projector.join();
  const double catch_up = std::chrono::duration<double>(Clock::now() - t1).count();
  const double elapsed = std::chrono::duration<double>(t1 - t0).count();
  // The compactions the run left behind are part of its cost.
  auto busy = [](rocksdb::DB* d) {
    uint64_t running = 0, pending = 0;
    d->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &running);
    d->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes, &pending);
    return running > 0 || pending > 0;
  };
  while (busy(db.db()) || (plain && busy(plain.get())) || state.Background().running > 0 ||
         state.Background().pending_bytes > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const double settled = std::chrono::duration<double>(Clock::now() - t1).count();
  const CpuSample cpu_settled = CpuSince(cpu0, SampleCpu(getpid()));

  char line[1536];
  std::snprintf(line, sizeof line,
                "| RocksDB alone, the same writes (%s) | events | seconds | "
                "events/s | index's events/s | index behind at the end | CPU µs/event | compactions done after | "
                "CPU µs/event with them |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                "| %zu templates, %d users, %d people | %llu | %.1f | %.0f | %.0f | %.1f s | %.1f | %.1f s | %.1f |\n",
                o.minimal ? (!o.with_index ? "minimal layout: events and ids alone, synced per 1,000 events"
                             : o.sst_events > 0
                                 ? "minimal layout: events and ids synced per 1,000 events, (user, time) and "
                                   "(person, time) keys sorted and ingested as table files behind them"
                                 : "minimal layout: events and ids synced per 1,000 events, (user, time) and "
                                   "(person, time) keys behind them without a WAL")
                : o.with_index ? "log synced per 1,000 events, index behind it"
                               : "the log alone, synced per 1,000 events",
                events.size(), o.users, o.people, static_cast<unsigned long long>(logged), elapsed,
                static_cast<double>(logged) / elapsed, static_cast<double>(indexed_then) / elapsed, catch_up,
                cpu.total_seconds * 1e6 / static_cast<double>(std::max<uint64_t>(1, logged)), settled,
                cpu_settled.total_seconds * 1e6 / static_cast<double>(std::max<uint64_t>(1, logged)));
  std::cerr << line;
  return line;
}

}  // namespace sparbar::bench
