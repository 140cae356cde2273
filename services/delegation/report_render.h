// The delegation module's reports rendered for the people who read them:
// CSV for other systems and spreadsheets, JSON, and HTML for the committee
// (the delegation order in force, and the list of delegation decisions it
// is informed of). Pure functions of the report message (its `document`
// field ignored).
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/delegation_service.pb.h"

namespace sparbar::delegation {

using ::sparbar::v1::decisions::ReportFormat;

// One row per point: punkt, ärende, lagrum, delegat (delegates joined by "; ").
Result<std::string> RenderOrder(const ::sparbar::v1::delegation::OrderInForceResponse& report, ReportFormat format);
// One row per decision as CSV; the counts and the list as HTML.
Result<std::string> RenderDecisions(const ::sparbar::v1::delegation::DecisionsReport& report, ReportFormat format);

}  // namespace sparbar::delegation
