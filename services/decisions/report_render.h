// The ej verkställda report rendered for the people who receive it: CSV for
// IVO and spreadsheets, JSON for other systems, HTML for the committee (the
// table, the totals, and a chart of the split by sex and by reason).
//
// Each is a pure function of the server's answer: the same answer renders to
// the same bytes, so a report as submitted can be reproduced later from the
// log (EjVerkstalldaRequest.known_at) and compared byte for byte.
#pragma once

#include <string>

#include "sparbar/v1/decisions_service.pb.h"

namespace sparbar::cli {

std::string RenderEjVerkstalldaCsv(const sparbar::v1::decisions::EjVerkstalldaResponse& report);
std::string RenderEjVerkstalldaJson(const sparbar::v1::decisions::EjVerkstalldaResponse& report);
std::string RenderEjVerkstalldaHtml(const sparbar::v1::decisions::EjVerkstalldaResponse& report);

}  // namespace sparbar::cli
