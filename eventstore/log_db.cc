#include "eventstore/log_db.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <cstring>

#include "eventstore/keys.h"

namespace sparbar {
namespace {

// Every family's blocks go through one cache of the size the operator chose
// (StoreOptions::cache_bytes): reads of the log by position, which listings
// make at random, are served from it instead of being decompressed again.
rocksdb::ColumnFamilyOptions CachedOptions(const std::shared_ptr<rocksdb::Cache>& cache, bool bloom,
                                           size_t block_bytes = 4096) {
  rocksdb::ColumnFamilyOptions cf;
  BoundSpaceAmplification(&cf);
  CompressForSpace(&cf);
  rocksdb::BlockBasedTableOptions table;
  table.block_size = block_bytes;
  if (bloom) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = cache;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

rocksdb::ColumnFamilyOptions PointLookupOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  return CachedOptions(cache, true);
}

// Event ids are random and almost always new: a bloom filter over the
// memtable answers the sequencer's "is this id known?" without a search
// (the table files have their own filter, above). The memtable is RocksDB's
// skip list, fed each batch's ids in key order (writer.cc). A hash table of
// short lists inserted faster, but every flush then sorted the whole
// memtable by inserting it into a skip list: with the access index running,
// 12% of the server's CPU went to that sort (perf, 3,000 users and 200,000
// people), and dropping it took the intake from 54,744 to 58,929 events/s
// and halved how far the index fell behind (12.7 s to 6.1 s after 40 s).
rocksdb::ColumnFamilyOptions IdIndexOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf = PointLookupOptions(cache);
  cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(16));
  cf.memtable_prefix_bloom_size_ratio = 0.05;
  cf.memtable_whole_key_filtering = true;
  return cf;
}

// The stream-index key up to and including the 0x00 that ends the stream
// name (keys.h).
class StreamNamePrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "sparbar.StreamNamePrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const auto* end = static_cast<const char*>(std::memchr(key.data(), 0, key.size()));
    return rocksdb::Slice(key.data(), static_cast<size_t>(end - key.data()) + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), 0, key.size()) != nullptr;
  }
};

// Keys that arrive in ascending order within a group of their first `n`
// bytes: the events (one group, n = 0: positions only grow) and the Merkle
// tree (a group per level: each level's nodes are completed in index order).
// As for the stream index, the memtable starts each insert where its group's
// last one went. At 100 events per append the skip list's searches were
// about 29% of the server's samples (perf), and the hints took one client
// from 55,365 to 58,056 events/s.
rocksdb::ColumnFamilyOptions AscendingOptions(const std::shared_ptr<rocksdb::Cache>& cache, bool bloom,
                                              size_t group_bytes, size_t block_bytes = 4096) {
  rocksdb::ColumnFamilyOptions cf = CachedOptions(cache, bloom, block_bytes);
  cf.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(group_bytes));
  return cf;
}

// The events: positions only grow, so their table files never overlap and
// compactions move them down the levels without rewriting them, and a file
// keeps the compression of its flush. So ZSTD from the flush on, not only
// on the last level, in blocks of 8 KiB. `tools/bench compression` on
// 300,000 access events, two runs: Snappy in 4 KiB blocks, RocksDB's
// default, 129 bytes per event, 0.32–0.38 µs per event to scan, 4.5–5.8 µs
// per uncached point read; ZSTD in 8 KiB blocks 92 bytes, 0.26 µs, 6.3–6.6
// µs. Larger blocks cost point reads more (16 KiB: 87 bytes, 9.4–9.5 µs); a
// ZSTD dictionary tripled the scan's cost (89 bytes, 0.79–0.80 µs).
rocksdb::ColumnFamilyOptions EventsOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf = AscendingOptions(cache, false, 0, 8192);
  cf.compression = rocksdb::kZSTD;
  return cf;
}

// Appends land on streams all over the index, but each stream's next entry
// goes right after its previous one: the memtable remembers, per stream,
// where its last insert went and starts the next there, instead of searching
// the skip list from the top (a cache miss per level on this machine). Only
// inserts use the prefix; reads are unchanged.
rocksdb::ColumnFamilyOptions StreamIndexOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf = PointLookupOptions(cache);
  cf.memtable_insert_with_hint_prefix_extractor = std::make_shared<StreamNamePrefix>();
  return cf;
}

}  // namespace

void SyncOutputAsWritten(rocksdb::DBOptions* options) { options->bytes_per_sync = 1 << 20; }

void BoundSpaceAmplification(rocksdb::ColumnFamilyOptions* options) {
  options->level_compaction_dynamic_level_bytes = true;
}

void CompressForSpace(rocksdb::ColumnFamilyOptions* options) {
  options->compression = rocksdb::kLZ4Compression;
  options->bottommost_compression = rocksdb::kZSTD;
}

Status FromRocks(const rocksdb::Status& s, const std::string& doing) {
  if (s.ok()) return Status::Ok();
  std::string m = doing + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(m);
  if (s.IsCorruption()) return Status::DataLoss(m);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::Unavailable(m + " (is another Spårbar server using this data directory?)");
  }
  if (s.IsIOError() || s.IsBusy() || s.IsTryAgain()) return Status::Unavailable(m);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(m);
  return Status::Internal(m);
}

Result<std::unique_ptr<LogDb>> LogDb::Open(const std::string& dir, Mode mode, size_t cache_bytes) {
  rocksdb::DBOptions options;
  options.create_if_missing = mode == Mode::kReadWrite;
  options.create_missing_column_families = mode == Mode::kReadWrite;
  options.IncreaseParallelism(2);
  options.max_open_files = 512;
  // A write-ahead log file is kept until every family with entries in it
  // has flushed them. RocksDB's default bound, four times the families'
  // memtables (1.5 GiB here), let the families written little (the tree,
  // the checkpoints) keep over a gigabyte of it on disk: 363 bytes per
  // access event of 633 after an intake of 3 million (`tools/bench compare`'s
  // breakdown). Past this bound RocksDB flushes the families holding the
  // oldest file instead.
  options.max_total_wal_size = uint64_t{256} << 20;
  // The id index's hashed memtable and the stream index's insert hints take
  // one writer at a time; the sequencer is the only writer there is.
  options.allow_concurrent_memtable_write = false;

  SyncOutputAsWritten(&options);
  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(std::max<size_t>(cache_bytes, 1 << 20));
  const rocksdb::ColumnFamilyOptions plain = CachedOptions(cache, false);
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, plain},
      {keys::kEventsCf, EventsOptions(cache)},
      {keys::kStreamsCf, StreamIndexOptions(cache)},
      {keys::kIdsCf, IdIndexOptions(cache)},
      {keys::kTreeCf, AscendingOptions(cache, true, 1)},
      {keys::kCheckpointsCf, plain},
  };
  std::unique_ptr<LogDb> log(new LogDb());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (mode == Mode::kReadWrite) {
    s = rocksdb::DB::Open(options, dir, cfs, &log->handles_, &raw);
  } else {
    s = rocksdb::DB::OpenForReadOnly(options, dir, cfs, &log->handles_, &raw);
  }
  if (!s.ok()) return FromRocks(s, "opening the log in " + dir);
  log->db_.reset(raw);
  auto lowest = log->GetMeta(keys::kMetaTreeLowestLevel);
  if (!lowest.ok()) return lowest.status();
  if (lowest.value()) {
    const std::string& v = *lowest.value();
    const bool digits = !v.empty() && v.size() <= 2 && v.find_first_not_of("0123456789") == std::string::npos;
    const int level = digits ? std::stoi(v) : -1;
    if (level < 0 || level > kMaxLowestStoredLevel) {
      return Status::DataLoss("the log in " + dir + " records a malformed lowest tree level (" + keys::kMetaTreeLowestLevel +
                              ")");
    }
    log->lowest_stored_level_ = static_cast<uint8_t>(level);
  }
  return log;
}

LogDb::~LogDb() {
  for (auto* h : handles_) {
    if (db_) db_->DestroyColumnFamilyHandle(h);
  }
  if (db_) db_->Close().PermitUncheckedError();
}

Status LogDb::FlushAll() {
  rocksdb::FlushOptions wait;
  wait.wait = true;
  return FromRocks(db_->Flush(wait, handles_), "flushing the log's memtables");
}

Result<uint64_t> LogDb::CountEvents() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events()));
  it->SeekToLast();
  if (!it->status().ok()) return FromRocks(it->status(), "finding the end of the log");
  if (!it->Valid()) return uint64_t{0};
  if (it->key().size() != 8) return Status::DataLoss("malformed key in the events family");
  return GetBigEndian64(it->key().data()) + 1;
}

Result<std::string> LogDb::GetEventBytes(uint64_t position) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), events(), keys::Position(position), &value);
  if (s.IsNotFound()) return Status::NotFound("no event at position " + std::to_string(position));
  if (!s.ok()) return FromRocks(s, "reading event " + std::to_string(position));
  return value;
}

Result<std::optional<std::string>> LogDb::GetMeta(const std::string& key) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), meta(), key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading " + key);
  return std::optional<std::string>(std::move(value));
}

Result<std::string> LogDb::GetCheckpointNote(uint64_t size) {
  std::string value;
  auto s = db_->Get(rocksdb::ReadOptions(), checkpoints(), keys::Position(size), &value);
  if (s.IsNotFound()) return Status::NotFound("no checkpoint was issued at tree size " + std::to_string(size));
  if (!s.ok()) return FromRocks(s, "reading checkpoint");
  return value;
}

Result<std::optional<std::pair<uint64_t, std::string>>> LogDb::LatestCheckpoint() {
  using R = std::optional<std::pair<uint64_t, std::string>>;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), checkpoints()));
  it->SeekToLast();
  if (!it->status().ok()) return FromRocks(it->status(), "reading checkpoints");
  if (!it->Valid()) return R();
  if (it->key().size() != 8) return Status::DataLoss("malformed key in the checkpoints family");
  return R(std::make_pair(GetBigEndian64(it->key().data()), it->value().ToString()));
}

}  // namespace sparbar
