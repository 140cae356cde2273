#include "services/vault/personal_fields.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "eventstore/store.h"
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
  std::unique_ptr<google::protobuf::Message> message;
  std::unique_ptr<google::protobuf::Message> replacement;  // a correction's, of its target's type
  std::vector<Slot> slots;
  std::vector<TextSlot> texts;

  std::string Serialize() {
    if (replacement) {
      static_cast<pd::Corrected*>(message.get())->set_replacement_payload(replacement->SerializeAsString());
    }
    return message->SerializeAsString();
  }
};

using TargetType = std::function<Result<std::string>(uint64_t revision)>;

// The event types with personal data: how to make one, and where its people and texts are.
struct TypeInfo {
  const google::protobuf::Descriptor* (*descriptor)();
  std::unique_ptr<google::protobuf::Message> (*make)();
  void (*collect)(google::protobuf::Message& m, Parsed& p);
};

template <class M>
TypeInfo Info(void (*collect)(M&, Parsed&)) {
  // Captureless lambdas: plain function pointers, no allocation per event.
  static void (*typed)(M&, Parsed&) = nullptr;
  typed = collect;
  return {&M::descriptor, [] { return std::unique_ptr<google::protobuf::Message>(new M()); },
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
        if (m.has_subject()) {
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

// nullopt when the type holds no personal data or the payload does not
// parse as its type: it is left as it is (the services refuse such payloads
// before they append). A correction's replacement is parsed as its target's type.
Result<std::optional<Parsed>> Parse(std::string_view type, const std::string& payload, const TargetType& target) {
  const TypeInfo* info = Find(type);
  if (info == nullptr) return std::optional<Parsed>();
  Parsed p;
  p.message = info->make();
  if (!p.message->ParseFromString(payload)) return std::optional<Parsed>();
  info->collect(*p.message, p);
  if (type == TypeOf<pd::Corrected>()) {
    auto* correction = static_cast<pd::Corrected*>(p.message.get());
    auto target_type = target(correction->target_revision());
    if (!target_type.ok()) return target_type.status();
    if (const TypeInfo* replaced = Find(*target_type)) {
      p.replacement = replaced->make();
      if (!p.replacement->ParseFromString(correction->replacement_payload())) return std::optional<Parsed>();
      replaced->collect(*p.replacement, p);
    }
  }
  return std::optional<Parsed>(std::move(p));
}

bool IsNormalized(std::string_view n) {
  return n.size() == 12 && n.find_first_not_of("0123456789") == std::string_view::npos;
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

Result<std::vector<DataKey>> PersonalFields::KeysOf(const std::vector<std::string>& numbers) const {
  std::vector<DataKey> keys(numbers.size());
  std::vector<size_t> missing;
  const uint64_t epoch = vault_->epoch();
  {
    std::shared_lock lock(cache_mu_);
    for (size_t i = 0; i < numbers.size(); ++i) {
      auto it = cache_.find(numbers[i]);
      if (it != cache_.end() && it->second.epoch == epoch) {
        keys[i] = it->second.key;
      } else {
        missing.push_back(i);
      }
    }
  }
  if (missing.empty()) return keys;
  std::vector<std::string> pseudonyms;
  for (size_t i : missing) pseudonyms.push_back(pseudonyms_->Of(numbers[i]));
  auto made = vault_->KeysFor(pseudonyms);
  if (!made.ok()) return made.status();
  std::unique_lock lock(cache_mu_);
  if (cache_.size() + missing.size() > kMaxCachedPeople) cache_.clear();
  for (size_t k = 0; k < missing.size(); ++k) {
    keys[missing[k]] = (*made)[k];
    cache_[numbers[missing[k]]] = CachedKey{(*made)[k], epoch};
  }
  return keys;
}

namespace {

// Looks `key` up in `cache` as of `epoch`; stores what `make` gives when it
// is not there (clearing the cache when it is full).
Result<std::string> Cached(std::shared_mutex& mu, std::unordered_map<std::string, PersonalFields::CachedValue>& cache,
                           const std::string& key, uint64_t epoch, size_t max,
                           const std::function<Result<std::string>()>& make) {
  {
    std::shared_lock lock(mu);
    if (auto it = cache.find(key); it != cache.end() && it->second.epoch == epoch) return it->second.value;
  }
  auto made = make();
  if (!made.ok()) return made;
  std::unique_lock lock(mu);
  if (cache.size() >= max) cache.clear();
  cache[key] = PersonalFields::CachedValue{*made, epoch};
  return made;
}

}  // namespace

// A person's number is sealed the same way in every event: with no context,
// the nonce comes from the key and the field alone. That is safe because a
// key only ever seals its one person's number, and it hides nothing the key
// id does not already tell (which events are the same person's).
Result<std::string> PersonalFields::SealedNumber(const DataKey& key, const std::string& number,
                                                 std::string_view use) const {
  return Cached(seal_mu_, sealed_, number + '|' + std::string(use), vault_->epoch(), kMaxCachedPeople,
                [&] { return SealField(key, number, use, ""); });
}

Result<std::string> PersonalFields::OpenedNumber(const std::string& sealed, std::string_view use) const {
  return Cached(open_mu_, opened_, sealed + '|' + std::string(use), vault_->epoch(), kMaxCachedPeople,
                [&] { return OpenField(*vault_, sealed, use, ""); });
}

Result<std::optional<DataKey>> PersonalFields::CaseKey(const std::string& stream) const {
  ReadStreamOptions o;
  o.max_count = 1;
  auto page = log_->ReadStream(stream, o);
  if (page.status().code() == Code::kNotFound) return std::optional<DataKey>();
  if (!page.ok()) return page.status();
  if (page->events.empty() || page->events.front().type != TypeOf<pd::ApplicationReceived>()) {
    return std::optional<DataKey>();
  }
  pd::ApplicationReceived application;
  if (!application.ParseFromString(page->events.front().payload)) return std::optional<DataKey>();
  const std::string& sealed = application.subject().sealed();
  if (sealed.empty()) {
    const std::string& number = application.subject().personal_identity_number();
    if (!IsNormalized(number)) return std::optional<DataKey>();
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
  std::vector<std::string> numbers;  // one per slot with a number, in order
  std::optional<size_t> first_application;  // the index in `numbers` of this batch's first application
  bool has_text = false;
  const TargetType target = TargetIn(log_, stream);
  for (size_t i = 0; i < events.size(); ++i) {
    if (!Holds(events[i].type)) continue;
    auto parsed = Parse(events[i].type, events[i].payload, target);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->has_value()) continue;
    auto refused = [i] {
      return Status::InvalidArgument("event " + std::to_string(i) +
                                     ": the sealed_ fields and disposed are set by the server; leave them empty");
    };
    for (Slot& slot : (*parsed)->slots) {
      if (!slot.sealed->empty() || slot.disposed() || (slot.sealed_text && !slot.sealed_text->empty())) {
        return refused();
      }
      if (slot.number->empty()) continue;
      if (!IsNormalized(*slot.number)) {
        return Status::InvalidArgument("event " + std::to_string(i) + " (" + events[i].type +
                                       "): the personnummer must be normalized to 12 digits YYYYMMDDNNNC");
      }
      if (!first_application && events[i].type == TypeOf<pd::ApplicationReceived>()) {
        first_application = numbers.size();
      }
      numbers.push_back(*slot.number);
    }
    for (TextSlot& t : (*parsed)->texts) {
      if (!t.sealed->empty()) return refused();
      has_text = has_text || !t.text->empty();
    }
    pending.push_back({i, std::move(**parsed)});
  }
  if (pending.empty()) return Status::Ok();
  std::vector<DataKey> keys;
  if (!numbers.empty()) {
    auto made = KeysOf(numbers);
    if (!made.ok()) return made.status();
    keys = std::move(*made);
  }
  // Free text about a case's person goes under the key of the person its
  // first event names: in the log, or in this batch when it starts the case.
  std::optional<DataKey> case_key;
  if (has_text && stream.starts_with("beslut-")) {
    auto in_log = CaseKey(stream);
    if (!in_log.ok()) return in_log.status();
    case_key = *in_log;
    if (!case_key && first_application) case_key = keys[*first_application];
  }
  size_t next = 0;
  for (Pending& p : pending) {
    const std::string context(events[p.event].id.raw());
    for (Slot& slot : p.parsed.slots) {
      if (slot.number->empty()) continue;
      const DataKey& key = keys[next++];
      auto sealed = SealedNumber(key, *slot.number, slot.use);
      if (!sealed.ok()) return sealed.status();
      *slot.sealed = std::move(*sealed);
      slot.number->clear();
      if (slot.text && !slot.text->empty()) {
        auto text = SealField(key, *slot.text, slot.text_use, context);
        if (!text.ok()) return text.status();
        *slot.sealed_text = std::move(*text);
        slot.text->clear();
      }
    }
    if (case_key) {
      for (TextSlot& t : p.parsed.texts) {
        if (t.text->empty()) continue;
        auto sealed = SealField(*case_key, *t.text, t.use, context);
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
  auto parsed = Parse(event.type, event.payload, TargetIn(log_, event.stream));
  if (!parsed.ok()) return parsed.status();
  if (!parsed->has_value()) return Status::Ok();
  const std::string context(event.id.raw());
  bool changed = false;
  for (Slot& slot : (*parsed)->slots) {
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
    if (!clear.ok()) {
      return Status::DataLoss("event at position " + std::to_string(event.position) + ": " + clear.status().message());
    }
    *slot.number = std::move(*clear);
    slot.sealed->clear();
    if (slot.sealed_text && !slot.sealed_text->empty()) {
      auto text = OpenField(*vault_, *slot.sealed_text, slot.text_use, context);
      if (!text.ok()) {
        return Status::DataLoss("event at position " + std::to_string(event.position) + ": " + text.status().message());
      }
      *slot.text = std::move(*text);
      slot.sealed_text->clear();
    }
  }
  for (TextSlot& t : (*parsed)->texts) {
    if (t.sealed->empty()) continue;
    changed = true;
    auto clear = OpenField(*vault_, *t.sealed, t.use, context);
    if (!clear.ok() && clear.status().code() != Code::kNotFound) {
      return Status::DataLoss("event at position " + std::to_string(event.position) + ": " + clear.status().message());
    }
    *t.text = clear.ok() ? std::move(*clear) : std::string();  // disposed: no text
    t.sealed->clear();
  }
  if (changed) event.payload = (*parsed)->Serialize();
  return Status::Ok();
}

}  // namespace sparbar::vault
