// Uppföljningsärende (follow-up case) as a decider, in the pattern of
// decider.h: opened for a lex Sarah or lex Maria case, it holds an action
// plan (actions with owner and due date) and progress entries. It closes
// only when every action is completed and progress has been documented.
// StalePlans lists the open cases whose last progress entry (or opening) is
// older than a configured number of days: Luleå found two of its three
// active plans without documentation (seed 003, L5203-L5204).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/follow_up.pb.h"

namespace sparbar::deviations::followup {

namespace pb = ::sparbar::v1::followup;

using Payload = std::variant<pb::FollowUpCaseOpened, pb::ActionPlanned, pb::ProgressRecorded, pb::ActionCompleted,
                             pb::FollowUpCaseClosed>;

inline constexpr std::string_view kStreamPrefix = "uppfoljning-";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
Result<Payload> Parse(std::string_view type, std::string_view bytes);

struct FollowUpState {
  bool opened = false, closed = false;
  std::optional<CivilDate> opened_on, last_progress_on, last_completed_on, closed_on;
  std::string origin_stream;  // the lexsarah-… or lexmaria-… case it follows up
  size_t progress_entries = 0;
  std::map<std::string, bool> actions;  // action id -> completed
  std::map<std::string, CivilDate> action_due;  // action id -> due date, where it parsed
  bool HasProgress() const { return progress_entries > 0; }
};

struct DecideContext {
  CivilDate today;
};

Result<Payload> Decide(const FollowUpState& state, const Payload& proposed, const DecideContext& context);
FollowUpState Evolve(FollowUpState state, const Payload& event);

// The open cases among `cases` (by stream name) with no progress entry in the
// last `max_days` days before `today` (counting from the opening when there
// is none), in stream order.
std::vector<std::string> StalePlans(const std::map<std::string, FollowUpState>& cases, const CivilDate& today,
                                    int max_days);

}  // namespace sparbar::deviations::followup
