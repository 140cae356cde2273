// The complaints module's reports rendered for the people who read them:
// CSV for spreadsheets (one row per figure: section, key, name, count, share
// of the period's cases in per cent), JSON for other systems, HTML for the
// committee (tables with shares, and charts of the answer times, kinds,
// channels, submitters, areas, months and the trend). Each is a pure function of the report
// message (its `document` field ignored): the same report renders to the
// same bytes.
#pragma once

#include <cstdint>
#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/complaints_service.pb.h"
#include "sparbar/v1/decisions_reports.pb.h"

namespace sparbar::complaints {

using ::sparbar::v1::decisions::ReportFormat;

// InvalidArgument for REPORT_FORMAT_UNSPECIFIED.
Result<std::string> RenderStatistics(const ::sparbar::v1::complaints::ComplaintStatistics& report,
                                     ReportFormat format);
// One row per reminder; CSV or JSON.
Result<std::string> RenderReminders(const ::sparbar::v1::complaints::RemindersResponse& report, ReportFormat format);

}  // namespace sparbar::complaints
