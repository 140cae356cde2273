// Lex Maria as a decider, in the pattern of decider.h. A case is opened
// from an HSL deviation of allvarlighetsgrad 3-4 or directly; MAS or MAR
// (roles "mas", "mar"; PermissionDenied otherwise) start the investigation
// and, once it is completed, either report to IVO (with IVO's reference) or
// record why not (reasons mandatory). A reported case opens a follow-up case
// before it closes; a case not reported closes on the reasons.
// Whether a from_deviation really is HSL of severity 3-4 is a fact of
// another stream: the service that records steps checks it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/lex_maria.pb.h"

namespace sparbar::deviations::lexmaria {

namespace pb = ::sparbar::v1::lexmaria;

using Payload = std::variant<pb::LexMariaOpened, pb::InvestigationStarted, pb::InvestigationCompleted,
                             pb::ReportedToIvo, pb::NotReported, pb::FollowUpOpened, pb::LexMariaClosed>;

inline constexpr std::string_view kStreamPrefix = "lexmaria-";
inline constexpr std::string_view kRoleMas = "mas";
inline constexpr std::string_view kRoleMar = "mar";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

enum class Phase { kNone, kOpened, kInvestigating, kInvestigated, kReported, kNotReported, kClosed };

struct LexMariaState {
  Phase phase = Phase::kNone;
  std::optional<CivilDate> opened_on, started_on, completed_on, decided_on, follow_up_on, closed_on;
  std::string follow_up_stream;
  std::string unit, from_deviation;
  bool reported = false;
};

struct DecideContext {
  CivilDate today;
  std::vector<std::string> caller_roles;
};

Result<Payload> Decide(const LexMariaState& state, const Payload& proposed, const DecideContext& context);
LexMariaState Evolve(LexMariaState state, const Payload& event);

// Lex Maria statistics for a period [from, to]: cases opened (of those, from
// a deviation), per unit, and still open at `to`; investigations started,
// and the decisions to report to IVO or not, dated within the period.
struct LexMariaStatistics {
  int64_t opened = 0;
  int64_t from_deviation = 0;
  int64_t open_at_end = 0;
  int64_t investigations_started = 0;
  int64_t reported_to_ivo = 0;
  int64_t not_reported = 0;
  std::map<std::string, int64_t> opened_by_unit;
};
LexMariaStatistics ComputeStatistics(const std::vector<LexMariaState>& cases, const CivilDate& from,
                                     const CivilDate& to);

}  // namespace sparbar::deviations::lexmaria
