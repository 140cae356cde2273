// The deviations module's reports rendered for the people who read them: CSV
// for spreadsheets (one row per figure: section, key, name, count), JSON for
// other systems, HTML for the committee (the tables, and charts of the areas
// and the trend per month and per year).
//
// Each is a pure function of the report message (its `document` field
// ignored): the same report renders to the same bytes.
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/deviations_reports_service.pb.h"

namespace sparbar::deviations {

using ::sparbar::v1::decisions::ReportFormat;

// InvalidArgument for REPORT_FORMAT_UNSPECIFIED.
Result<std::string> RenderAvvikelser(const ::sparbar::v1::deviations::AvvikelserReport& report, ReportFormat format);
Result<std::string> RenderLexSarah(const ::sparbar::v1::deviations::LexSarahReport& report, ReportFormat format);
Result<std::string> RenderLexMaria(const ::sparbar::v1::deviations::LexMariaReport& report, ReportFormat format);
// One row per awaited step.
Result<std::string> RenderOverdue(const ::sparbar::v1::deviations::OverdueResponse& report, ReportFormat format);

}  // namespace sparbar::deviations
