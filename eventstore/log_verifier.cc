#include "eventstore/log_verifier.h"

#include <rocksdb/snapshot.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "eventstore/checkpoint/note.h"
#include "eventstore/codec.h"
#include "eventstore/index_check.h"
#include "eventstore/keys.h"
#include "eventstore/merkle/compact_range.h"
#include "eventstore/merkle/proof.h"
#include "eventstore/merkle/verify.h"

namespace sparbar {
namespace {

class SnapshotNodeReader : public merkle::NodeReader {
 public:
  SnapshotNodeReader(LogDb& db, const rocksdb::ReadOptions& ro) : db_(db), ro_(ro) {}
  Result<merkle::Hash> Node(uint8_t level, uint64_t index) override {
    std::string v;
    auto s = db_.db()->Get(ro_, db_.tree(), keys::Node(level, index), &v);
    if (!s.ok() || v.size() != 32) {
      return Status::DataLoss("tree node (level " + std::to_string(level) + ", index " +
                              std::to_string(index) + ") is missing or malformed");
    }
    merkle::Hash h;
    std::copy(v.begin(), v.end(), h.begin());
    return h;
  }

 private:
  LogDb& db_;
  const rocksdb::ReadOptions& ro_;
};

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

// Reads the stream and event-id index families on a thread of its own and
// folds every entry whose position lies in the check's window into it.
// Finish() waits and returns the first malformed entry found ("" if none);
// Stop() makes it end early (its folds are then incomplete).
class IndexReader {
 public:
  IndexReader(LogDb& db, const rocksdb::ReadOptions& ro, IndexCheck& check, uint64_t total)
      : thread_([this, &db, &ro, &check, total] { Run(db, ro, check, total); }) {}
  ~IndexReader() {
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
    const std::pair<rocksdb::ColumnFamilyHandle*, IndexCheck::Family> families[] = {
        {db.streams(), IndexCheck::Family::kStreams}, {db.ids(), IndexCheck::Family::kIds}};
    for (const auto& [cf, family] : families) {
      const char* name = family == IndexCheck::Family::kStreams ? "the stream index" : "the event-id index";
      std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, cf));
      for (it->SeekToFirst(); it->Valid() && !stop_.load(std::memory_order_relaxed); it->Next()) {
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
  // Checks one event and folds its index keys into `check`; a failed report
  // when it does not hold.
  std::optional<VerifyReport> CheckEvent(IndexCheck& check, const rocksdb::Slice& key, std::string_view bytes,
                                         uint64_t pos, uint64_t& last_checkpoint_ok);
  // After IndexCheck found `pos`'s entries wrong: which, by looking them up.
  std::string WhichIndexIsWrong(uint64_t pos);
  // Compares a node the recomputation completed with the stored one.
  bool StoredNodeMatches(uint8_t level, uint64_t index, const merkle::Hash& hash);

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
  std::vector<std::unique_ptr<rocksdb::Iterator>> level_iterators_ = std::vector<std::unique_ptr<rocksdb::Iterator>>(64);
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
      SnapshotNodeReader reader(db_, ro_);
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

bool Verification::StoredNodeMatches(uint8_t level, uint64_t index, const merkle::Hash& hash) {
  auto& it = level_iterators_[level];
  const std::string key = keys::Node(level, index);
  if (!it) {
    it.reset(db_.db()->NewIterator(ro_, db_.tree()));
    it->Seek(key);
  }
  bool match = it->Valid() && it->key() == rocksdb::Slice(key) &&
               it->value() == rocksdb::Slice(reinterpret_cast<const char*>(hash.data()), hash.size());
  if (it->Valid() && it->key() == rocksdb::Slice(key)) it->Next();
  else if (!match) it.reset();  // re-seek next time, past the hole
  return match;
}

std::optional<VerifyReport> Verification::CheckEvent(IndexCheck& check, const rocksdb::Slice& key,
                                                     std::string_view bytes, uint64_t pos,
                                                     uint64_t& last_checkpoint_ok) {
  if (key.size() != 8 || GetBigEndian64(key.data()) != pos) {
    return Fail("no event at position " + std::to_string(pos) + ": the log has a gap", pos);
  }
  auto rec = DecodeEventView(bytes);
  if (!rec.ok()) return Fail("event does not decode: " + rec.status().message(), pos);
  if (rec->position != pos) return Fail("event records position " + std::to_string(rec->position), pos);
  keys::StreamRevisionInto(&stream_key_, rec->stream, rec->revision);  // a buffer kept between events
  check.Fold(IndexCheck::Family::kStreams, stream_key_, pos);
  check.Fold(IndexCheck::Family::kIds, rec->id, pos);
  std::string node_error;
  tree_.Append(merkle::LeafHash(bytes), [&](uint8_t level, uint64_t index, const merkle::Hash& h) {
    if (node_error.empty() && !StoredNodeMatches(level, index, h)) {
      node_error = level == 0 ? "the event's bytes do not match its stored leaf hash"
                              : "stored tree node (level " + std::to_string(level) + ", index " +
                                    std::to_string(index) + ") does not match the events under it";
    }
  });
  if (!node_error.empty()) return Fail(node_error, pos);
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

std::string Verification::WhichIndexIsWrong(uint64_t pos) {
  std::string bytes;
  auto s = db_.db()->Get(ro_, db_.events(), keys::Position(pos), &bytes);
  auto rec = s.ok() ? DecodeEvent(bytes) : Result<EventRecord>(Status::DataLoss("unreadable"));
  if (rec.ok()) {
    if (!IndexPointsAt(db_.streams(), keys::StreamRevision(rec->stream, rec->revision), pos)) {
      return "the stream index does not point at this event";
    }
    if (!IndexPointsAt(db_.ids(), rocksdb::Slice(rec->id.raw().data(), 16), pos)) {
      return "the event-id index does not point at this event";
    }
  }
  return "an index holds an entry pointing at this event under a key that is not the event's";
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
  // families are read on a second thread (index_check.h). An empty log gets
  // one empty window, so that any index entry is found pointing past its end.
  for (uint64_t window = 0; window == 0 || window < total; window += kWindow) {
    auto check = IndexCheck::Create(window, std::min(kWindow, total - window));
    if (!check.ok()) return check.status();
    IndexReader indexes(db_, ro_, **check, total);
    std::optional<VerifyReport> failed;
    for (; it->Valid() && pos < (*check)->end(); it->Next(), ++pos) {
      failed = CheckEvent(**check, it->key(), std::string_view(it->value().data(), it->value().size()), pos,
                          last_checkpoint_ok);
      if (failed) break;
      if (progress && (pos + 1) % every == 0 && !progress(pos + 1, total)) {
        indexes.Stop();  // no verdict is wanted any more
        (void)indexes.Finish();
        return Fail("verification was cancelled", std::nullopt);
      }
    }
    // The indexes' verdict on the positions the event pass covered comes
    // first: it names an earlier position than the pass's own failure.
    auto entries = indexes.Finish();
    if (!entries.ok()) return entries.status();
    if (!entries->empty()) return Fail(*entries, std::nullopt);
    if (auto bad = (*check)->FirstMismatch(); bad && *bad < pos) return Fail(WhichIndexIsWrong(*bad), *bad);
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
