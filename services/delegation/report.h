// The delegation module's reports as pure functions of the folded view
// (view.h) and the committee rules, so that a report computed again from
// the same log position is the same report.
//
// BuildOrderInForce gives the points of one order in force on a day
// (NotFound when the order is not recorded or has no version in force
// then). BuildDecisions lists the decisions taken within [from, to] (by
// decided_date), with the meeting each was reported to and whether that
// was later than delegation_report_within_days; the counts cover the whole
// period, the rows only the unreported when asked.
#pragma once

#include <string>

#include "services/committee/rules.h"
#include "services/common/civil_date.h"
#include "services/delegation/view.h"
#include "sparbar/v1/delegation_service.pb.h"

namespace sparbar::delegation {

namespace rpb = ::sparbar::v1::delegation;

Result<rpb::OrderInForceResponse> BuildOrderInForce(const DelegationView& view, const std::string& order_id,
                                                    const CivilDate& on);

rpb::DecisionsReport BuildDecisions(const DelegationView& view, const committee::CommitteeRules& rules,
                                    const CivilDate& from, const CivilDate& to, bool unreported_only,
                                    const std::string& order_id);

}  // namespace sparbar::delegation
