#include "services/vault/personal_fields.h"

#include <functional>
#include <memory>

#include "eventstore/store.h"
#include "services/access/subject_key.h"
#include "services/vault/field_cipher.h"
#include "services/vault/key_vault.h"
#include "sparbar/v1/access.pb.h"
#include "sparbar/v1/decisions.pb.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::vault {
namespace {

namespace pa = sparbar::v1::access;
namespace pd = sparbar::v1::decisions;
namespace plr = sparbar::v1::logreview;

// The seals' uses (their associated data): a value sealed for one field opens in no other.
constexpr std::string_view kAccessSubject = "access.AccessRecorded.subject";
constexpr std::string_view kApplicationSubject = "decisions.ApplicationReceived.subject";
constexpr std::string_view kPersonSubject = "logreview.PersonContextRecorded.subject";
constexpr std::string_view kPersonSurname = "logreview.PersonContextRecorded.surname";
constexpr std::string_view kStaffIdentity = "logreview.StaffMemberRecorded.own_identity";
constexpr std::string_view kStaffSurname = "logreview.StaffMemberRecorded.surname";

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

// An event's payload parsed, with the people it names.
struct Parsed {
  std::unique_ptr<google::protobuf::Message> message;
  std::unique_ptr<pd::ApplicationReceived> replacement;  // a correction's, when it replaces an application
  std::vector<Slot> slots;

  std::string Serialize() {
    if (replacement) {
      static_cast<pd::Corrected*>(message.get())->set_replacement_payload(replacement->SerializeAsString());
    }
    return message->SerializeAsString();
  }
};

using TargetType = std::function<Result<std::string>(uint64_t revision)>;

// nullopt when the payload does not parse as its type: it is left as it is
// (the services refuse such payloads before they append).
Result<std::optional<Parsed>> Parse(std::string_view type, const std::string& payload, const TargetType& target) {
  Parsed p;
  if (type == TypeOf<pa::AccessRecorded>()) {
    auto m = std::make_unique<pa::AccessRecorded>();
    if (!m->ParseFromString(payload)) return std::optional<Parsed>();
    if (m->has_subject()) p.slots.push_back(SlotOf(m->mutable_subject(), kAccessSubject));
    p.message = std::move(m);
  } else if (type == TypeOf<pd::ApplicationReceived>()) {
    auto m = std::make_unique<pd::ApplicationReceived>();
    if (!m->ParseFromString(payload)) return std::optional<Parsed>();
    if (m->has_subject()) p.slots.push_back(SlotOf(m->mutable_subject(), kApplicationSubject));
    p.message = std::move(m);
  } else if (type == TypeOf<pd::Corrected>()) {
    auto m = std::make_unique<pd::Corrected>();
    if (!m->ParseFromString(payload)) return std::optional<Parsed>();
    auto target_type = target(m->target_revision());
    if (!target_type.ok()) return target_type.status();
    if (*target_type == TypeOf<pd::ApplicationReceived>()) {
      p.replacement = std::make_unique<pd::ApplicationReceived>();
      if (!p.replacement->ParseFromString(m->replacement_payload())) return std::optional<Parsed>();
      if (p.replacement->has_subject()) p.slots.push_back(SlotOf(p.replacement->mutable_subject(), kApplicationSubject));
    }
    p.message = std::move(m);
  } else if (type == TypeOf<plr::PersonContextRecorded>()) {
    auto m = std::make_unique<plr::PersonContextRecorded>();
    if (!m->ParseFromString(payload)) return std::optional<Parsed>();
    if (m->has_subject()) {
      p.slots.push_back(WithText(SlotOf(m->mutable_subject(), kPersonSubject), m->mutable_surname(),
                                 m->mutable_sealed_surname(), kPersonSurname));
    }
    p.message = std::move(m);
  } else if (type == TypeOf<plr::StaffMemberRecorded>()) {
    auto m = std::make_unique<plr::StaffMemberRecorded>();
    if (!m->ParseFromString(payload)) return std::optional<Parsed>();
    if (m->has_own_identity()) {
      p.slots.push_back(WithText(SlotOf(m->mutable_own_identity(), kStaffIdentity), m->mutable_surname(),
                                 m->mutable_sealed_surname(), kStaffSurname));
    }
    p.message = std::move(m);
  } else {
    return std::optional<Parsed>();
  }
  return std::optional<Parsed>(std::move(p));
}

bool IsNormalized(std::string_view n) {
  return n.size() == 12 && n.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

bool PersonalFields::Holds(std::string_view type) {
  return type == TypeOf<pa::AccessRecorded>() || type == TypeOf<pd::ApplicationReceived>() ||
         type == TypeOf<pd::Corrected>() || type == TypeOf<plr::PersonContextRecorded>() ||
         type == TypeOf<plr::StaffMemberRecorded>();
}

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

Status PersonalFields::Seal(const std::string& stream, std::vector<ProposedEvent>& events) const {
  struct Pending {
    size_t event;
    Parsed parsed;
  };
  std::vector<Pending> pending;
  std::vector<std::string> pseudonyms;  // one per slot with a number, in order
  const TargetType target = TargetIn(log_, stream);
  for (size_t i = 0; i < events.size(); ++i) {
    if (!Holds(events[i].type)) continue;
    auto parsed = Parse(events[i].type, events[i].payload, target);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->has_value()) continue;
    for (Slot& slot : (*parsed)->slots) {
      if (!slot.sealed->empty() || slot.disposed() || (slot.sealed_text && !slot.sealed_text->empty())) {
        return Status::InvalidArgument("event " + std::to_string(i) +
                                       ": sealed, sealed_surname and disposed are set by the server; leave them empty");
      }
      if (slot.number->empty()) continue;
      if (!IsNormalized(*slot.number)) {
        return Status::InvalidArgument("event " + std::to_string(i) + " (" + events[i].type +
                                       "): the personnummer must be normalized to 12 digits YYYYMMDDNNNC");
      }
      pseudonyms.push_back(pseudonyms_->Of(*slot.number));
    }
    pending.push_back({i, std::move(**parsed)});
  }
  if (pseudonyms.empty()) return Status::Ok();
  auto keys = vault_->KeysFor(pseudonyms);
  if (!keys.ok()) return keys.status();
  size_t next = 0;
  for (Pending& p : pending) {
    const std::string context(events[p.event].id.raw());
    for (Slot& slot : p.parsed.slots) {
      if (slot.number->empty()) continue;
      const DataKey& key = (*keys)[next++];
      auto sealed = SealField(key, *slot.number, slot.use, context);
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
    events[p.event].payload = p.parsed.Serialize();
  }
  return Status::Ok();
}

Status PersonalFields::Open(EventRecord& event) const {
  if (!Holds(event.type)) return Status::Ok();
  auto parsed = Parse(event.type, event.payload, TargetIn(log_, event.stream));
  if (!parsed.ok()) return parsed.status();
  if (!parsed->has_value()) return Status::Ok();
  bool changed = false;
  for (Slot& slot : (*parsed)->slots) {
    if (slot.sealed->empty()) continue;
    changed = true;
    auto clear = OpenField(*vault_, *slot.sealed, slot.use);
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
      auto text = OpenField(*vault_, *slot.sealed_text, slot.text_use);
      if (!text.ok()) {
        return Status::DataLoss("event at position " + std::to_string(event.position) + ": " + text.status().message());
      }
      *slot.text = std::move(*text);
      slot.sealed_text->clear();
    }
  }
  if (changed) event.payload = (*parsed)->Serialize();
  return Status::Ok();
}

}  // namespace sparbar::vault
