#include "projections/versioned_state.h"

#include <rocksdb/slice_transform.h>

#include <cstring>

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "eventstore/codec.h"
#include "eventstore/log_db.h"

namespace sparbar::projections {
namespace {

constexpr std::string_view kValuePrefix = "v/";
constexpr std::string_view kPositionKey = "m/position";
constexpr std::string_view kVersionKey = "m/version";

std::string VersionKey(std::string_view key, uint64_t position) {
  std::string k;
  k.reserve(kValuePrefix.size() + key.size() + 9);
  k.append(kValuePrefix).append(key).push_back('\0');
  PutBigEndian64(&k, ~position);
  return k;
}

// The user key and position of a stored version key, or false when the key is
// not one.
bool ParseVersionKey(const rocksdb::Slice& k, std::string_view* key, uint64_t* position) {
  const std::string_view s(k.data(), k.size());
  if (s.size() < kValuePrefix.size() + 10 || !s.starts_with(kValuePrefix)) return false;
  if (s[s.size() - 9] != '\0') return false;
  *key = s.substr(kValuePrefix.size(), s.size() - kValuePrefix.size() - 9);
  *position = ~GetBigEndian64(s.data() + s.size() - 8);
  return true;
}

Status CheckKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("projection keys must not be empty");
  if (key.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("projection keys must not contain a NUL byte");
  }
  return Status::Ok();
}

// Keys whose first byte is one of `starts` group by what precedes their
// first 0x01 (Projection::GroupedKeyStarts), and each group's next key
// usually lands just after its last one: the memtable starts each insert
// where the group's previous one went instead of searching the skip list
// from the top. Other keys are inserted as usual (each group's hint costs
// memtable memory, so groups with few keys each are better left out).
class GroupPrefix final : public rocksdb::SliceTransform {
 public:
  explicit GroupPrefix(std::string starts) : starts_(std::move(starts)) {}
  const char* Name() const override { return "sparbar.ProjectionGroupPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), GroupEnd(key) + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return key.size() > 3 && key[0] == 'v' && key[1] == '/' && starts_.find(key[2]) != std::string::npos &&
           GroupEnd(key) != std::string::npos;
  }

 private:
  // The first 0x01 of the projection's key ("v/" key 0x00 position).
  static size_t GroupEnd(const rocksdb::Slice& key) {
    const auto* nul = static_cast<const char*>(std::memchr(key.data(), 0, key.size()));
    const size_t n = nul == nullptr ? key.size() : static_cast<size_t>(nul - key.data());
    const auto* one = static_cast<const char*>(std::memchr(key.data(), 1, n));
    return one == nullptr ? std::string::npos : static_cast<size_t>(one - key.data());
  }
  std::string starts_;
};

}  // namespace

Result<std::unique_ptr<VersionedState>> VersionedState::Open(const std::string& dir,
                                                            const std::string& grouped_key_starts) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Unavailable("cannot create the projection directory " + dir + ": " + ec.message());
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  SyncOutputAsWritten(&options);
  BoundSpaceAmplification(&options);
  CompressForSpace(&options);
  if (!grouped_key_starts.empty()) {
    options.memtable_insert_with_hint_prefix_extractor = std::make_shared<GroupPrefix>(grouped_key_starts);
  }
  options.allow_concurrent_memtable_write = false;  // one writer; and hints need it off
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok()) return FromRocks(s, "opening the projection state in " + dir);
  std::unique_ptr<VersionedState> state(new VersionedState());
  state->db_.reset(raw);
  std::string value;
  s = raw->Get(rocksdb::ReadOptions(), kPositionKey, &value);
  if (s.ok() && value.size() == 8) state->position_ = GetBigEndian64(value.data());
  else if (!s.IsNotFound()) return Status::DataLoss("the projection state in " + dir + " has a malformed position");
  s = raw->Get(rocksdb::ReadOptions(), kVersionKey, &value);
  if (s.ok() && value.size() == 8) state->version_ = static_cast<uint32_t>(GetBigEndian64(value.data()));
  else if (!s.IsNotFound()) return Status::DataLoss("the projection state in " + dir + " has a malformed version");
  return state;
}

Result<std::optional<std::string>> VersionedState::Get(std::string_view key, uint64_t as_of) const {
  if (Status c = CheckKey(key); !c.ok()) return c;
  if (as_of == 0) return std::optional<std::string>();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  it->Seek(VersionKey(key, as_of - 1));  // the newest version at a position < as_of
  if (!it->status().ok()) return FromRocks(it->status(), "reading projection state");
  std::string_view found;
  uint64_t position = 0;
  if (!it->Valid() || !ParseVersionKey(it->key(), &found, &position) || found != key) {
    return std::optional<std::string>();
  }
  const rocksdb::Slice v = it->value();
  if (v.empty() || v[0] == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(v.data() + 1, v.size() - 1));
}

Result<std::vector<std::pair<std::string, std::string>>> VersionedState::Scan(std::string_view prefix,
                                                                              uint64_t as_of, size_t limit,
                                                                              std::string_view after) const {
  // Versions of one key run newest first. The scan steps through them with
  // Next and seeks only past a key with many versions, so that a state of
  // keys written once reads sequentially.
  constexpr int kStepsBeforeSeek = 8;
  std::vector<std::pair<std::string, std::string>> out;
  if (as_of == 0) return out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string full_prefix = std::string(kValuePrefix) + std::string(prefix);
  std::string start = full_prefix;
  // Past every version of `after`: its key, then 0x01 sorts after "after\0…".
  // An `after` that sorts before the prefix does not move the start back.
  if (!after.empty()) start = std::max(start, std::string(kValuePrefix) + std::string(after) + '\x01');
  it->Seek(start);
  std::string current;
  bool have_current = false;
  bool decided = false;  // the version as of as_of of `current` was found (or skipped)
  int steps = 0;
  while (it->Valid() && it->key().starts_with(full_prefix)) {
    std::string_view key;
    uint64_t position = 0;
    if (!ParseVersionKey(it->key(), &key, &position)) return Status::DataLoss("malformed projection key");
    if (!have_current || key != current) {
      current.assign(key);
      have_current = true;
      decided = false;
      steps = 0;
    }
    if (decided || position >= as_of) {
      // An older version of a key already read, or one newer than as_of.
      if (++steps > kStepsBeforeSeek) {
        it->Seek(decided ? std::string(kValuePrefix) + current + '\x01' : VersionKey(current, as_of - 1));
        steps = 0;
      } else {
        it->Next();
      }
      continue;
    }
    decided = true;
    steps = 0;
    const rocksdb::Slice v = it->value();
    if (!v.empty() && v[0] == 1) {
      out.emplace_back(current, std::string(v.data() + 1, v.size() - 1));
      if (limit != 0 && out.size() >= limit) break;
    }
    it->Next();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "scanning projection state");
  return out;
}

Result<merkle::Hash> VersionedState::Digest(uint64_t as_of) const {
  auto all = Scan("", as_of);
  if (!all.ok()) return all.status();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& [key, value] : *all) {
    std::string framed;
    PutBigEndian64(&framed, key.size());
    framed += key;
    PutBigEndian64(&framed, value.size());
    framed += value;
    EVP_DigestUpdate(ctx, framed.data(), framed.size());
  }
  merkle::Hash h{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, h.data(), &len);
  EVP_MD_CTX_free(ctx);
  return h;
}

std::string_view VersionedState::Batch::Change::key() const {
  return std::string_view(version_key).substr(kValuePrefix.size(), version_key.size() - kValuePrefix.size() - 9);
}

Result<std::optional<std::string>> VersionedState::Batch::Get(std::string_view key) {
  for (auto c = changes_.rbegin(); c != changes_.rend(); ++c) {
    if (c->key() != key) continue;
    if (c->stored[0] == 0) return std::optional<std::string>();
    return std::optional<std::string>(c->stored.substr(1));
  }
  return state_->Get(key, state_->position());
}

Result<std::vector<std::pair<std::string, std::string>>> VersionedState::Batch::Scan(std::string_view prefix) {
  auto stored = state_->Scan(prefix, state_->position());
  if (!stored.ok()) return stored.status();
  // The batch's latest change of each key under the prefix (newest first wins).
  std::map<std::string_view, const std::string*> latest;
  for (auto c = changes_.rbegin(); c != changes_.rend(); ++c) {
    if (c->key().starts_with(prefix)) latest.emplace(c->key(), &c->stored);
  }
  // Merged over the stored state.
  std::vector<std::pair<std::string, std::string>> out;
  auto s = stored->begin();
  for (const auto& [key, change] : latest) {
    for (; s != stored->end() && s->first < key; ++s) out.push_back(std::move(*s));
    if (s != stored->end() && s->first == key) ++s;  // the batch's change wins
    if ((*change)[0] == 1) out.emplace_back(std::string(key), change->substr(1));
  }
  for (; s != stored->end(); ++s) out.push_back(std::move(*s));
  return out;
}

Status VersionedState::Batch::Write(std::string_view key, const std::string_view* value) {
  if (Status c = CheckKey(key); !c.ok()) return c;
  Change& change = changes_.emplace_back();
  change.version_key = VersionKey(key, event_position_);
  change.stored.reserve(1 + (value ? value->size() : 0));
  change.stored.push_back(value ? '\x01' : '\x00');
  if (value) change.stored.append(*value);
  return Status::Ok();
}

Status VersionedState::Batch::Put(std::string_view key, std::string_view value) { return Write(key, &value); }

Status VersionedState::Batch::Delete(std::string_view key) { return Write(key, nullptr); }

Status VersionedState::Commit(Batch& batch, uint64_t new_position) {
  size_t bytes = 64;
  for (const auto& c : batch.changes_) bytes += c.version_key.size() + c.stored.size() + 8;
  rocksdb::WriteBatch wb(bytes);
  for (const auto& c : batch.changes_) {
    // Within one event, the last change of a key wins (same version key).
    wb.Put(c.version_key, c.stored);
  }
  std::string pos;
  PutBigEndian64(&pos, new_position);
  wb.Put(kPositionKey, pos);
  // No write-ahead log: after a crash RocksDB comes back with what it had
  // flushed, memtable by memtable, and a batch is never split across two, so
  // the state is still that of some whole batch with its position. The
  // runner goes on from there; the log holds the rest.
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  auto s = db_->Write(wo, &wb);
  if (!s.ok()) return FromRocks(s, "writing projection state");
  position_ = new_position;
  batch.changes_.clear();
  batch.event_begin_ = 0;
  return Status::Ok();
}

Status VersionedState::Reset(uint32_t version) {
  rocksdb::WriteBatch wb;
  // The whole key space: meta keys start with "m/", values with "v/".
  wb.DeleteRange(rocksdb::Slice("", 0), rocksdb::Slice("\xff", 1));
  std::string pos, ver;
  PutBigEndian64(&pos, 0);
  PutBigEndian64(&ver, version);
  wb.Put(kPositionKey, pos);
  wb.Put(kVersionKey, ver);
  position_ = 0;  // before the wipe: nothing may be read under the old position
  auto s = db_->Write(rocksdb::WriteOptions(), &wb);
  if (!s.ok()) return FromRocks(s, "resetting projection state");
  // Reclaim the space of what was deleted.
  db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  position_ = 0;
  version_ = version;
  return Status::Ok();
}

VersionedState::Compactions VersionedState::Background() const {
  Compactions c;
  uint64_t v = 0;
  if (db_->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &v)) c.running = v;
  if (db_->GetIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes, &v)) c.pending_bytes = v;
  return c;
}

}  // namespace sparbar::projections
