// Personuppgiftsincident: one personal data incident as a decider, in the
// pattern of services/deviations/decider.h. Decide checks a proposed step
// against the incident's folded state and returns the event to record (or
// the rule or field it breaks); Evolve folds an event into the state.
//
// Lifecycle: reported by the discoverer (within report_within_hours of the
// discovery, else flagged late) -> assessed by the data-protection
// coordinator (role "dataskyddssamordnare"): notify IMY, or not, with the
// reasons, allowed only when a risk to the people is unlikely -> notified
// to IMY with IMY's reference (after imy_within_hours of awareness only
// with the reasons for the delay) -> actions -> closed. Instants may not lie
// after the end of the current day in Sweden, nor before the step they
// follow: the report the discovery, the assessment the report, the
// notification the assessment and the awareness, an action the discovery
// (it may stop a leak before the report), the closing every step before it.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/event.h"
#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "services/common/instant.h"
#include "services/incidents/rules.h"
#include "sparbar/v1/incidents.pb.h"

namespace sparbar::incidents {

namespace pb = ::sparbar::v1::incidents;

using Payload = std::variant<pb::IncidentReported, pb::IncidentAssessed, pb::ImyNotified, pb::IncidentActionTaken,
                             pb::IncidentClosed>;

inline constexpr std::string_view kStreamPrefix = "puincident-";
inline constexpr std::string_view kContentType = "application/x-protobuf";
inline constexpr std::string_view kRoleDataProtection = "dataskyddssamordnare";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

struct IncidentState {
  std::optional<pb::IncidentReported> reported;
  std::optional<pb::IncidentAssessed> assessment;
  TimestampMicros discovered_at = 0, reported_at = 0, assessed_at = 0, aware_at = 0, last_action_at = 0;
  std::optional<TimestampMicros> notified_at, closed_at;
  size_t actions = 0;

  bool Reported() const { return reported.has_value(); }
  bool Assessed() const { return assessment.has_value(); }
  bool Closed() const { return closed_at.has_value(); }
  // The discoverer's report came after report_within_hours.
  bool ReportedLate(const IncidentRules& rules) const;
  // awareness + imy_within_hours: when IMY must have been notified (nullopt before the report).
  std::optional<TimestampMicros> ImyDue(const IncidentRules& rules) const;
};

struct DecideContext {
  CivilDate today;  // in Sweden: instants may not lie after its end
  std::vector<std::string> roles;
  const IncidentRules* rules;
};

Result<Payload> Decide(const IncidentState& state, const Payload& proposed, const DecideContext& context);
IncidentState Evolve(IncidentState state, const Payload& event);

}  // namespace sparbar::incidents
