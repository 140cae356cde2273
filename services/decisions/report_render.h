// The ej verkställda report rendered for the people who receive it: CSV for
// IVO and spreadsheets, JSON for other systems, HTML for the committee (the
// table, the totals, and a chart of the split by sex and by reason).
//
// Each is a pure function of the report (its `document` field ignored): the
// same report renders to the same bytes, so a submitted report computed again
// from the log renders to the document that was sent. Changing any output
// byte means raising kRendererVersion, which submissions record.
#pragma once

#include <string>

#include "eventstore/status.h"
#include "sparbar/v1/decisions_reports_service.pb.h"

namespace sparbar::decisions {

inline constexpr uint32_t kRendererVersion = 1;

// "sparbar-report-render/1, protobuf 3.21.12": what a submission records as
// having rendered its document.
std::string RendererName();

// The report as a document in `format`; InvalidArgument for REPORT_FORMAT_UNSPECIFIED,
// Internal when protobuf cannot print the JSON.
Result<std::string> RenderEjVerkstallda(const sparbar::v1::decisions::EjVerkstalldaResponse& report,
                                        sparbar::v1::decisions::ReportFormat format);

}  // namespace sparbar::decisions
