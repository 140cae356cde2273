// VersionedState: a projection's key-value state in its own RocksDB instance,
// keeping every version, so that it can be read as of any log position.
//
// Layout: "v/" key 0x00 BE64(~position) -> 0x01 value (a put) or 0x00 (a
// delete), where position is that of the event that wrote it; "m/position"
// -> BE64(events applied); "m/version" -> BE64(projection version). A batch
// of events commits its versions and the new position in one atomic write,
// so after a crash the state is that of some whole batch, never half of one.
// Writes are not synced and skip RocksDB's write-ahead log: the state can
// always be rebuilt from the log. After a crash RocksDB has what it flushed,
// memtable by memtable, which is still some whole batch with its position.
//
// Reading "as of N" means the state after applying positions 0..N-1.
// Not thread-safe for writers; reads may run beside the one writer.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"
#include "projections/projection.h"

namespace sparbar::projections {

class VersionedState {
 public:
  // Opens (creating) the state in `dir`. Keys starting with a byte of
  // `grouped_key_starts` are inserted near their group's last key
  // (Projection::GroupedKeyStarts).
  static Result<std::unique_ptr<VersionedState>> Open(const std::string& dir,
                                                      const std::string& grouped_key_starts = {});

  uint64_t position() const { return position_.load(std::memory_order_acquire); }
  std::optional<uint32_t> version() const { return version_; }

  Result<std::optional<std::string>> Get(std::string_view key, uint64_t as_of) const;
  // Keys starting with `prefix` that hold a value as of `as_of`, in key order,
  // at most `limit` of them (0: all), starting after `after` when it is set.
  Result<std::vector<std::pair<std::string, std::string>>> Scan(std::string_view prefix, uint64_t as_of,
                                                                size_t limit = 0,
                                                                std::string_view after = {}) const;
  // SHA-256 over every (key, value) as of `as_of`, in key order: equal digests
  // mean equal states.
  Result<merkle::Hash> Digest(uint64_t as_of) const;

  // A batch of changes, applied to the state by Commit. Get and Scan look
  // through the batch's own changes linearly before the stored state: cheap
  // for folds that read little, as a batch holds at most a page of events.
  class Batch final : public StateWriter {
   public:
    Result<std::optional<std::string>> Get(std::string_view key) override;
    Result<std::vector<std::pair<std::string, std::string>>> Scan(std::string_view prefix) override;
    Status Put(std::string_view key, std::string_view value) override;
    Status Delete(std::string_view key) override;
    // Subsequent changes belong to the event at `position`.
    void SetEvent(uint64_t position) {
      event_position_ = position;
      event_begin_ = changes_.size();
    }
    // Throws away the changes of the current event (it failed to apply).
    void DropEvent() { changes_.resize(event_begin_); }

   private:
    friend class VersionedState;
    explicit Batch(const VersionedState* state) : state_(state) {}
    Status Write(std::string_view key, const std::string_view* value);
    const VersionedState* state_;
    uint64_t event_position_ = 0;
    // The changes in order, each as it will be stored.
    struct Change {
      std::string version_key;  // "v/" key 0x00 BE64(~position)
      std::string stored;       // a marker byte (1: a value, 0: deleted) and the value
      std::string_view key() const;
    };
    std::vector<Change> changes_;
    size_t event_begin_ = 0;  // the current event's first change
  };
  Batch NewBatch() const { return Batch(this); }
  // Writes the batch's changes and sets the position to `new_position`.
  Status Commit(Batch& batch, uint64_t new_position);

  // Deletes everything and records `version` with position 0.
  Status Reset(uint32_t version);

  // RocksDB's background work on the state now: compactions running, and
  // the bytes it estimates are left to compact (after a rebuild, or a busy
  // intake, they run long after the position has caught up).
  struct Compactions {
    uint64_t running = 0;
    uint64_t pending_bytes = 0;
  };
  Compactions Background() const;

 private:
  VersionedState() = default;
  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<uint64_t> position_{0};  // set after each commit; read by queries
  std::optional<uint32_t> version_;
};

}  // namespace sparbar::projections
