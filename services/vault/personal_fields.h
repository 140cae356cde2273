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
//   of the person the case's first event names; texts in a stream without
//   such an application stay in clear
// In the log such a field is empty and its `sealed` companion holds it
// (field_cipher.h): a number sealed the same way in every event (the key
// only ever seals that one number), a text sealed for its event. Opened, the clear field is back and `sealed` empty; a
// field whose key is destroyed (gallring) opens as `disposed`, with the
// surname and the texts empty. Appending to a case whose person is disposed
// of is FailedPrecondition. Other events pass through untouched.
//
// Seal refuses (InvalidArgument, nothing sealed) a personnummer that is not
// normalized to 12 digits (the services normalize before they append) and a
// `sealed` or `disposed` a client set. Thread-safe.
#pragma once

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
  PersonalFields(KeyVault* vault, const access::SubjectKey* pseudonyms, EventStore* log)
      : vault_(vault), pseudonyms_(pseudonyms), log_(log) {}

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
  // The key of the person a case's first event (its application) names;
  // nullopt when the stream has none. FailedPrecondition once it is destroyed.
  Result<std::optional<DataKey>> CaseKey(const std::string& stream) const;

  // The keys of these people (normalized numbers), made when new: from the
  // cache below while the vault has destroyed nothing since, else from the
  // vault by pseudonym.
  Result<std::vector<DataKey>> KeysOf(const std::vector<std::string>& numbers) const;

  KeyVault* vault_;
  const access::SubjectKey* pseudonyms_;
  EventStore* log_;
  // Number -> key, as of the vault's epoch: saves the pseudonym's HMAC and
  // the vault's lookup for people seen before. Cleared when it grows past
  // kMaxCachedPeople.
  static constexpr size_t kMaxCachedPeople = 1 << 20;
  struct CachedKey {
    DataKey key;
    uint64_t epoch = 0;
  };
  mutable std::shared_mutex cache_mu_;
  mutable std::unordered_map<std::string, CachedKey> cache_;

 public:
  struct CachedValue {
    std::string value;
    uint64_t epoch = 0;
  };

 private:
  // A person's number sealed for a field, and a sealed number opened: each
  // person's is the same in every event (SealedNumber), so a busy intake or
  // a projection rebuilt over millions of access events seals and opens
  // each person once per epoch.
  Result<std::string> SealedNumber(const DataKey& key, const std::string& number, std::string_view use) const;
  Result<std::string> OpenedNumber(const std::string& sealed, std::string_view use) const;
  mutable std::shared_mutex seal_mu_, open_mu_;
  mutable std::unordered_map<std::string, CachedValue> sealed_;  // number|use -> sealed
  mutable std::unordered_map<std::string, CachedValue> opened_;  // sealed|use -> number
};

}  // namespace sparbar::vault
