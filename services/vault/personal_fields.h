// PersonalFields: which fields of which events hold personal data, sealed
// on their way into the log and opened on their way out (ARCHITECTURE.md
// invariant 7). Each is sealed with the data key of the person it names
// (KeyVault, keyed by SubjectKey::Of(personnummer)):
//   sparbar.v1.access.AccessRecorded           subject
//   sparbar.v1.decisions.ApplicationReceived   subject's personnummer
//   sparbar.v1.decisions.Corrected             the same, in the replacement
//                                               of an ApplicationReceived
//   sparbar.v1.logreview.PersonContextRecorded subject and surname
//   sparbar.v1.logreview.StaffMemberRecorded   own_identity, and the surname
//                                               when own_identity is given
//   sparbar.v1.gallring.LegalHoldPlaced        subject
//   the free text of a decisions case (DecisionMade.reasons, OfferDeclined.
//   reason, DelayReasonNoted.reason_text, Interrupted.reason,
//   ClosedUnexecuted.note, Annotated.text, Corrected.reason), with the key
//   of the person the case's latest application names; texts in a stream
//   without an application stay in clear
// In the log such a field is empty and its `sealed` companion holds it
// (field_cipher.h): a number sealed the same way in every event (the key
// only ever seals that one number), a text sealed for its event. Opened, the clear field is back and `sealed` empty; a
// field whose key is destroyed (gallring) opens as `disposed`, with the
// surname and the texts empty. Appending free text to a case whose person
// is disposed of is FailedPrecondition. Other events pass through untouched.
//
// Seal refuses (InvalidArgument, nothing sealed) a personnummer that is not
// normalized to 12 digits (the services normalize before they append), a
// `sealed` or `disposed` a client set, a payload of one of these types that
// does not parse as it, a surname without its person's number, and a
// correction of a correction. Open leaves such events as they are.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eventstore/event.h"
#include "eventstore/status.h"
#include "services/vault/key_vault.h"

namespace sparbar {
class EventStore;
}
namespace sparbar::access {
class SubjectKey;
}

namespace sparbar::vault {

class PersonalFields {
 public:
  // `log` is the store the events are in, read for a correction's target type.
  // All three must outlive this.
  PersonalFields(KeyVault* vault, const access::SubjectKey* pseudonyms, EventStore* log);
  ~PersonalFields();
  PersonalFields(const PersonalFields&) = delete;
  PersonalFields& operator=(const PersonalFields&) = delete;

  // Whether events of `type` can hold personal data.
  static bool Holds(std::string_view type);

  // Seals the personal fields of `events` (to be appended to `stream`) in
  // place. The keys of people new to the vault are made in one synced write
  // before anything is sealed.
  Status Seal(const std::string& stream, std::vector<ProposedEvent>& events) const;
  // Opens the personal fields of `event` in place. DataLoss when a sealed
  // field does not open with its key (changed bytes).
  Status Open(EventRecord& event) const;

  KeyVault& vault() const { return *vault_; }

 private:
  // The key of the person the case's latest application names (its first
  // event, or a correction that replaced it); nullopt when the stream has
  // none. FailedPrecondition once that key is destroyed.
  Result<std::optional<DataKey>> CaseKey(const std::string& stream) const;

  // A person's key in this process's cache: AES-128 of the number under a
  // key made at start and never stored, so that the cache, too, is keyed by
  // a keyed pseudonym and not by the number, and costs no HMAC per event.
  using CacheKey = std::array<uint8_t, 16>;
  struct CacheKeyHash {
    size_t operator()(const CacheKey& k) const;
  };
  CacheKey CacheKeyOf(std::string_view number) const;

  // The keys of these people (normalized numbers), made when new: from the
  // cache below while the vault has destroyed nothing since, else from the
  // vault by pseudonym (SubjectKey::Of).
  Result<std::vector<DataKey>> KeysOf(const std::vector<const std::string*>& numbers) const;

  // A person's number sealed for a field, and a sealed number opened: each
  // person's is the same in every event, so a busy intake or a projection
  // rebuilt over millions of access events seals and opens each person once.
  Result<std::string> SealedNumber(const DataKey& key, const std::string& number, std::string_view use) const;
  Result<std::string> OpenedNumber(const std::string& sealed, std::string_view use) const;

 public:
  // A cache valid for one epoch of the vault (KeyVault::epoch): emptied,
  // its keys and numbers wiped from memory, as soon as the vault has
  // destroyed a key, and when it grows past kMaxCachedPeople.
  template <class V, class K = std::string, class H = std::hash<K>>
  struct EpochCache {
    std::shared_mutex mu;
    uint64_t epoch = 0;
    std::unordered_map<K, V, H> values;
  };

 private:
  static constexpr size_t kMaxCachedPeople = 1 << 20;

  KeyVault* vault_;
  const access::SubjectKey* pseudonyms_;
  EventStore* log_;
  std::array<uint8_t, 16> cache_key_{};  // random, this process only
  uint64_t generation_ = 0;             // tells this instance's cache key apart in the threads' copies
  // People are looked up by keyed pseudonym only, never by number.
  mutable EpochCache<DataKey, CacheKey, CacheKeyHash> keys_;  // CacheKeyOf(number) -> key
  mutable EpochCache<std::string> sealed_;  // key id | use -> the number sealed
  mutable EpochCache<std::string> opened_;  // sealed | use -> the number
};

}  // namespace sparbar::vault
