// KeyVault: one data key per person, for per-person encryption (ARCHITECTURE.md
// invariant 7), in a RocksDB instance of its own, apart from the log, so that
// destroying a key (gallring) reaches no event and every proof stays valid.
//
// A person is named by a keyed-hash pseudonym (access::SubjectKey::Of), never
// the personnummer. Each person's key has a random 8-byte id, never given
// to another key, not even after it is destroyed; sealed fields
// carry the id, not the pseudonym, so that once the key is destroyed nothing
// in the log links them to anyone. Keys are stored wrapped (AES-256-GCM) with
// the current master key (master_keys.h); Rewrap moves keys wrapped with an
// older one to the current one. Every write is synced.
//
// State: "p" 0x01 <pseudonym> -> key id; "k" 0x01 <key id> -> <master key
// id> 0x00 <sealed key>, the seal's associated data naming the key id and
// the master key id; "d" 0x01 <key id> -> "" for a destroyed key; "m" 0x01
// "purge" -> a counter (see Destroy). Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/vault/aead.h"
#include "services/vault/master_keys.h"

namespace rocksdb {
class DB;
}

namespace sparbar::vault {

inline constexpr size_t kKeyIdBytes = 8;  // random; a new id is checked against those stored

struct DataKey {
  std::string id;  // kKeyIdBytes raw bytes
  Key256 key{};
};

class KeyVault {
 public:
  // Opens (creating) the vault in `dir`. DataLoss when a stored key does
  // not unwrap with the master keys given (a wrong or missing master key).
  static Result<std::unique_ptr<KeyVault>> Open(const std::string& dir, MasterKeys keys);
  // The vault as it is now, read-only, beside a server that has it open
  // (for tools and tests): it makes and destroys no key.
  static Result<std::unique_ptr<KeyVault>> OpenReadOnly(const std::string& dir, MasterKeys keys);
  ~KeyVault();
  KeyVault(const KeyVault&) = delete;
  KeyVault& operator=(const KeyVault&) = delete;

  // The person's data key, made and stored (synced) on first use.
  Result<DataKey> KeyFor(std::string_view pseudonym);
  // The keys of many people, in the order given: the new ones made and
  // stored in one synced write.
  Result<std::vector<DataKey>> KeysFor(const std::vector<std::string>& pseudonyms);
  // The id of the person's key; NotFound when the person has none (never
  // had one, or it is destroyed). Makes none.
  Result<std::string> KeyIdOf(std::string_view pseudonym);
  // The data key with `id`: NotFound once it is destroyed, or if it never was.
  Result<Key256> KeyById(std::string_view id);
  // Destroys the person's key: deletes it and the pseudonym's entry, then
  // flushes and compacts, so that no file of the vault holds the wrapped key
  // any more (a purge that does not finish is done again at the next open). Returns the id of the key destroyed; NotFound when the person
  // has none.
  Result<std::string> Destroy(std::string_view pseudonym);
  // Destroys the keys of many people with one flush and compaction; returns
  // the ids destroyed (people without a key are passed over).
  Result<std::vector<std::string>> DestroyAll(const std::vector<std::string>& pseudonyms);
  // Wraps every key wrapped with another master key with the current one;
  // returns how many it rewrapped.
  Result<size_t> Rewrap();
  // The keys stored.
  Result<size_t> Count() const;
  // Grows each time keys are destroyed: a key cached outside the vault
  // under an older epoch may be gone.
  uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }
  // Writes a consistent copy of the vault as of now into `dir`, which must
  // not exist (AlreadyExists): it appears only when complete. Returns how
  // many keys it holds. The backup service gives it a fresh directory inside
  // its own staged one (eventstore/staged_dir.h). The keys in it
  // stay wrapped with the master keys.
  Result<size_t> Backup(const std::string& dir);

 private:
  KeyVault(std::unique_ptr<rocksdb::DB> db, MasterKeys keys);
  static Result<std::unique_ptr<KeyVault>> OpenWith(const std::string& dir, MasterKeys keys, bool read_only);
  Result<Key256> Unwrap(std::string_view id, std::string_view stored) const;
  Result<std::string> Wrap(std::string_view id, const Key256& key) const;
  // The stored key of `pseudonym`, from the cache or the vault; nullopt when
  // it has none. Called with mu_ held.
  Result<std::optional<DataKey>> Lookup(const std::string& pseudonym);
  void Forget(const std::string& pseudonym, const std::string& id);  // mu_ held
  Status Purge();  // flush, compaction, MANIFEST rewrite and file purge; takes purge_mu_

  std::unique_ptr<rocksdb::DB> db_;
  MasterKeys master_;
  std::mutex mu_;  // guards the caches and makes creating a person's key atomic
  std::unordered_map<std::string, DataKey> by_pseudonym_;
  std::unordered_map<std::string, Key256> by_id_;
  std::mutex purge_mu_;   // one purge at a time; not mu_, which reads and new keys need meanwhile
  uint64_t purges_ = 0;  // guarded by purge_mu_
  std::atomic<uint64_t> epoch_{0};
};

}  // namespace sparbar::vault
