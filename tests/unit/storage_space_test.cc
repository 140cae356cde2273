// What the log and the read models' states leave on disk: how they compress
// (log_db.h, CompressForSpace: the events in ZSTD from their flush on, in
// 8 KiB blocks; every other family LZ4 above its last level and ZSTD on it),
// and no write-ahead log after a clean stop (LogDb::FlushAll).
#include <catch2/catch.hpp>

#include <rocksdb/convenience.h>
#include <rocksdb/table_properties.h>
#include <rocksdb/utilities/options_util.h>

#include <filesystem>
#include <string>
#include <vector>

#include "eventstore/log_db.h"
#include "projections/versioned_state.h"
#include "store_test_util.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

// Each table file of the family, as RocksDB describes it.
std::vector<rocksdb::TableProperties> TablesOf(LogDb& db, rocksdb::ColumnFamilyHandle* family) {
  rocksdb::TablePropertiesCollection all;
  REQUIRE(db.db()->GetPropertiesOfAllTables(family, &all).ok());
  std::vector<rocksdb::TableProperties> out;
  for (const auto& [path, props] : all) out.push_back(*props);
  return out;
}

}  // namespace

TEST_CASE("the log compresses its events with ZSTD from the flush on, and every family's last level", "[store]") {
  TempDir dir;
  StoreOptions opts = TestOptions(dir);
  {
    auto store = OpenStore(opts);
    // 600 events of about 300 bytes, as compressible as real ones are.
    for (int a = 0; a < 6; ++a) {
      std::vector<ProposedEvent> events;
      for (int i = 0; i < 100; ++i) {
        events.push_back(MakeEvent("test.event", "{\"user\":\"SE2321000230-U" + std::to_string(i % 7) +
                                                     "\",\"unit\":\"Hemtjänst Norr\",\"note\":\"" +
                                                     std::string(200, static_cast<char>('a' + i % 5)) + "\"}"));
      }
      REQUIRE(store->Append("s-" + std::to_string(a), ExpectedRevision::Any(), std::move(events), "test", {}).ok());
    }
  }
  auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadWrite);
  REQUIRE(db.ok());
  LogDb& log = **db;
  for (auto* family : {log.events(), log.streams(), log.ids(), log.tree()}) {
    REQUIRE(log.db()->Flush(rocksdb::FlushOptions(), family).ok());
  }

  // Flushed, before any compaction: the events are ZSTD already, the rest LZ4.
  const auto flushed_events = TablesOf(log, log.events());
  REQUIRE(!flushed_events.empty());
  for (const auto& t : flushed_events) {
    CHECK(t.compression_name == "ZSTD");
    // Blocks of about 8 KiB of events before compression (RocksDB's default is 4 KiB).
    REQUIRE(t.num_data_blocks > 2);
    const uint64_t per_block = (t.raw_key_size + t.raw_value_size) / t.num_data_blocks;
    CHECK(per_block > 4096);
    CHECK(per_block <= 8192 + 400);
  }
  for (auto* family : {log.streams(), log.ids()}) {
    const auto tables = TablesOf(log, family);
    REQUIRE(!tables.empty());
    for (const auto& t : tables) CHECK(t.compression_name == "LZ4");
  }

  // Compacted down to the last level: ZSTD everywhere.
  rocksdb::CompactRangeOptions down;
  down.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (auto* family : {log.events(), log.streams(), log.ids(), log.tree()}) {
    REQUIRE(log.db()->CompactRange(down, family, nullptr, nullptr).ok());
    const auto tables = TablesOf(log, family);
    REQUIRE(!tables.empty());
    for (const auto& t : tables) CHECK(t.compression_name == "ZSTD");
  }
}

TEST_CASE("a read model's state is LZ4 above its last level and ZSTD on it", "[projection]") {
  TempDir dir;
  const std::string state_dir = (dir.path() / "state").string();
  {
    auto state = projections::VersionedState::Open(state_dir);
    REQUIRE(state.ok());
    auto batch = (*state)->NewBatch();
    batch.SetEvent(0);
    REQUIRE(batch.Put("k", "v").ok());
    REQUIRE((*state)->Commit(batch, 1).ok());
  }
  // What the state was opened with, as RocksDB recorded it in its directory.
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  rocksdb::ConfigOptions config;
  REQUIRE(rocksdb::LoadLatestOptions(config, state_dir, &db_options, &families).ok());
  REQUIRE(families.size() == 1);
  CHECK(families[0].options.compression == rocksdb::kLZ4Compression);
  CHECK(families[0].options.bottommost_compression == rocksdb::kZSTD);
}

TEST_CASE("a clean stop leaves no write-ahead log to replay, and nothing lost", "[store]") {
  TempDir dir;
  StoreOptions opts = TestOptions(dir);
  {
    auto store = OpenStore(opts);
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(50), "test", {}).ok());
  }
  // RocksDB's write-ahead log files end in ".log"; after the flush at the
  // stop they are deleted or empty.
  uintmax_t wal_bytes = 0;
  for (const auto& f : std::filesystem::directory_iterator(opts.data_dir)) {
    if (f.path().extension() == ".log") wal_bytes += f.file_size();
  }
  CHECK(wal_bytes == 0);
  auto store = OpenStore(opts);
  CHECK(store->Size() == 50);
  auto page = store->ReadStream("s", ReadStreamOptions{});
  REQUIRE(page.ok());
  CHECK(page->events.size() == 50);
}
