#include "services/vault/key_vault.h"

#include <openssl/crypto.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>

#include <filesystem>
#include <unordered_set>

namespace sparbar::vault {
namespace {

const std::string kPseudonymPrefix("p\x01", 2);
const std::string kKeyPrefix("k\x01", 2);
const std::string kPurgeMarker("m\x01purge", 7);
const std::string kDestroyedPrefix("d\x01", 2);  // the ids of destroyed keys, never given out again
const std::string kPurgePending("m\x01purge-pending", 15);  // keys deleted, their files not yet purged

std::string Aad(std::string_view id, std::string_view master_id) {
  return "sparbar-vault-key-v1|" + std::string(id) + "|" + std::string(master_id);
}

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  return Status::Unavailable("the key vault could not " + what + ": " + s.ToString());
}

rocksdb::WriteOptions Synced() {
  rocksdb::WriteOptions w;
  w.sync = true;
  return w;
}

}  // namespace

KeyVault::KeyVault(std::unique_ptr<rocksdb::DB> db, MasterKeys keys) : db_(std::move(db)), master_(std::move(keys)) {}

KeyVault::~KeyVault() {
  for (auto& [p, k] : by_pseudonym_) OPENSSL_cleanse(k.key.data(), k.key.size());
  for (auto& [id, k] : by_id_) OPENSSL_cleanse(k.data(), k.size());
}

Result<std::unique_ptr<KeyVault>> KeyVault::Open(const std::string& dir, MasterKeys keys) {
  return OpenWith(dir, std::move(keys), /*read_only=*/false);
}

Result<std::unique_ptr<KeyVault>> KeyVault::OpenReadOnly(const std::string& dir, MasterKeys keys) {
  return OpenWith(dir, std::move(keys), /*read_only=*/true);
}

Result<std::unique_ptr<KeyVault>> KeyVault::OpenWith(const std::string& dir, MasterKeys keys, bool read_only) {
  std::error_code ec;
  if (!read_only) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::Unavailable("cannot create the key vault directory " + dir + ": " + ec.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  // Obsolete files (the flushed log, the compacted tables holding a destroyed key) go at once.
  options.WAL_ttl_seconds = 0;
  options.WAL_size_limit_MB = 0;
  // The MANIFEST names each table's first and last key, and it only grows
  // until it is rewritten: a tiny limit rewrites it at every change, from
  // the current tables alone (the vault changes seldom).
  options.max_manifest_file_size = 1;
  rocksdb::DB* raw = nullptr;
  auto s = read_only ? rocksdb::DB::OpenForReadOnly(options, dir, &raw) : rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok()) return FromRocks(s, "open " + dir);
  std::unique_ptr<KeyVault> vault(new KeyVault(std::unique_ptr<rocksdb::DB>(raw), std::move(keys)));
  // Every stored key must unwrap: a wrong master key is found now, not at the first read.
  std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(kKeyPrefix); it->Valid() && it->key().starts_with(kKeyPrefix); it->Next()) {
    const std::string id = it->key().ToString().substr(kKeyPrefix.size());
    auto key = vault->Unwrap(id, it->value().ToString());
    if (!key.ok()) return key.status();
    OPENSSL_cleanse(key->data(), key->size());
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read " + dir);
  std::string pending;
  if (!read_only && raw->Get(rocksdb::ReadOptions(), kPurgePending, &pending).ok()) {
    if (Status p = vault->Purge(); !p.ok()) return p;  // a destroy whose purge did not finish
  }
  return vault;
}

Result<Key256> KeyVault::Unwrap(std::string_view id, std::string_view stored) const {
  const size_t zero = stored.find('\0');
  if (zero == std::string_view::npos) return Status::DataLoss("a key in the vault is malformed");
  const std::string_view master_id = stored.substr(0, zero);
  const Key256* master = master_.Find(master_id);
  if (master == nullptr) {
    return Status::DataLoss("a key in the vault is wrapped with the master key \"" + std::string(master_id) +
                            "\", which is not given; give it (after the current one) until Rewrap has run");
  }
  auto clear = vault::Open(*master, stored.substr(zero + 1), Aad(id, master_id));
  if (!clear.ok()) {
    return Status::DataLoss("a key in the vault does not unwrap with the master key \"" + std::string(master_id) +
                            "\": the master key is not the one it was wrapped with");
  }
  if (clear->size() != 32) return Status::DataLoss("a key in the vault is malformed");
  Key256 key{};
  std::copy(clear->begin(), clear->end(), key.begin());
  OPENSSL_cleanse(clear->data(), clear->size());
  return key;
}

Result<std::string> KeyVault::Wrap(std::string_view id, const Key256& key) const {
  auto sealed = Seal(master_.current(), std::string_view(reinterpret_cast<const char*>(key.data()), key.size()),
                     Aad(id, master_.current_id()));
  if (!sealed.ok()) return sealed.status();
  return master_.current_id() + '\0' + *sealed;
}

Result<std::optional<DataKey>> KeyVault::Lookup(const std::string& pseudonym) {
  if (auto it = by_pseudonym_.find(pseudonym); it != by_pseudonym_.end()) return std::optional<DataKey>(it->second);
  std::string id;
  auto s = db_->Get(rocksdb::ReadOptions(), kPseudonymPrefix + pseudonym, &id);
  if (s.IsNotFound()) return std::optional<DataKey>();
  if (!s.ok()) return FromRocks(s, "read a person's key");
  std::string stored;
  s = db_->Get(rocksdb::ReadOptions(), kKeyPrefix + id, &stored);
  if (!s.ok()) return Status::DataLoss("the key vault names a key for a person but does not hold it");
  auto key = Unwrap(id, stored);
  if (!key.ok()) return key.status();
  DataKey out{id, *key};
  by_pseudonym_[pseudonym] = out;
  by_id_[out.id] = out.key;
  return std::optional<DataKey>(out);
}

Result<DataKey> KeyVault::KeyFor(std::string_view pseudonym) {
  auto keys = KeysFor({std::string(pseudonym)});
  if (!keys.ok()) return keys.status();
  return keys->front();
}

Result<std::vector<DataKey>> KeyVault::KeysFor(const std::vector<std::string>& pseudonyms) {
  std::lock_guard lock(mu_);
  std::vector<DataKey> out(pseudonyms.size());
  std::unordered_map<std::string, size_t> fresh;  // pseudonym -> index in `out` of its new key
  std::unordered_set<std::string> ids_made;
  rocksdb::WriteBatch batch;
  for (size_t i = 0; i < pseudonyms.size(); ++i) {
    const std::string& pseudonym = pseudonyms[i];
    if (pseudonym.empty()) return Status::InvalidArgument("a data key needs the person's pseudonym");
    if (auto f = fresh.find(pseudonym); f != fresh.end()) {
      out[i] = out[f->second];
      continue;
    }
    auto found = Lookup(pseudonym);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      out[i] = **found;
      continue;
    }
    // A random id, not one stored or made in this batch (8 bytes: a clash is rare, not impossible).
    Result<std::string> id = RandomBytes(kKeyIdBytes);
    for (int tries = 0; id.ok(); ++tries) {
      std::string ignored;
      auto s = db_->Get(rocksdb::ReadOptions(), kKeyPrefix + *id, &ignored);
      if (s.IsNotFound()) s = db_->Get(rocksdb::ReadOptions(), kDestroyedPrefix + *id, &ignored);
      if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "read a key");
      if (s.IsNotFound() && !by_id_.count(*id) && !ids_made.count(*id)) break;
      if (tries == 8) return Status::Internal("no free key id found");
      id = RandomBytes(kKeyIdBytes);
    }
    if (!id.ok()) return id.status();
    ids_made.insert(*id);
    auto key = RandomKey();
    if (!key.ok()) return key.status();
    auto wrapped = Wrap(*id, *key);
    if (!wrapped.ok()) return wrapped.status();
    batch.Put(kKeyPrefix + *id, *wrapped);
    batch.Put(kPseudonymPrefix + pseudonym, *id);
    out[i] = DataKey{*id, *key};
    fresh[pseudonym] = i;
  }
  if (fresh.empty()) return out;
  if (auto w = db_->Write(Synced(), &batch); !w.ok()) return FromRocks(w, "store new keys");
  for (const auto& [pseudonym, i] : fresh) {
    by_pseudonym_[pseudonym] = out[i];
    by_id_[out[i].id] = out[i].key;
  }
  return out;
}

Result<std::string> KeyVault::KeyIdOf(std::string_view pseudonym) {
  std::lock_guard lock(mu_);
  auto found = Lookup(std::string(pseudonym));
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("the person has no data key");
  return (*found)->id;
}

Result<Key256> KeyVault::KeyById(std::string_view id) {
  std::lock_guard lock(mu_);
  if (auto it = by_id_.find(std::string(id)); it != by_id_.end()) return it->second;
  std::string stored;
  auto s = db_->Get(rocksdb::ReadOptions(), kKeyPrefix + std::string(id), &stored);
  if (s.IsNotFound()) return Status::NotFound("the data key is destroyed (gallrad): the data it sealed is disposed of");
  if (!s.ok()) return FromRocks(s, "read a key");
  auto key = Unwrap(id, stored);
  if (!key.ok()) return key.status();
  by_id_[std::string(id)] = *key;
  return key;
}

void KeyVault::Forget(const std::string& pseudonym, const std::string& id) {
  if (auto it = by_pseudonym_.find(pseudonym); it != by_pseudonym_.end()) {
    OPENSSL_cleanse(it->second.key.data(), it->second.key.size());
    by_pseudonym_.erase(it);
  }
  if (auto it = by_id_.find(id); it != by_id_.end()) {
    OPENSSL_cleanse(it->second.data(), it->second.size());
    by_id_.erase(it);
  }
}

Result<std::string> KeyVault::Destroy(std::string_view pseudonym) {
  auto ids = DestroyAll({std::string(pseudonym)});
  if (!ids.ok()) return ids.status();
  if (ids->empty()) return Status::NotFound("the person has no data key");
  return ids->front();
}

Result<std::vector<std::string>> KeyVault::DestroyAll(const std::vector<std::string>& pseudonyms) {
  std::unique_lock lock(mu_);
  rocksdb::WriteBatch batch;
  std::vector<std::string> ids;
  for (const std::string& pseudonym : pseudonyms) {
    std::string id;
    auto s = db_->Get(rocksdb::ReadOptions(), kPseudonymPrefix + pseudonym, &id);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return FromRocks(s, "read a person's key");
    batch.Delete(kKeyPrefix + id);
    batch.Delete(kPseudonymPrefix + pseudonym);
    batch.Put(kDestroyedPrefix + id, "");  // the id is in the log already; the key is not
    Forget(pseudonym, id);
    ids.push_back(std::move(id));
  }
  if (ids.empty()) return ids;
  // Should the purge below not finish, the next open (or destroy) does it.
  batch.Put(kPurgePending, "");
  epoch_.fetch_add(1, std::memory_order_acq_rel);  // before the keys go: caches outside must look again
  if (auto w = db_->Write(Synced(), &batch); !w.ok()) return FromRocks(w, "destroy keys");
  lock.unlock();  // the purge takes its time; reading and making keys go on meanwhile
  if (Status s = Purge(); !s.ok()) return s;
  return ids;
}

Status KeyVault::Purge() {
  std::lock_guard purging(purge_mu_);
  const uint64_t started = epoch();  // a destroy after this has a purge (and a pending mark) of its own
  // Out of every file: the memtable flushed (its log file goes), the tables rewritten without the keys.
  if (auto f = db_->Flush(rocksdb::FlushOptions()); !f.ok()) return FromRocks(f, "flush after destroying keys");
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (auto c = db_->CompactRange(compact, nullptr, nullptr); !c.ok()) {
    return FromRocks(c, "compact after destroying keys");
  }
  // The MANIFEST rewritten with the compaction still named the old table's
  // keys: one more change rewrites it from the tables as they are now.
  {
    // Under mu_, which a destroy holds while it marks its purge pending: the
    // mark is cleared only when no destroy came after this purge began, so
    // one that did is still redone at the next open if its own purge fails.
    std::lock_guard lock(mu_);
    rocksdb::WriteBatch done;
    done.Put(kPurgeMarker, std::to_string(++purges_));
    if (epoch() == started) done.Delete(kPurgePending);
    if (auto m = db_->Write(Synced(), &done); !m.ok()) return FromRocks(m, "mark a purge");
  }
  if (auto f = db_->Flush(rocksdb::FlushOptions()); !f.ok()) return FromRocks(f, "flush after destroying keys");
  // RocksDB may leave deleting the files it no longer needs to a background
  // thread; turning deletions off and on again purges them now.
  if (auto d = db_->DisableFileDeletions(); !d.ok()) return FromRocks(d, "purge old files");
  if (auto e = db_->EnableFileDeletions(/*force=*/true); !e.ok()) return FromRocks(e, "purge old files");
  return Status::Ok();
}

Result<size_t> KeyVault::Rewrap() {
  std::lock_guard lock(mu_);
  rocksdb::WriteBatch batch;
  size_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(kKeyPrefix); it->Valid() && it->key().starts_with(kKeyPrefix); it->Next()) {
    const std::string stored = it->value().ToString();
    if (stored.substr(0, stored.find('\0')) == master_.current_id()) continue;
    const std::string id = it->key().ToString().substr(kKeyPrefix.size());
    auto key = Unwrap(id, stored);
    if (!key.ok()) return key.status();
    auto wrapped = Wrap(id, *key);
    OPENSSL_cleanse(key->data(), key->size());
    if (!wrapped.ok()) return wrapped.status();
    batch.Put(it->key(), *wrapped);
    ++n;
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read the keys");
  if (n > 0) {
    if (auto w = db_->Write(Synced(), &batch); !w.ok()) return FromRocks(w, "store the rewrapped keys");
  }
  return n;
}

Result<size_t> KeyVault::Backup(const std::string& dir) {
  // Not beside a purge: its EnableFileDeletions(force) would let RocksDB
  // delete files the checkpoint is still copying.
  std::lock_guard purging(purge_mu_);
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    return Status::AlreadyExists("the vault backup directory " + dir + " exists; name a new one");
  }
  const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  rocksdb::Checkpoint* raw = nullptr;
  auto s = rocksdb::Checkpoint::Create(db_.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Consistent as of one moment. RocksDB writes "<dir>.tmp" and renames it to
  // `dir` only when complete, so a failure leaves no `dir` to remove (and
  // removing one here could delete another writer's).
  if (s.ok()) s = checkpoint->CreateCheckpoint(dir);
  if (!s.ok()) return FromRocks(s, "write a backup to " + dir);
  return Count();
}

Result<size_t> KeyVault::Count() const {
  size_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(kKeyPrefix); it->Valid() && it->key().starts_with(kKeyPrefix); it->Next()) ++n;
  if (!it->status().ok()) return FromRocks(it->status(), "count the keys");
  return n;
}

}  // namespace sparbar::vault
