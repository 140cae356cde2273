// The access rights module's report figures as pure functions of the
// rights' folded states (right.h) and the rules (rules.h), so that a report
// computed again from the same log position is the same report.
//
// AccessRightsStatistics counts what happened in [from, to] by the Swedish
// date of each step (orders, grants and whether within grant_within_days,
// withdrawals, reviews by outcome, narrowings, removals by reason and
// whether after their due day), and the state at the end of `to`: the
// rights in force (per system and unit), their users, the reviews and the
// removals overdue then. The end state reads only steps taken by then.
//
// BuildDue lists the steps due on or before `on` + within_days.
// RightsInForce lists the rights in force at an instant.
#pragma once

#include <string>

#include "services/access_rights/rules.h"
#include "services/access_rights/view.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/access_rights_service.pb.h"

namespace sparbar::access_rights {

namespace rpb = ::sparbar::v1::accessrights;

rpb::AccessRightStatistics AccessRightsStatistics(const AccessRightsView& view, const AccessRightRules& rules,
                                                  const CivilDate& from, const CivilDate& to);

// The steps awaited on `on`, for rights covering `unit` (its units in force,
// or ordered before the grant) in `system` (empty: all), by due date then stream.
rpb::DueResponse BuildDue(const AccessRightsView& view, const AccessRightRules& rules, const CivilDate& on,
                          uint32_t within_days, const std::string& unit, const std::string& system);

// The rights in force at `at`, filtered exactly by user, system and unit (empty: all).
rpb::InForceResponse RightsInForce(const AccessRightsView& view, const AccessRightRules& rules, TimestampMicros at,
                                   const std::string& user, const std::string& system, const std::string& unit);

// Labels as the reports print them (Swedish).
const char* OutcomeLabel(pb::ReviewOutcome outcome);
const char* ReasonLabel(pb::ChangeReason reason);

}  // namespace sparbar::access_rights
