// The access rights module's reports rendered for the people who read them:
// CSV for spreadsheets (one row per figure: section, key, name, count, and
// for the rights in force their share of all in force at the period's
// end), JSON for other systems, HTML for the committee and the
// information-security coordinator. Each is a pure function of the report
// message (its `document` field ignored): the same report renders to the
// same bytes.
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/access_rights_service.pb.h"
#include "sparbar/v1/decisions_reports.pb.h"

namespace sparbar::access_rights {

using ::sparbar::v1::decisions::ReportFormat;

// InvalidArgument for REPORT_FORMAT_UNSPECIFIED.
Result<std::string> RenderStatistics(const ::sparbar::v1::accessrights::AccessRightStatistics& report,
                                     ReportFormat format);
// One row per step due; CSV or JSON.
Result<std::string> RenderDue(const ::sparbar::v1::accessrights::DueResponse& report, ReportFormat format);

}  // namespace sparbar::access_rights
