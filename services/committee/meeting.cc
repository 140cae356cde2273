#include "services/committee/meeting.h"

#include <algorithm>
#include <set>

#include "services/committee/dnr.h"
#include "services/common/decide_checks.h"
#include "services/common/event_payload.h"

namespace sparbar::committee {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }
std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }
Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "committee meeting");
}

namespace {

using Names = google::protobuf::RepeatedPtrField<std::string>;


const char* PhaseOf(const MeetingState& s) {
  if (!s.Held()) return "not held";
  if (s.notice) return "attested and posted";
  if (s.Attested()) return "attested";
  return "held";
}

Status Rule(const MeetingState& s, const std::string& rule) {
  return Status::FailedPrecondition(rule + " (the meeting is " + PhaseOf(s) + ")");
}

struct Decider {
  const MeetingState& s;
  const DecideContext& c;

  // A required date, not after today and not before the meeting.
  Result<CivilDate> Date(const std::string& text, const char* field) const {
    SPARBAR_TRY_ASSIGN(d, DateField(text, field, c.today));
    if (s.Held()) SPARBAR_TRY(NotBefore(d, s.held_on, field, "the meeting"));
    return d;
  }

  // A name or a list item: short, required, no personnummer.
  Status Short(const std::string& value, const char* field) const {
    return FreeTextField(value, field, kMaxShortText, true, c.today);
  }
  Status List(const Names& items, const char* field, bool required) const {
    if (required && items.empty()) return Status::InvalidArgument(std::string(field) + " needs at least one name");
    for (const auto& item : items) SPARBAR_TRY(Short(item, field));
    return Status::Ok();
  }

  // Those who attest: the chair and every attester elected at the meeting.
  Status Attesters(const Names& by) const {
    SPARBAR_TRY(List(by, "attested_by", true));
    const std::set<std::string> signed_by(by.begin(), by.end());
    if (!signed_by.count(s.meeting->chair())) {
      return Status::InvalidArgument("attested_by: the chair attests with the attesters (justerare)");
    }
    for (const auto& a : s.meeting->attesters()) {
      if (!signed_by.count(a))
        return Status::InvalidArgument("attested_by: every attester elected at the meeting attests");
    }
    return Status::Ok();
  }

  Result<const MeetingState::Paragraph*> Open(uint32_t number, const char* step) const {
    if (!s.Held()) return Rule(s, std::string(step) + " belongs to a meeting held");
    auto it = s.paragraphs.find(number);
    if (it == s.paragraphs.end()) {
      return Status::InvalidArgument("paragraph: § " + std::to_string(number) + " is not recorded for this meeting");
    }
    if (it->second.attested_on) return Rule(s, std::string(step) + ": § " + std::to_string(number) + " is attested");
    return &it->second;
  }

  Result<Payload> operator()(pb::MeetingHeld m) const {
    if (s.Held()) return Rule(s, "a meeting is held once");
    SPARBAR_TRY(Short(m.body(), "body"));
    SPARBAR_TRY(Date(m.meeting_date(), "meeting_date").status());
    SPARBAR_TRY(FreeTextField(m.place(), "place", kMaxShortText, false, c.today));
    SPARBAR_TRY(Short(m.chair(), "chair"));
    SPARBAR_TRY(Short(m.secretary(), "secretary"));
    SPARBAR_TRY(List(m.attesters(), "attesters", true));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ParagraphRecorded m) const {
    if (!s.Held() || s.Attested())
      return Rule(s, "a paragraph belongs to a meeting held whose protocol is not attested");
    if (m.number() == 0) return Status::InvalidArgument("number is required: the paragraph's § number");
    if (s.paragraphs.count(m.number())) {
      return Status::InvalidArgument("number: § " + std::to_string(m.number()) + " is recorded already");
    }
    m.clear_dnr_canonical();
    if (!m.dnr().empty()) {
      SPARBAR_TRY_ASSIGN(dnr, ParseDnr(m.dnr(), "dnr"));
      m.set_dnr_canonical(dnr.canonical);
    }
    SPARBAR_TRY(Short(m.title(), "title"));
    SPARBAR_TRY(FreeTextField(m.decision(), "decision", kMaxLongText, true, c.today));
    SPARBAR_TRY(List(m.basis(), "basis", false));
    SPARBAR_TRY(List(m.distribution(), "distribution", false));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ReservationRecorded m) const {
    SPARBAR_TRY(Open(m.paragraph(), "a reservation").status());
    SPARBAR_TRY(Short(m.member(), "member"));
    SPARBAR_TRY(FreeTextField(m.party(), "party", kMaxShortText, false, c.today));
    SPARBAR_TRY(FreeTextField(m.text(), "text", kMaxLongText, m.protocol_note(), c.today));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ParagraphAttested m) const {
    SPARBAR_TRY(Open(m.paragraph(), "attesting a paragraph").status());
    if (s.Attested()) return Rule(s, "the protocol is attested");
    SPARBAR_TRY(Date(m.attested_date(), "attested_date").status());
    SPARBAR_TRY(Attesters(m.attested_by()));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::ProtocolAttested m) const {
    if (!s.Held() || s.Attested()) return Rule(s, "a protocol is attested once, after the meeting");
    if (s.paragraphs.empty()) return Rule(s, "a protocol holds at least one paragraph");
    SPARBAR_TRY_ASSIGN(on, Date(m.attested_date(), "attested_date"));
    for (const auto& [number, p] : s.paragraphs) {
      if (p.attested_on && on < *p.attested_on) {
        return Status::InvalidArgument("attested_date lies before § " + std::to_string(number) + "'s own attestation");
      }
    }
    SPARBAR_TRY(FreeTextField(m.place(), "place", kMaxShortText, false, c.today));
    SPARBAR_TRY(Attesters(m.attested_by()));
    return Payload(std::move(m));
  }

  Result<Payload> operator()(pb::NoticePosted m) const {
    if (!s.Attested()) return Rule(s, "the notice is posted once the protocol is attested");
    if (s.notice) return Rule(s, "the notice is posted once");
    SPARBAR_TRY_ASSIGN(posted, Date(m.posted_date(), "posted_date"));
    SPARBAR_TRY(NotBefore(posted, s.attested_on, "posted_date", "the attestation"));
    const CivilDate earliest_down = posted.AddDays(c.rules->notice_min_days());
    if (m.taken_down_date().empty()) {
      m.set_taken_down_date(earliest_down.ToString());
    } else {
      SPARBAR_TRY_ASSIGN(down, CivilDate::Parse(m.taken_down_date(), "taken_down_date"));
      if (down < earliest_down) {
        return Status::InvalidArgument("taken_down_date: the notice stays up at least " +
                                       std::to_string(c.rules->notice_min_days()) +
                                       " days (laglighetsprövning, Kommunallag 13 kap. 5 §)");
      }
    }
    SPARBAR_TRY(FreeTextField(m.storage_place(), "storage_place", kMaxShortText, false, c.today));
    return Payload(std::move(m));
  }
};

}  // namespace

CivilDate MeetingState::AttestDue(const CommitteeRules& rules) const {
  return held_on.AddDays(rules.attest_within_days());
}

std::optional<CivilDate> MeetingState::NoticeDue(const CommitteeRules& rules) const {
  if (!attested_on) return std::nullopt;
  return attested_on->AddDays(rules.notice_within_days());
}

bool MeetingState::NoticeLate(const CommitteeRules& rules) const { return notice && *NoticeDue(rules) < posted_on; }

Result<Payload> Decide(const MeetingState& state, const Payload& proposed, const DecideContext& context) {
  return std::visit([&](const auto& m) { return Decider{state, context}(m); }, proposed);
}

MeetingState Evolve(MeetingState s, const Payload& event) {
  auto date = [](const std::string& text) { return CivilDate::TryParse(text).value_or(CivilDate{}); };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, pb::MeetingHeld>) {
          s.meeting = m;
          s.held_on = date(m.meeting_date());
        } else if constexpr (std::is_same_v<T, pb::ParagraphRecorded>) {
          s.paragraphs[m.number()].recorded = m;
        } else if constexpr (std::is_same_v<T, pb::ReservationRecorded>) {
          if (auto it = s.paragraphs.find(m.paragraph()); it != s.paragraphs.end()) {
            it->second.reservations.push_back(m);
          }
        } else if constexpr (std::is_same_v<T, pb::ParagraphAttested>) {
          if (auto it = s.paragraphs.find(m.paragraph()); it != s.paragraphs.end()) {
            it->second.attested_on = date(m.attested_date());
            it->second.attested_at_once = true;
          }
        } else if constexpr (std::is_same_v<T, pb::ProtocolAttested>) {
          s.attested_on = date(m.attested_date());
          for (auto& [number, p] : s.paragraphs) {
            if (!p.attested_on) p.attested_on = s.attested_on;
          }
        } else if constexpr (std::is_same_v<T, pb::NoticePosted>) {
          s.notice = m;
          s.posted_on = date(m.posted_date());
          s.taken_down_on = date(m.taken_down_date());
        }
      },
      event);
  return s;
}

}  // namespace sparbar::committee
