#include "services/vault/personal_fields.h"

#include <algorithm>
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

// A new message of `type` with its slots added to `p`; nullptr for a type without personal data.
std::unique_ptr<google::protobuf::Message> New(std::string_view type, Parsed& p,
                                               std::function<void(google::protobuf::Message&)>* collect) {
  auto make = [&](auto m, auto add) -> std::unique_ptr<google::protobuf::Message> {
    auto* raw = m.get();
    *collect = [raw, add, &p](google::protobuf::Message&) { add(*raw, p); };
    return m;
  };
  auto text = [](std::string* t, std::string* sealed, std::string_view use) { return TextSlot{t, sealed, use}; };
  if (type == TypeOf<pa::AccessRecorded>()) {
    return make(std::make_unique<pa::AccessRecorded>(), [](pa::AccessRecorded& m, Parsed& p) {
      if (m.has_subject()) p.slots.push_back(SlotOf(m.mutable_subject(), kAccessSubject));
    });
  }
  if (type == TypeOf<pd::ApplicationReceived>()) {
    return make(std::make_unique<pd::ApplicationReceived>(), [](pd::ApplicationReceived& m, Parsed& p) {
      if (m.has_subject()) p.slots.push_back(SlotOf(m.mutable_subject(), kApplicationSubject));
    });
  }
  if (type == TypeOf<plr::PersonContextRecorded>()) {
    return make(std::make_unique<plr::PersonContextRecorded>(), [](plr::PersonContextRecorded& m, Parsed& p) {
      if (m.has_subject()) {
        p.slots.push_back(WithText(SlotOf(m.mutable_subject(), kPersonSubject), m.mutable_surname(),
                                   m.mutable_sealed_surname(), kPersonSurname));
      }
    });
  }
  if (type == TypeOf<plr::StaffMemberRecorded>()) {
    return make(std::make_unique<plr::StaffMemberRecorded>(), [](plr::StaffMemberRecorded& m, Parsed& p) {
      if (m.has_own_identity()) {
        p.slots.push_back(WithText(SlotOf(m.mutable_own_identity(), kStaffIdentity), m.mutable_surname(),
                                   m.mutable_sealed_surname(), kStaffSurname));
      }
    });
  }
  if (type == TypeOf<pd::DecisionMade>()) {
    return make(std::make_unique<pd::DecisionMade>(), [text](pd::DecisionMade& m, Parsed& p) {
      p.texts.push_back(text(m.mutable_reasons(), m.mutable_sealed_reasons(), "decisions.DecisionMade.reasons"));
    });
  }
  if (type == TypeOf<pd::OfferDeclined>()) {
    return make(std::make_unique<pd::OfferDeclined>(), [text](pd::OfferDeclined& m, Parsed& p) {
      p.texts.push_back(text(m.mutable_reason(), m.mutable_sealed_reason(), "decisions.OfferDeclined.reason"));
    });
  }
  if (type == TypeOf<pd::DelayReasonNoted>()) {
    return make(std::make_unique<pd::DelayReasonNoted>(), [text](pd::DelayReasonNoted& m, Parsed& p) {
      p.texts.push_back(
          text(m.mutable_reason_text(), m.mutable_sealed_reason_text(), "decisions.DelayReasonNoted.reason_text"));
    });
  }
  if (type == TypeOf<pd::Interrupted>()) {
    return make(std::make_unique<pd::Interrupted>(), [text](pd::Interrupted& m, Parsed& p) {
      p.texts.push_back(text(m.mutable_reason(), m.mutable_sealed_reason(), "decisions.Interrupted.reason"));
    });
  }
  if (type == TypeOf<pd::ClosedUnexecuted>()) {
    return make(std::make_unique<pd::ClosedUnexecuted>(), [text](pd::ClosedUnexecuted& m, Parsed& p) {
      p.texts.push_back(text(m.mutable_note(), m.mutable_sealed_note(), "decisions.ClosedUnexecuted.note"));
    });
  }
  if (type == TypeOf<pd::Annotated>()) {
    return make(std::make_unique<pd::Annotated>(), [text](pd::Annotated& m, Parsed& p) {
      p.texts.push_back(text(m.mutable_text(), m.mutable_sealed_text(), "decisions.Annotated.text"));
    });
  }
  if (type == TypeOf<pd::Corrected>()) {
    return make(std::make_unique<pd::Corrected>(), [text](pd::Corrected& m, Parsed& p) {
      p.texts.push_back(text(m.mutable_reason(), m.mutable_sealed_reason(), "decisions.Corrected.reason"));
    });
  }
  return nullptr;
}

// nullopt when the type holds no personal data or the payload does not
// parse as its type: it is left as it is (the services refuse such payloads
// before they append). A correction's replacement is parsed as its target's type.
Result<std::optional<Parsed>> Parse(std::string_view type, const std::string& payload, const TargetType& target) {
  Parsed p;
  std::function<void(google::protobuf::Message&)> collect;
  p.message = New(type, p, &collect);
  if (!p.message || !p.message->ParseFromString(payload)) return std::optional<Parsed>();
  collect(*p.message);
  if (type == TypeOf<pd::Corrected>()) {
    auto* correction = static_cast<pd::Corrected*>(p.message.get());
    auto target_type = target(correction->target_revision());
    if (!target_type.ok()) return target_type.status();
    std::function<void(google::protobuf::Message&)> collect_replacement;
    p.replacement = New(*target_type, p, &collect_replacement);
    if (p.replacement) {
      if (!p.replacement->ParseFromString(correction->replacement_payload())) return std::optional<Parsed>();
      collect_replacement(*p.replacement);
    }
  }
  return std::optional<Parsed>(std::move(p));
}

bool IsNormalized(std::string_view n) {
  return n.size() == 12 && n.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

bool PersonalFields::Holds(std::string_view type) {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> out;
    for (const auto* d : {pa::AccessRecorded::descriptor(), pd::ApplicationReceived::descriptor(),
                          plr::PersonContextRecorded::descriptor(), plr::StaffMemberRecorded::descriptor(),
                          pd::DecisionMade::descriptor(), pd::OfferDeclined::descriptor(),
                          pd::DelayReasonNoted::descriptor(), pd::Interrupted::descriptor(),
                          pd::ClosedUnexecuted::descriptor(), pd::Annotated::descriptor(),
                          pd::Corrected::descriptor()}) {
      out.push_back(d->full_name());
    }
    return out;
  }();
  return std::find(types.begin(), types.end(), type) != types.end();
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
  std::vector<std::string> pseudonyms;  // one per slot with a number, in order
  std::optional<size_t> first_application;  // the index in `pseudonyms` of this batch's first application
  bool has_text = false;
  const TargetType target = TargetIn(log_, stream);
  for (size_t i = 0; i < events.size(); ++i) {
    if (!Holds(events[i].type)) continue;
    auto parsed = Parse(events[i].type, events[i].payload, target);
    if (!parsed.ok()) return parsed.status();
    if (!parsed->has_value()) continue;
    const std::string refused = "event " + std::to_string(i) + ": the sealed_ fields and disposed are set by the "
                                "server; leave them empty";
    for (Slot& slot : (*parsed)->slots) {
      if (!slot.sealed->empty() || slot.disposed() || (slot.sealed_text && !slot.sealed_text->empty())) {
        return Status::InvalidArgument(refused);
      }
      if (slot.number->empty()) continue;
      if (!IsNormalized(*slot.number)) {
        return Status::InvalidArgument("event " + std::to_string(i) + " (" + events[i].type +
                                       "): the personnummer must be normalized to 12 digits YYYYMMDDNNNC");
      }
      if (!first_application && events[i].type == TypeOf<pd::ApplicationReceived>()) {
        first_application = pseudonyms.size();
      }
      pseudonyms.push_back(pseudonyms_->Of(*slot.number));
    }
    for (TextSlot& t : (*parsed)->texts) {
      if (!t.sealed->empty()) return Status::InvalidArgument(refused);
      has_text = has_text || !t.text->empty();
    }
    pending.push_back({i, std::move(**parsed)});
  }
  if (pending.empty()) return Status::Ok();
  std::vector<DataKey> keys;
  if (!pseudonyms.empty()) {
    auto made = vault_->KeysFor(pseudonyms);
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
  for (TextSlot& t : (*parsed)->texts) {
    if (t.sealed->empty()) continue;
    changed = true;
    auto clear = OpenField(*vault_, *t.sealed, t.use);
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
