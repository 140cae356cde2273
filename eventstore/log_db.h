// LogDb: the RocksDB instance behind the log, with its column families (keys.h).
//
// Owns the rocksdb::DB and its handles. Opened read-write by the store (one
// process at a time, RocksDB's LOCK file enforces it) or read-only by the
// offline verifier, which may run beside a live server. Typed accessors return
// Status; no domain knowledge lives here.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"

namespace sparbar {

class LogDb {
 public:
  // The highest lowest-stored tree level a log may have: a node below it is
  // recomputed from at most 2^(this - 1) events.
  static constexpr uint8_t kMaxLowestStoredLevel = 8;
  enum class Mode { kReadWrite, kReadOnly };
  // `cache_bytes`: one block cache shared by every column family.
  static Result<std::unique_ptr<LogDb>> Open(const std::string& dir, Mode mode, size_t cache_bytes = 64 << 20);
  ~LogDb();
  LogDb(const LogDb&) = delete;
  LogDb& operator=(const LogDb&) = delete;

  // Writes every family's memtable to table files and waits for it. The
  // write-ahead log then holds nothing that is not in a table file, and
  // RocksDB deletes it: a clean stop leaves no log to replay at the next
  // start and no disk held by it.
  Status FlushAll();

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* events() { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* streams() { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* ids() { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* tree() { return handles_[4]; }
  rocksdb::ColumnFamilyHandle* checkpoints() { return handles_[5]; }
  rocksdb::ColumnFamilyHandle* meta() { return handles_[0]; }

  // Number of events: one past the last key of the events family.
  Result<uint64_t> CountEvents();
  // Raw canonical bytes of the event at `position`; NotFound if absent.
  Result<std::string> GetEventBytes(uint64_t position);
  // The tree's nodes are read through LogNodeReader (log_nodes.h).
  // The lowest tree level this log stores (keys::kMetaTreeLowestLevel), read
  // when the log is opened; 0 for a log that records none.
  uint8_t lowest_stored_level() const { return lowest_stored_level_; }
  // For the store, once it has recorded the level of a log it creates.
  void set_lowest_stored_level(uint8_t level) { lowest_stored_level_ = level; }
  // nullopt when the key is absent.
  Result<std::optional<std::string>> GetMeta(const std::string& key);
  // Signed note stored for exactly this tree size; NotFound if none.
  Result<std::string> GetCheckpointNote(uint64_t size);
  // The checkpoint with the largest size, if any: (size, note).
  Result<std::optional<std::pair<uint64_t, std::string>>> LatestCheckpoint();

 private:
  LogDb() = default;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
  uint8_t lowest_stored_level_ = 0;
};

// Has RocksDB write its flush and compaction output to disk a megabyte at a
// time as it goes, instead of leaving gigabytes of dirty pages for the
// kernel to write at once, which an append's sync of the write-ahead log
// can queue behind (RocksDB's own tuning advice; not measured apart here).
void SyncOutputAsWritten(rocksdb::DBOptions* options);

// Sizes each level of the LSM tree from the last level up (RocksDB's
// level_compaction_dynamic_level_bytes, its default from version 8.4), so
// that the older copies of data the upper levels hold stay about a tenth of
// the last level, wherever it happens to end. RocksDB's advice; its effect
// was not measured apart from the write-ahead log's bound (log_db.cc).
void BoundSpaceAmplification(rocksdb::ColumnFamilyOptions* options);

// Compresses the last level of the LSM tree, where about nine tenths of the
// data end up and stay, with ZSTD, and the levels above it with LZ4, whose
// data are rewritten soon and where writing speed counts more. On a
// 3-million-event access log this took the data directory from 289 to 205
// bytes per event (docs/eventstore.md, "Space on disk"). Files keep the
// compression they were written with: an older data directory reads as
// before, and its files take the new compression when a compaction
// rewrites them.
void CompressForSpace(rocksdb::ColumnFamilyOptions* options);

// Maps a RocksDB status to ours, prefixing what was being done.
Status FromRocks(const rocksdb::Status& s, const std::string& doing);

}  // namespace sparbar
