// The statements module's reports rendered for the people who read them:
// CSV (one row per figure; shares of the period's requests), JSON for
// other systems, HTML for the committee. Pure functions of the report
// message (its `document` field ignored).
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/statements_service.pb.h"

namespace sparbar::statements {

using ::sparbar::v1::decisions::ReportFormat;

// InvalidArgument for REPORT_FORMAT_UNSPECIFIED.
Result<std::string> RenderStatistics(const ::sparbar::v1::statements::StatementStatistics& report,
                                     ReportFormat format);
// One row per request awaiting a statement; CSV or JSON.
Result<std::string> RenderDue(const ::sparbar::v1::statements::DueResponse& report, ReportFormat format);

}  // namespace sparbar::statements
