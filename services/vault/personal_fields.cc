#include "services/vault/personal_fields.h"

#include <google/protobuf/arena.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "eventstore/store.h"
#include "services/access/review_context.h"
#include "services/access/subject_key.h"
#include "services/vault/field_cipher.h"
#include "services/vault/key_vault.h"
#include "sparbar/v1/access.pb.h"
#include "sparbar/v1/decisions.pb.h"
#include "sparbar/v1/gallring.pb.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::vault {
namespace {

namespace pa = sparbar::v1::access;
namespace pd = sparbar::v1::decisions;
namespace plr = sparbar::v1::logreview;
namespace pg = sparbar::v1::gallring;

// The seals' uses (their associated data): a value sealed for one field opens in no other.
constexpr std::string_view kAccessSubject = "access.AccessRecorded.subject";
constexpr std::string_view kApplicationSubject = "decisions.ApplicationReceived.subject";
constexpr std::string_view kPersonSubject = "logreview.PersonContextRecorded.subject";
constexpr std::string_view kPersonSurname = "logreview.PersonContextRecorded.surname";
constexpr std::string_view kStaffIdentity = "logreview.StaffMemberRecorded.own_identity";
constexpr std::string_view kStaffSurname = "logreview.StaffMemberRecorded.surname";
constexpr std::string_view kHoldSubject = "gallring.LegalHoldPlaced.subject";

template <class M>
const std::string& TypeOf() {
  return M::descriptor()->full_name();
}

// One person named in a message: their number and, sealed with the same key, a text about them.
struct Slot {
  std::string* number = nullptr;
  std::string* sealed = nullptr;
  std::function<bool()> disposed;
  std::function<void()> mark_disposed;
  std::string_view use;
  std::string* text = nullptr;
  std::string* sealed_text = nullptr;
  std::string_view text_use;
};

// Free text about a decisions case's person, sealed with that person's key.
struct TextSlot {
  std::string* text = nullptr;
  std::string* sealed = nullptr;
  std::string_view use;
};

template <class S>
Slot SlotOf(S* subject, std::string_view use) {
  Slot slot;
  slot.number = subject->mutable_personal_identity_number();
  slot.sealed = subject->mutable_sealed();
  slot.disposed = [subject] { return subject->disposed(); };
  slot.mark_disposed = [subject] { subject->set_disposed(true); };
  slot.use = use;
  return slot;
}

Slot WithText(Slot slot, std::string* text, std::string* sealed_text, std::string_view use) {
  slot.text = text;
  slot.sealed_text = sealed_text;
  slot.text_use = use;
  return slot;
}

// An event's payload parsed, with the people it names and its free text.
struct Parsed {
  // On the caller's arena: a batch of events parses without a heap allocation per field.
  google::protobuf::Message* message = nullptr;
  google::protobuf::Message* replacement = nullptr;  // a correction's, of its target's type
  std::vector<Slot> slots;
  std::vector<TextSlot> texts;
  // Where the replacement's own slots and texts begin: they are sealed for
  // their own context, so that no text of the correction and of its
  // replacement meets the same nonce.
  size_t replacement_slots = SIZE_MAX, replacement_texts = SIZE_MAX;

  std::string Serialize() {
    if (replacement) {
      static_cast<pd::Corrected*>(message)->set_replacement_payload(replacement->SerializeAsString());
    }
    return message->SerializeAsString();
  }
};

using TargetType = std::function<Result<std::string>(uint64_t revision)>;

// The event types with personal data: how to make one, and where its people and texts are.
struct TypeInfo {
  const google::protobuf::Descriptor* (*descriptor)();
  google::protobuf::Message* (*make)(google::protobuf::Arena* arena);
  void (*collect)(google::protobuf::Message& m, Parsed& p);
};

template <class M>
TypeInfo Info(void (*collect)(M&, Parsed&)) {
  // Captureless lambdas: plain function pointers, no allocation per event.
  static void (*typed)(M&, Parsed&) = nullptr;
  typed = collect;
  return {&M::descriptor,
          [](google::protobuf::Arena* arena) -> google::protobuf::Message* {
            return google::protobuf::Arena::CreateMessage<M>(arena);
          },
          [](google::protobuf::Message& m, Parsed& p) { typed(static_cast<M&>(m), p); }};
}

TextSlot Text(std::string* t, std::string* sealed, std::string_view use) { return TextSlot{t, sealed, use}; }

const std::vector<TypeInfo>& Types() {
  static const std::vector<TypeInfo> types = {
      Info<pa::AccessRecorded>([](pa::AccessRecorded& m, Parsed& p) {
        if (m.has_subject()) p.slots.push_back(SlotOf(m.mutable_subject(), kAccessSubject));
      }),
      Info<pd::ApplicationReceived>([](pd::ApplicationReceived& m, Parsed& p) {
        if (m.has_subject()) p.slots.push_back(SlotOf(m.mutable_subject(), kApplicationSubject));
      }),
      Info<plr::PersonContextRecorded>([](plr::PersonContextRecorded& m, Parsed& p) {
        // Always a slot: a surname without its person's number is refused, not kept in clear.
        if (m.has_subject() || !m.surname().empty()) {
          p.slots.push_back(WithText(SlotOf(m.mutable_subject(), kPersonSubject), m.mutable_surname(),
                                     m.mutable_sealed_surname(), kPersonSurname));
        }
      }),
      Info<plr::StaffMemberRecorded>([](plr::StaffMemberRecorded& m, Parsed& p) {
        if (m.has_own_identity()) {
          p.slots.push_back(WithText(SlotOf(m.mutable_own_identity(), kStaffIdentity), m.mutable_surname(),
                                     m.mutable_sealed_surname(), kStaffSurname));
        }
      }),
      Info<pg::LegalHoldPlaced>([](pg::LegalHoldPlaced& m, Parsed& p) {
        if (m.has_subject()) p.slots.push_back(SlotOf(m.mutable_subject(), kHoldSubject));
      }),
      Info<pd::DecisionMade>([](pd::DecisionMade& m, Parsed& p) {
        p.texts.push_back(Text(m.mutable_reasons(), m.mutable_sealed_reasons(), "decisions.DecisionMade.reasons"));
      }),
      Info<pd::OfferDeclined>([](pd::OfferDeclined& m, Parsed& p) {
        p.texts.push_back(Text(m.mutable_reason(), m.mutable_sealed_reason(), "decisions.OfferDeclined.reason"));
      }),
      Info<pd::DelayReasonNoted>([](pd::DelayReasonNoted& m, Parsed& p) {
        p.texts.push_back(
            Text(m.mutable_reason_text(), m.mutable_sealed_reason_text(), "decisions.DelayReasonNoted.reason_text"));
      }),
      Info<pd::Interrupted>([](pd::Interrupted& m, Parsed& p) {
        p.texts.push_back(Text(m.mutable_reason(), m.mutable_sealed_reason(), "decisions.Interrupted.reason"));
      }),
      Info<pd::ClosedUnexecuted>([](pd::ClosedUnexecuted& m, Parsed& p) {
        p.texts.push_back(Text(m.mutable_note(), m.mutable_sealed_note(), "decisions.ClosedUnexecuted.note"));
      }),
      Info<pd::Annotated>([](pd::Annotated& m, Parsed& p) {
        p.texts.push_back(Text(m.mutable_text(), m.mutable_sealed_text(), "decisions.Annotated.text"));
      }),
      Info<pd::Corrected>([](pd::Corrected& m, Parsed& p) {
        p.texts.push_back(Text(m.mutable_reason(), m.mutable_sealed_reason(), "decisions.Corrected.reason"));
      }),
  };
  return types;
}

const TypeInfo* Find(std::string_view type) {
  for (const TypeInfo& t : Types()) {
    if (t.descriptor()->full_name() == type) return &t;
  }
  return nullptr;
}

// nullopt when the type holds no personal data. InvalidArgument when the
// payload does not parse as its type, or is a correction of a correction
// (the decider never makes one; sealed, its two reasons would share a
// context). A correction's replacement is parsed as its target's type.
Result<std::optional<Parsed>> Parse(std::string_view type, const std::string& payload, const TargetType& target,
                                    google::protobuf::Arena* arena) {
  const TypeInfo* info = Find(type);
  if (info == nullptr) return std::optional<Parsed>();
  Parsed p;
  p.message = info->make(arena);
  if (!p.message->ParseFromString(payload)) {
    return Status::InvalidArgument("the payload does not parse as " + std::string(type));
  }
  info->collect(*p.message, p);
  if (type == TypeOf<pd::Corrected>()) {
    auto* correction = static_cast<pd::Corrected*>(p.message);
    auto target_type = target(correction->target_revision());
    if (!target_type.ok()) return target_type.status();
    if (*target_type == TypeOf<pd::Corrected>()) {
      return Status::InvalidArgument("a correction may not correct a correction; correct the event it corrected");
    }
    if (const TypeInfo* replaced = Find(*target_type)) {
      p.replacement = replaced->make(arena);
      if (!p.replacement->ParseFromString(correction->replacement_payload())) {
        return Status::InvalidArgument("the replacement does not parse as " + *target_type);
      }
      p.replacement_slots = p.slots.size();
      p.replacement_texts = p.texts.size();
      replaced->collect(*p.replacement, p);
    }
  }
  return std::optional<Parsed>(std::move(p));
}

// The context a text is sealed for: its event's id, and for a correction's
// replacement the id marked as the replacement's.
std::string ContextOf(const std::string& event_id, size_t index, size_t replacement_from) {
  return index >= replacement_from ? event_id + "/replacement" : event_id;
}

}  // namespace

bool PersonalFields::Holds(std::string_view type) { return Find(type) != nullptr; }

namespace {

TargetType TargetIn(EventStore* log, const std::string& stream) {
  return [log, &stream](uint64_t revision) -> Result<std::string> {
    ReadStreamOptions o;
    o.from_revision = revision;
    o.max_count = 1;
    auto page = log->ReadStream(stream, o);
    if (!page.ok()) return page.status();
    if (page->events.empty() || page->events.front().revision != revision) {
      return Status::InvalidArgument("a correction's target_revision names no event of its stream");
    }
    return page->events.front().type;
  };
}

}  // namespace

namespace {

void Wipe(DataKey& k) { OPENSSL_cleanse(k.key.data(), k.key.size()); }
void Wipe(std::string& s) { OPENSSL_cleanse(s.data(), s.size()); }

// Empties `cache` when the vault's epoch has moved past it (or it is full),
// wiping what it held. Called with its lock held exclusively.
template <class V, class K, class H>
void Renew(PersonalFields::EpochCache<V, K, H>& cache, uint64_t epoch, size_t max) {
  if (cache.epoch == epoch && cache.values.size() < max) return;
  for (auto& [k, v] : cache.values) Wipe(v);
  cache.values.clear();
  cache.epoch = epoch;
}

// The cache key `a` | `use`, built in a buffer of the thread's own: no allocation per lookup.
const std::string& KeyOf(std::string_view a, std::string_view use) {
  thread_local std::string key;
  key.assign(a);
  key += '|';
  key.append(use);
  return key;
}

// `key` from `cache`, or what `make` gives, kept while the epoch holds.
template <class Make>
Result<std::string> Cached(PersonalFields::EpochCache<std::string>& cache, const std::string& key, uint64_t epoch,
                           size_t max, const Make& make) {
  {
    std::shared_lock lock(cache.mu);
    if (cache.epoch == epoch) {
      if (auto it = cache.values.find(key); it != cache.values.end()) return it->second;
    }
  }
  // A copy: `key` may be KeyOf's per-thread buffer, which `make` could reuse.
  std::string kept(key);
  Result<std::string> made = make();
  if (!made.ok()) return made;
  std::unique_lock lock(cache.mu);
  if (epoch < cache.epoch) return made;  // made under an epoch already past: not kept
  Renew(cache, epoch, max);
  cache.values[std::move(kept)] = *made;
  return made;
}

}  // namespace

PersonalFields::PersonalFields(KeyVault* vault, const access::SubjectKey* pseudonyms, EventStore* log)
    : vault_(vault), pseudonyms_(pseudonyms), log_(log) {
  static std::atomic<uint64_t> generations{0};
  generation_ = ++generations;
  if (RAND_bytes(cache_key_.data(), static_cast<int>(cache_key_.size())) != 1) generation_ = 0;  // no cache
}

PersonalFields::~PersonalFields() {
  OPENSSL_cleanse(cache_key_.data(), cache_key_.size());
  for (auto& [k, v] : keys_.values) Wipe(v);
  for (auto& [k, v] : sealed_.values) Wipe(v);
  for (auto& [k, v] : opened_.values) Wipe(v);  // clear personnummer
}

size_t PersonalFields::CacheKeyHash::operator()(const CacheKey& k) const {
  size_t h = 0;
  std::memcpy(&h, k.data(), sizeof h);  // AES output: already uniform
  return h;
}

PersonalFields::CacheKey PersonalFields::CacheKeyOf(std::string_view number) const {
  CacheKey out{};
  struct ThreadCopy {
    uint64_t generation = 0;
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx{nullptr, &EVP_CIPHER_CTX_free};
  };
  thread_local ThreadCopy copy;
  if (generation_ == 0) return out;  // no cache key: KeysOf does not cache
  if (copy.generation != generation_) {
    static const EVP_CIPHER* ecb = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
    copy.ctx.reset(EVP_CIPHER_CTX_new());
    copy.generation = copy.ctx && ecb && EVP_EncryptInit_ex(copy.ctx.get(), ecb, nullptr, cache_key_.data(), nullptr) == 1 &&
                              EVP_CIPHER_CTX_set_padding(copy.ctx.get(), 0) == 1
                          ? generation_
                          : 0;
  }
  unsigned char block[16] = {};
  std::memcpy(block, number.data(), std::min(number.size(), sizeof block));  // a number is 12 digits
  int len = 0;
  if (copy.generation != generation_ || EVP_EncryptUpdate(copy.ctx.get(), out.data(), &len, block, 16) != 1) {
    out.fill(0);
  }
  return out;
}

Result<std::vector<DataKey>> PersonalFields::KeysOf(const std::vector<const std::string*>& numbers) const {
  std::vector<DataKey> keys(numbers.size());
  std::vector<size_t> missing;
  std::vector<CacheKey> cache_keys(numbers.size());
  // Without a working cache key every number would map to zeros: then look every person up by pseudonym.
  const bool cached = generation_ != 0;
  for (size_t i = 0; i < numbers.size(); ++i) cache_keys[i] = CacheKeyOf(*numbers[i]);
  const uint64_t epoch = vault_->epoch();
  {
    std::shared_lock lock(keys_.mu);
    for (size_t i = 0; i < numbers.size(); ++i) {
      auto it = cached && keys_.epoch == epoch ? keys_.values.find(cache_keys[i]) : keys_.values.end();
      if (it != keys_.values.end()) {
        keys[i] = it->second;
      } else {
        missing.push_back(i);
      }
    }
  }
  if (missing.empty()) return keys;
  std::vector<std::string> wanted;
  for (size_t i : missing) wanted.push_back(pseudonyms_->Of(*numbers[i]));
  auto made = vault_->KeysFor(wanted);
  if (!made.ok()) return made.status();
  std::unique_lock lock(keys_.mu);
  const bool keep = cached && epoch >= keys_.epoch;
  if (keep) Renew(keys_, epoch, kMaxCachedPeople - std::min(kMaxCachedPeople, missing.size()));
  for (size_t k = 0; k < missing.size(); ++k) {
    keys[missing[k]] = (*made)[k];
    if (keep) keys_.values[cache_keys[missing[k]]] = (*made)[k];
  }
  return keys;
}

// A person's number is sealed the same way in every event: with no context,
// the nonce comes from the key and the field alone. That is safe because a
// key only ever seals its one person's number, and it hides nothing the key
// id does not already tell (which events are the same person's). Cached by
// key id, so a person's new key after a disposal never meets an old value.
Result<std::string> PersonalFields::SealedNumber(const DataKey& key, const std::string& number,
                                                 std::string_view use) const {
  return Cached(sealed_, KeyOf(key.id, use), vault_->epoch(), kMaxCachedPeople,
                [&] { return SealField(key, number, use, ""); });
}

Result<std::string> PersonalFields::OpenedNumber(const std::string& sealed, std::string_view use) const {
  return Cached(opened_, KeyOf(sealed, use), vault_->epoch(), kMaxCachedPeople,
                [&] { return OpenField(*vault_, sealed, use, ""); });
}

Result<std::optional<DataKey>> PersonalFields::CaseKey(const std::string& stream) const {
  // The latest application: the first event, or a correction's replacement of one.
  std::string sealed, number;
  std::unordered_map<uint64_t, std::string> types;  // revision -> type, for the corrections' targets
  ReadStreamOptions o;
  o.max_count = 1000;
  while (true) {
    auto page = log_->ReadStream(stream, o);
    if (page.status().code() == Code::kNotFound) return std::optional<DataKey>();
    if (!page.ok()) return page.status();
    for (const EventRecord& e : page->events) {
      types[e.revision] = e.type;
      pd::ApplicationReceived application;
      bool found = false;
      if (e.type == TypeOf<pd::ApplicationReceived>()) {
        found = application.ParseFromString(e.payload);
      } else if (e.type == TypeOf<pd::Corrected>()) {
        pd::Corrected correction;
        auto target = correction.ParseFromString(e.payload) ? types.find(correction.target_revision()) : types.end();
        found = target != types.end() && target->second == TypeOf<pd::ApplicationReceived>() &&
                application.ParseFromString(correction.replacement_payload());
      }
      if (found) {
        sealed = application.subject().sealed();
        number = application.subject().personal_identity_number();
      }
    }
    if (page->end_of_stream || page->events.empty()) break;
    o.from_revision = page->next_revision;
  }
  if (sealed.empty()) {
    if (!access::IsStoredPnr(number)) return std::optional<DataKey>();
    auto key = vault_->KeyFor(pseudonyms_->Of(number));  // an application from before sealing
    if (!key.ok()) return key.status();
    return std::optional<DataKey>(*key);
  }
  const std::string id(SealedKeyId(sealed));
  auto key = vault_->KeyById(id);
  if (key.status().code() == Code::kNotFound) {
    return Status::FailedPrecondition("the case's person is disposed of (gallrad): nothing more can be recorded in it");
  }
  if (!key.ok()) return key.status();
  return std::optional<DataKey>(DataKey{id, *key});
}

Status PersonalFields::Seal(const std::string& stream, std::vector<ProposedEvent>& events) const {
  struct Pending {
    size_t event;
    Parsed parsed;
  };
  std::vector<Pending> pending;
  std::vector<const std::string*> numbers;  // one per slot with a number, in order
  std::optional<size_t> first_application;  // the index in `numbers` of this batch's first application
  bool has_text = false;
  const TargetType target = TargetIn(log_, stream);
  google::protobuf::Arena arena;
  for (size_t i = 0; i < events.size(); ++i) {
    if (!Holds(events[i].type)) continue;
    auto at = [&events, i] { return "event " + std::to_string(i) + " (" + events[i].type + "): "; };
    auto parsed = Parse(events[i].type, events[i].payload, target, &arena);
    if (!parsed.ok()) return Status(parsed.status().code(), at() + parsed.status().message());
    if (!parsed->has_value()) continue;
    for (Slot& slot : (*parsed)->slots) {
      if (!slot.sealed->empty() || slot.disposed() || (slot.sealed_text && !slot.sealed_text->empty())) {
        return Status::InvalidArgument(at() + "the sealed_ fields and disposed are set by the server; leave them empty");
      }
      if (slot.number->empty()) {
        if (slot.use == kPersonSubject && slot.text && !slot.text->empty()) {
          return Status::InvalidArgument(at() + "a surname needs its person's personnummer in subject");
        }
        continue;
      }
      if (!access::IsStoredPnr(*slot.number)) {
        return Status::InvalidArgument(at() + "the personnummer must be normalized to 12 digits YYYYMMDDNNNC");
      }
      if (!first_application && events[i].type == TypeOf<pd::ApplicationReceived>()) {
        first_application = numbers.size();
      }
      numbers.push_back(slot.number);
    }
    for (TextSlot& t : (*parsed)->texts) {
      if (!t.sealed->empty()) {
        return Status::InvalidArgument(at() + "the sealed_ fields and disposed are set by the server; leave them empty");
      }
      has_text = has_text || !t.text->empty();
    }
    pending.push_back({i, std::move(**parsed)});
  }
  if (pending.empty()) return Status::Ok();
  // Free text about a case's person goes under the key of the person its
  // latest application names: in the log, or in this batch when it starts
  // the case. Looked up before any key is made, so that a refusal makes none.
  std::optional<DataKey> case_key;
  const bool case_text = has_text && stream.starts_with("beslut-");
  if (case_text) {
    auto in_log = CaseKey(stream);
    if (!in_log.ok()) return in_log.status();
    case_key = *in_log;
  }
  std::vector<DataKey> keys;
  if (!numbers.empty()) {
    auto made = KeysOf(numbers);
    if (!made.ok()) return made.status();
    keys = std::move(*made);
  }
  if (case_text && !case_key && first_application) case_key = keys[*first_application];
  size_t next = 0;
  for (Pending& p : pending) {
    const std::string id(events[p.event].id.raw());
    for (size_t k = 0; k < p.parsed.slots.size(); ++k) {
      Slot& slot = p.parsed.slots[k];
      if (slot.number->empty()) continue;
      const DataKey& key = keys[next++];
      auto sealed = SealedNumber(key, *slot.number, slot.use);
      if (!sealed.ok()) return sealed.status();
      *slot.sealed = std::move(*sealed);
      slot.number->clear();
      if (slot.text && !slot.text->empty()) {
        auto text = SealField(key, *slot.text, slot.text_use, ContextOf(id, k, p.parsed.replacement_slots));
        if (!text.ok()) return text.status();
        *slot.sealed_text = std::move(*text);
        slot.text->clear();
      }
    }
    if (case_key) {
      for (size_t k = 0; k < p.parsed.texts.size(); ++k) {
        TextSlot& t = p.parsed.texts[k];
        if (t.text->empty()) continue;
        auto sealed = SealField(*case_key, *t.text, t.use, ContextOf(id, k, p.parsed.replacement_texts));
        if (!sealed.ok()) return sealed.status();
        *t.sealed = std::move(*sealed);
        t.text->clear();
      }
    }
    events[p.event].payload = p.parsed.Serialize();
  }
  return Status::Ok();
}

Status PersonalFields::Open(EventRecord& event) const {
  if (!Holds(event.type)) return Status::Ok();
  // A first block on the stack: one event's message fits, with no allocation for the arena.
  alignas(8) char block[2048];
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = sizeof block;
  google::protobuf::Arena arena(options);
  auto parsed = Parse(event.type, event.payload, TargetIn(log_, event.stream), &arena);
  // What Seal would have refused (only a raw append of old could hold it) is read as it is.
  if (parsed.status().code() == Code::kInvalidArgument) return Status::Ok();
  if (!parsed.ok()) return parsed.status();
  if (!parsed->has_value()) return Status::Ok();
  const std::string id(event.id.raw());
  auto failed = [&event](const Status& s) {
    return Status(s.code(), "event at position " + std::to_string(event.position) + ": " + s.message());
  };
  bool changed = false;
  for (size_t k = 0; k < (*parsed)->slots.size(); ++k) {
    Slot& slot = (*parsed)->slots[k];
    if (slot.sealed->empty()) continue;
    changed = true;
    auto clear = OpenedNumber(*slot.sealed, slot.use);
    if (clear.status().code() == Code::kNotFound) {
      slot.mark_disposed();
      slot.number->clear();
      slot.sealed->clear();
      if (slot.text) slot.text->clear();
      if (slot.sealed_text) slot.sealed_text->clear();
      continue;
    }
    if (!clear.ok()) return failed(clear.status());
    *slot.number = std::move(*clear);
    slot.sealed->clear();
    if (slot.sealed_text && !slot.sealed_text->empty()) {
      auto text = OpenField(*vault_, *slot.sealed_text, slot.text_use, ContextOf(id, k, (*parsed)->replacement_slots));
      if (!text.ok()) return failed(text.status());
      *slot.text = std::move(*text);
      slot.sealed_text->clear();
    }
  }
  for (size_t k = 0; k < (*parsed)->texts.size(); ++k) {
    TextSlot& t = (*parsed)->texts[k];
    if (t.sealed->empty()) continue;
    changed = true;
    auto clear = OpenField(*vault_, *t.sealed, t.use, ContextOf(id, k, (*parsed)->replacement_texts));
    if (!clear.ok() && clear.status().code() != Code::kNotFound) return failed(clear.status());
    *t.text = clear.ok() ? std::move(*clear) : std::string();  // disposed: no text
    t.sealed->clear();
  }
  if (changed) event.payload = (*parsed)->Serialize();
  return Status::Ok();
}

}  // namespace sparbar::vault
