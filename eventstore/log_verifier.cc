#include "eventstore/log_verifier.h"

#include <rocksdb/snapshot.h>

#include <array>
#include <atomic>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "eventstore/checkpoint/note.h"
#include "eventstore/codec.h"
#include "eventstore/index_check.h"
#include "eventstore/keys.h"
#include "eventstore/log_nodes.h"
#include "eventstore/merkle/compact_range.h"
#include "eventstore/merkle/proof.h"
#include "eventstore/merkle/verify.h"

namespace sparbar {
namespace {

class SnapshotGuard {
 public:
  explicit SnapshotGuard(rocksdb::DB* db) : db_(db), snap_(db->GetSnapshot()) {}
  ~SnapshotGuard() {
    if (snap_) db_->ReleaseSnapshot(snap_);
  }
  const rocksdb::Snapshot* get() const { return snap_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

// Positions per IndexCheck window: 8 bytes each, 128 MiB at most.
constexpr uint64_t kWindow = uint64_t{1} << 24;

// A tree node's fold key: its key in the tree family followed by its hash.
constexpr size_t kNodeKeySize = 9;
using NodeFold = std::array<char, kNodeKeySize + 32>;

NodeFold NodeFoldKey(uint8_t level, uint64_t index, const char* hash) {
  NodeFold f;
  const std::string key = keys::Node(level, index);  // short enough to need no allocation
  std::memcpy(f.data(), key.data(), kNodeKeySize);
  std::memcpy(f.data() + kNodeKeySize, hash, 32);
  return f;
}

// The leaf whose append completes node (level, index): its last leaf.
// UINT64_MAX when that lies beyond any log.
uint64_t LastLeaf(uint8_t level, uint64_t index) {
  if (level >= 64 || index >= (UINT64_MAX >> level)) return UINT64_MAX;
  return ((index + 1) << level) - 1;
}

// Reads stored families on a thread of its own and folds every entry whose
// position lies in the check's window into it: an index entry at the
// position it points at, a tree node at its last leaf. Finish() waits and
// returns the first malformed entry found ("" if none); Stop() makes it end
// early (its folds are then incomplete).
class StoredReader {
 public:
  StoredReader(LogDb& db, const rocksdb::ReadOptions& ro, IndexCheck& check, uint64_t total,
               std::vector<IndexCheck::Family> families)
      : families_(std::move(families)), thread_([this, &db, &ro, &check, total] { Run(db, ro, check, total); }) {}
  ~StoredReader() {
    if (thread_.joinable()) thread_.join();
  }

  void Stop() { stop_.store(true, std::memory_order_relaxed); }

  Result<std::string> Finish() {
    thread_.join();
    if (!status_.ok()) return status_;
    return error_;
  }

 private:
  void Run(LogDb& db, const rocksdb::ReadOptions& ro, IndexCheck& check, uint64_t total) {
    for (IndexCheck::Family family : families_) {
      rocksdb::ColumnFamilyHandle* cf = family == IndexCheck::Family::kStreams ? db.streams()
                                        : family == IndexCheck::Family::kIds   ? db.ids()
                                                                               : db.tree();
      const char* name = family == IndexCheck::Family::kStreams ? "the stream index"
                         : family == IndexCheck::Family::kIds   ? "the event-id index"
                                                                : "the Merkle tree";
      std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, cf));
      for (it->SeekToFirst(); it->Valid() && !stop_.load(std::memory_order_relaxed); it->Next()) {
        if (family == IndexCheck::Family::kTree) {
          if (it->key().size() != kNodeKeySize || it->value().size() != 32) {
            error_ = "the Merkle tree holds a malformed node entry";
            return;
          }
          const auto level = static_cast<uint8_t>(it->key()[0]);
          const uint64_t index = GetBigEndian64(it->key().data() + 1);
          if (level < db.lowest_stored_level()) {
            error_ = "the Merkle tree holds node (level " + std::to_string(level) + ", index " +
                     std::to_string(index) + "), below the lowest level this log stores (" +
                     std::to_string(db.lowest_stored_level()) + ")";
            return;
          }
          const uint64_t last = LastLeaf(level, index);
          if (last >= total) {
            error_ = "the Merkle tree holds node (level " + std::to_string(level) + ", index " +
                     std::to_string(index) + "), which covers leaves past the end of the log";
            return;
          }
          if (last >= check.first() && last < check.end()) {
            const NodeFold f = NodeFoldKey(level, index, it->value().data());
            check.Fold(family, std::string_view(f.data(), f.size()), last);
          }
          continue;
        }
        if (it->value().size() != 8) {
          error_ = std::string(name) + " holds an entry whose value is not a position";
          return;
        }
        const uint64_t pos = GetBigEndian64(it->value().data());
        if (pos >= total) {
          error_ = std::string(name) + " points at position " + std::to_string(pos) + ", past the end of the log";
          return;
        }
        if (pos >= check.first() && pos < check.end()) {
          check.Fold(family, std::string_view(it->key().data(), it->key().size()), pos);
        }
      }
      if (!it->status().ok()) {
        status_ = FromRocks(it->status(), std::string("reading ") + name);
        return;
      }
    }
  }

  const std::vector<IndexCheck::Family> families_;
  Status status_;
  std::string error_;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: starts after the members it uses exist
};

struct StoredCheckpoint {
  uint64_t size;
  std::string note;
};

class Verification {
 public:
  Verification(LogDb& db, const checkpoint::Verifier& key, const rocksdb::ReadOptions& ro)
      : db_(db), key_(key), ro_(ro) {}

  Result<VerifyReport> Run(const VerifyProgress& progress, uint64_t every);

 private:
  VerifyReport Fail(std::string error, std::optional<uint64_t> position) {
    report_.ok = false;
    report_.error = std::move(error);
    report_.bad_position = position;
    return report_;
  }
  // Checks every checkpoint stored at exactly `size`; false on the first failure.
  bool CheckCheckpointsAt(uint64_t size);
  bool IndexPointsAt(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key, uint64_t position);
  // Checks one event and folds its index keys and the tree nodes its append
  // completes into `check`; a failed report when it does not hold.
  // `folded` tells whether the folds for `pos` were all made.
  std::optional<VerifyReport> CheckEvent(IndexCheck& check, const rocksdb::Slice& key, std::string_view bytes,
                                         uint64_t pos, uint64_t& last_checkpoint_ok, bool& folded);
  // What is wrong, and the first position it may concern.
  struct Blame {
    std::string error;
    uint64_t position;
  };
  // After IndexCheck found `pos`'s entries wrong, the first wrong one: the
  // tree nodes `pos` completes, then its index entries, by looking them up.
  // Every position before `pos` is known good, except those under a node the
  // blame names (a log that does not store its lowest levels cannot tell a
  // changed event there from a changed node above it).
  Blame WhichEntryIsWrong(uint64_t pos);
  // The first stored tree node `pos` completes that is missing or does not
  // match the event and the (known good) nodes left of it; nullopt if none.
  std::optional<Blame> WhichTreeNodeIsWrong(uint64_t pos);

  LogDb& db_;
  const checkpoint::Verifier& key_;
  const rocksdb::ReadOptions& ro_;
  VerifyReport report_;
  merkle::CompactRange tree_;
  std::vector<StoredCheckpoint> checkpoints_;
  size_t next_checkpoint_ = 0;
  std::optional<checkpoint::Checkpoint> previous_;
  std::string checkpoint_error_;
  std::string stream_key_;
};

bool Verification::CheckCheckpointsAt(uint64_t size) {
  while (next_checkpoint_ < checkpoints_.size() && checkpoints_[next_checkpoint_].size == size) {
    const auto& stored = checkpoints_[next_checkpoint_++];
    const std::string where = "checkpoint at tree size " + std::to_string(size);
    auto cp = checkpoint::OpenCheckpoint(stored.note, key_);
    if (!cp.ok()) {
      checkpoint_error_ = where + ": " + cp.status().message();
      return false;
    }
    if (cp->size != size) {
      checkpoint_error_ = where + " is stored under the wrong size (" + std::to_string(cp->size) + ")";
      return false;
    }
    if (cp->root != tree_.Root()) {
      checkpoint_error_ = where + ": the signed root does not match the root recomputed from the events";
      return false;
    }
    // Every tree extends the empty tree: there is nothing to prove from size 0.
    if (previous_ && previous_->size > 0) {
      LogNodeReader reader(db_, ro_);
      auto proof = merkle::ConsistencyProof(reader, previous_->size, size);
      Status s = proof.ok() ? merkle::VerifyConsistency(previous_->size, size, proof.value(),
                                                        previous_->root, cp->root)
                            : proof.status();
      if (!s.ok()) {
        checkpoint_error_ = where + " is not consistent with the checkpoint at " +
                            std::to_string(previous_->size) + ": " + s.message();
        return false;
      }
    }
    previous_ = cp.value();
    ++report_.checkpoints_checked;
  }
  return true;
}

bool Verification::IndexPointsAt(rocksdb::ColumnFamilyHandle* cf, const rocksdb::Slice& key,
                                 uint64_t position) {
  std::string v;
  auto s = db_.db()->Get(ro_, cf, key, &v);
  return s.ok() && v.size() == 8 && GetBigEndian64(v.data()) == position;
}

std::optional<VerifyReport> Verification::CheckEvent(IndexCheck& check, const rocksdb::Slice& key,
                                                     std::string_view bytes, uint64_t pos,
                                                     uint64_t& last_checkpoint_ok, bool& folded) {
  folded = false;
  if (key.size() != 8 || GetBigEndian64(key.data()) != pos) {
    return Fail("no event at position " + std::to_string(pos) + ": the log has a gap", pos);
  }
  auto rec = DecodeEventView(bytes);
  if (!rec.ok()) return Fail("event does not decode: " + rec.status().message(), pos);
  if (rec->position != pos) return Fail("event records position " + std::to_string(rec->position), pos);
  keys::StreamRevisionInto(&stream_key_, rec->stream, rec->revision);  // a buffer kept between events
  check.Fold(IndexCheck::Family::kStreams, stream_key_, pos);
  check.Fold(IndexCheck::Family::kIds, rec->id, pos);
  // Every node this append completes has `pos` as its last leaf; the tree's
  // reader folds the stored ones there. Levels the log does not store are
  // only part of the root each checkpoint is checked against.
  tree_.Append(merkle::LeafHash(bytes), [&](uint8_t level, uint64_t index, const merkle::Hash& h) {
    if (level < db_.lowest_stored_level()) return;
    const NodeFold f = NodeFoldKey(level, index, reinterpret_cast<const char*>(h.data()));
    check.Fold(IndexCheck::Family::kTree, std::string_view(f.data(), f.size()), pos);
  });
  folded = true;
  ++report_.events_checked;
  report_.bytes_checked += bytes.size();
  if (!CheckCheckpointsAt(pos + 1)) {
    // The stored nodes agreed but the signed root did not: the tree was
    // rewritten along with the events. Name the range the checkpoint covers.
    return Fail(checkpoint_error_ + " (a change between positions " + std::to_string(last_checkpoint_ok) + " and " +
                    std::to_string(pos) + ")",
                std::nullopt);
  }
  if (previous_) last_checkpoint_ok = previous_->size;
  return std::nullopt;
}

std::optional<Verification::Blame> Verification::WhichTreeNodeIsWrong(uint64_t pos) {
  std::string bytes;
  if (!db_.db()->Get(ro_, db_.events(), keys::Position(pos), &bytes).ok()) return std::nullopt;
  merkle::Hash computed = merkle::LeafHash(bytes);
  LogNodeReader nodes(db_, ro_);
  // Node (level, pos >> level) is completed by `pos` while the levels below
  // it end there; its left child lies wholly before `pos`, so is good (read
  // as stored, or recomputed from the good events below the stored levels).
  for (uint8_t level = 0; level < 64 && LastLeaf(level, pos >> level) == pos; ++level) {
    const uint64_t index = pos >> level;
    if (level > 0) {
      auto left = nodes.Node(level - 1, 2 * index);
      if (!left.ok()) {
        return Blame{(level - 1 >= db_.lowest_stored_level() ? "stored " : "") + left.status().message(), pos};
      }
      computed = merkle::NodeHash(*left, computed);
    }
    if (level < db_.lowest_stored_level()) continue;  // not stored: nothing to compare
    std::string stored;
    const bool found = db_.db()->Get(ro_, db_.tree(), keys::Node(level, index), &stored).ok();
    if (found && stored == std::string_view(reinterpret_cast<const char*>(computed.data()), computed.size())) {
      continue;
    }
    if (level == 0) {
      return Blame{found ? "the event's bytes do not match its stored leaf hash" : "the event's stored leaf hash is missing",
                   pos};
    }
    const std::string node = "stored tree node (level " + std::to_string(level) + ", index " + std::to_string(index) + ")";
    if (!found) return Blame{node + " is missing", pos};
    if (level > db_.lowest_stored_level()) return Blame{node + " does not match the events under it", pos};
    // Its events were not checked against stored leaves: one of them may be
    // what changed.
    const uint64_t first = index << level;
    return Blame{node + " does not match the events under it (positions " + std::to_string(first) + " to " +
                     std::to_string(pos) + "): the node or one of those events was changed",
                 first};
  }
  return std::nullopt;
}

Verification::Blame Verification::WhichEntryIsWrong(uint64_t pos) {
  if (auto tree = WhichTreeNodeIsWrong(pos)) return *tree;
  std::string bytes;
  auto s = db_.db()->Get(ro_, db_.events(), keys::Position(pos), &bytes);
  auto rec = s.ok() ? DecodeEvent(bytes) : Result<EventRecord>(Status::DataLoss("unreadable"));
  if (rec.ok()) {
    if (!IndexPointsAt(db_.streams(), keys::StreamRevision(rec->stream, rec->revision), pos)) {
      return {"the stream index does not point at this event", pos};
    }
    if (!IndexPointsAt(db_.ids(), rocksdb::Slice(rec->id.raw().data(), 16), pos)) {
      return {"the event-id index does not point at this event", pos};
    }
  }
  // (Every node whose last leaf is `pos` was looked at above: a node's key
  // fixes its last leaf, so the tree can hold no extra one here.)
  return {"an index holds an entry pointing at this event under a key that is not the event's", pos};
}

Result<VerifyReport> Verification::Run(const VerifyProgress& progress, uint64_t every) {
  {
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(ro_, db_.checkpoints()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->key().size() != 8) return Fail("malformed key in the checkpoints family", std::nullopt);
      checkpoints_.push_back({GetBigEndian64(it->key().data()), it->value().ToString()});
    }
    if (!it->status().ok()) return FromRocks(it->status(), "reading checkpoints");
  }
  uint64_t total = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(ro_, db_.events()));
    it->SeekToLast();
    if (!it->status().ok()) return FromRocks(it->status(), "finding the end of the log");
    if (it->Valid()) total = GetBigEndian64(it->key().data()) + 1;
  }
  if (!checkpoints_.empty() && checkpoints_.back().size > total) {
    return Fail("a checkpoint was signed at tree size " + std::to_string(checkpoints_.back().size) +
                    " but the log holds at most " + std::to_string(total) +
                    " events: events were removed from the end",
                total);
  }
  if (!CheckCheckpointsAt(0)) return Fail(checkpoint_error_, std::nullopt);

  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(ro_, db_.events()));
  it->SeekToFirst();
  uint64_t pos = 0;
  uint64_t last_checkpoint_ok = 0;
  // The events are read in windows of positions; for each, the index
  // families and the tree are read on two more threads (index_check.h). An
  // empty log gets one empty window, so that any stored entry is found
  // pointing past its end.
  for (uint64_t window = 0; window == 0 || window < total; window += kWindow) {
    auto check = IndexCheck::Create(window, std::min(kWindow, total - window));
    if (!check.ok()) return check.status();
    StoredReader indexes(db_, ro_, **check, total, {IndexCheck::Family::kStreams, IndexCheck::Family::kIds});
    StoredReader tree(db_, ro_, **check, total, {IndexCheck::Family::kTree});
    std::optional<VerifyReport> failed;
    bool folded = false;  // whether the folds for `pos` were made
    for (; it->Valid() && pos < (*check)->end(); it->Next(), ++pos) {
      failed = CheckEvent(**check, it->key(), std::string_view(it->value().data(), it->value().size()), pos,
                          last_checkpoint_ok, folded);
      if (failed) break;
      if (progress && (pos + 1) % every == 0 && !progress(pos + 1, total)) {
        indexes.Stop();  // no verdict is wanted any more
        tree.Stop();
        (void)indexes.Finish();
        (void)tree.Finish();
        return Fail("verification was cancelled", std::nullopt);
      }
    }
    // The stored families' verdict on the positions the event pass covered
    // comes first: it names an earlier position than the pass's own failure
    // (or the same one, more precisely, when that position was folded).
    auto entries = indexes.Finish();
    auto nodes = tree.Finish();
    if (!entries.ok()) return entries.status();
    if (!nodes.ok()) return nodes.status();
    if (!entries->empty()) return Fail(*entries, std::nullopt);
    if (!nodes->empty()) return Fail(*nodes, std::nullopt);
    if (auto bad = (*check)->FirstMismatch(); bad && (*bad < pos || (*bad == pos && failed && folded))) {
      Blame blame = WhichEntryIsWrong(*bad);
      return Fail(std::move(blame.error), blame.position);
    }
    if (failed) return *failed;
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the log");
  if (next_checkpoint_ != checkpoints_.size()) {
    return Fail("a checkpoint at tree size " + std::to_string(checkpoints_[next_checkpoint_].size) +
                    " was never reached",
                std::nullopt);
  }
  if (progress) progress(pos, total);
  return report_;
}

}  // namespace

Result<VerifyReport> VerifyLog(LogDb& db, const checkpoint::Verifier& key,
                               const VerifyProgress& progress, uint64_t progress_every) {
  SnapshotGuard snapshot(db.db());
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot.get();
  ro.fill_cache = false;
  Verification v(db, key, ro);
  return v.Run(progress, progress_every == 0 ? 10000 : progress_every);
}

Result<VerifyReport> VerifyDataDir(const std::string& data_dir, const std::string& verifier_key,
                                   const VerifyProgress& progress) {
  auto db = LogDb::Open(data_dir, LogDb::Mode::kReadOnly);
  if (!db.ok()) return db.status();
  std::string vkey = verifier_key;
  if (vkey.empty()) {
    auto stored = db.value()->GetMeta(keys::kMetaVerifierKey);
    if (!stored.ok()) return stored.status();
    if (!stored.value()) {
      return Status::FailedPrecondition("the log records no verifier key; pass one with --public-key");
    }
    vkey = *stored.value();
  }
  auto key = checkpoint::Verifier::FromVerifierKey(vkey);
  if (!key.ok()) return key.status();
  return VerifyLog(*db.value(), key.value(), progress);
}

}  // namespace sparbar
