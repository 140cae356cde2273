// The personal data incidents' reports rendered: the statistics as CSV (one
// row per figure with its share of the period's incidents), JSON, or HTML
// for the committee (services/common/share_report.h); the deadlines as CSV
// or JSON, one row per open incident. Pure functions of the report message
// (its `document` field ignored).
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/incidents_service.pb.h"

namespace sparbar::incidents {

using ::sparbar::v1::decisions::ReportFormat;

// InvalidArgument for REPORT_FORMAT_UNSPECIFIED.
Result<std::string> RenderStatistics(const ::sparbar::v1::incidents::IncidentStatistics& report, ReportFormat format);
Result<std::string> RenderDeadlines(const ::sparbar::v1::incidents::DeadlinesResponse& report, ReportFormat format);

}  // namespace sparbar::incidents
