// Lex Sarah: a report of missförhållande in social services as a decider,
// in the pattern of decider.h. The report opens its investigation; the
// investigation ends in a severity decision on the five-level scale, taken
// only by a caller in the SAS or appointed-investigator role (PermissionDenied
// otherwise); a serious level (the first two) is notified to IVO with IVO's
// reference; a follow-up case (uppföljningsärende) is opened whatever the
// level; and the report closes only when that case has documented progress
// (which the caller of Decide reads from the follow-up case's stream and
// passes in the context).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/lex_sarah.pb.h"

namespace sparbar::deviations::lexsarah {

namespace pb = ::sparbar::v1::lexsarah;

using Payload = std::variant<pb::LexSarahReported, pb::SeverityDecided, pb::IvoNotified, pb::FollowUpOpened,
                             pb::LexSarahClosed>;

inline constexpr std::string_view kStreamPrefix = "lexsarah-";
inline constexpr std::string_view kFollowUpPrefix = "uppfoljning-";
// The roles that may decide the severity.
inline constexpr std::string_view kRoleSas = "sas";
inline constexpr std::string_view kRoleInvestigator = "utsedd-utredare";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

// The two levels IVO must be notified of.
bool IsSerious(pb::Level level);
// The level's name as the scale words it ("allvarligt missförhållande", …).
const char* LevelName(pb::Level level);

enum class Phase { kNone, kInvestigating, kDecided, kClosed };

struct LexSarahState {
  Phase phase = Phase::kNone;
  std::optional<CivilDate> reported_on, decided_on, notified_on, follow_up_on, closed_on;
  pb::Level level = pb::LEVEL_UNSPECIFIED;
  std::string follow_up_stream;
  std::string unit, from_deviation;
};

struct DecideContext {
  CivilDate today;
  std::vector<std::string> caller_roles;
  bool follow_up_has_progress = false;  // the follow-up case has at least one progress entry
};

Result<Payload> Decide(const LexSarahState& state, const Payload& proposed, const DecideContext& context);
LexSarahState Evolve(LexSarahState state, const Payload& event);
LexSarahState Fold(const std::vector<Payload>& events);

// Lex Sarah statistics over reports, for a period [from, to]: reports made,
// of those how many had no decision by `to`, and the decisions, IVO
// notifications and follow-up cases dated within the period.
struct LexSarahStatistics {
  int64_t reported = 0;
  int64_t undecided_at_end = 0;
  std::map<pb::Level, int64_t> decided_by_level;
  int64_t notified_to_ivo = 0;
  int64_t follow_ups_opened = 0;
  std::map<std::string, int64_t> reported_by_unit;
};
LexSarahStatistics ComputeStatistics(const std::vector<LexSarahState>& reports, const CivilDate& from,
                                     const CivilDate& to);

}  // namespace sparbar::deviations::lexsarah
