// The personal data incidents' report figures as pure functions of the
// folded incidents (view.h) and the rules (rules.h).
//
// IncidentsStatistics counts the incidents discovered within [from, to] (by
// the Swedish date of discovery): reported within report_within_hours or
// late, assessed, notified to IMY within imy_within_hours of awareness or
// late, not notified (with reasons), closed; per risk, kind, category, unit and
// month, and the yearly trend. Luleå 2025: 36 incidents, 27 in 2024, none
// notified to IMY (seed 003 L5412-L5414).
//
// BuildDeadlines lists, at an instant, the incidents reported by then and
// open whose IMY deadline still binds: not yet assessed, or assessed to
// notify and not yet notified; with the hours left (negative: past).
#pragma once

#include <string>

#include "eventstore/event.h"
#include "services/common/civil_date.h"
#include "services/incidents/rules.h"
#include "services/incidents/view.h"
#include "sparbar/v1/incidents_service.pb.h"

namespace sparbar::incidents {

namespace rpb = ::sparbar::v1::incidents;

rpb::IncidentStatistics IncidentsStatistics(const IncidentsView& view, const IncidentRules& rules,
                                            const CivilDate& from, const CivilDate& to);

rpb::DeadlinesResponse BuildDeadlines(const IncidentsView& view, const IncidentRules& rules, TimestampMicros at,
                                      const std::string& unit);

const char* RiskLabel(pb::Risk risk);

}  // namespace sparbar::incidents
