// The committee module's reports rendered for the people who read them:
// CSV (one row per figure; shares of the period's paragraphs), JSON for
// other systems, HTML for the committee itself. Pure functions of the
// report message (its `document` field ignored).
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/committee_service.pb.h"
#include "sparbar/v1/decisions_reports.pb.h"

namespace sparbar::committee {

using ::sparbar::v1::decisions::ReportFormat;

// InvalidArgument for REPORT_FORMAT_UNSPECIFIED.
Result<std::string> RenderStatistics(const ::sparbar::v1::committee::CommitteeStatistics& report, ReportFormat format);
// One row per protocol awaiting a step; CSV or JSON.
Result<std::string> RenderDue(const ::sparbar::v1::committee::DueResponse& report, ReportFormat format);

}  // namespace sparbar::committee
