// Sammanträde: one committee meeting and its protocol as a decider, in the
// pattern of services/incidents/incident.h. Decide checks a proposed step
// against the meeting's folded state and returns the event to record (or
// the rule or field it breaks); Evolve folds an event into the state.
//
// Lifecycle: held (body, date, chair, secretary, attesters) -> paragraphs,
// each numbered once, with its diarienummer in any known form (dnr.h) ->
// reservations against a paragraph not yet attested -> a paragraph
// attested at once (omedelbar justering), or the whole protocol attested by
// the chair and every attester, after which nothing is added -> the notice
// posted (anslag), at least notice_min_days up; a posting later than
// notice_within_days after the attestation is recorded and flagged. Dates
// may not lie after today in Sweden nor before the meeting; texts naming
// anyone by personnummer are refused (the public protocol names no
// individual case).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/committee/rules.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/committee.pb.h"

namespace sparbar::committee {

namespace pb = ::sparbar::v1::committee;

using Payload = std::variant<pb::MeetingHeld, pb::ParagraphRecorded, pb::ReservationRecorded, pb::ParagraphAttested,
                             pb::ProtocolAttested, pb::NoticePosted>;

inline constexpr std::string_view kStreamPrefix = "sammantrade-";
inline constexpr std::string_view kContentType = "application/x-protobuf";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

struct MeetingState {
  struct Paragraph {
    pb::ParagraphRecorded recorded;
    std::vector<pb::ReservationRecorded> reservations;
    std::optional<CivilDate> attested_on;
    bool attested_at_once = false;  // omedelbar justering
  };
  std::optional<pb::MeetingHeld> meeting;
  CivilDate held_on;
  std::map<uint32_t, Paragraph> paragraphs;  // by number
  std::optional<CivilDate> attested_on;      // the protocol
  std::optional<pb::NoticePosted> notice;
  CivilDate posted_on, taken_down_on;

  bool Held() const { return meeting.has_value(); }
  bool Attested() const { return attested_on.has_value(); }
  // When the protocol is to be attested, and the notice posted (nullopt: not yet due).
  CivilDate AttestDue(const CommitteeRules& rules) const;
  std::optional<CivilDate> NoticeDue(const CommitteeRules& rules) const;
  bool NoticeLate(const CommitteeRules& rules) const;
};

struct DecideContext {
  CivilDate today;  // in Sweden
  const CommitteeRules* rules;
};

Result<Payload> Decide(const MeetingState& state, const Payload& proposed, const DecideContext& context);
MeetingState Evolve(MeetingState state, const Payload& event);

}  // namespace sparbar::committee
