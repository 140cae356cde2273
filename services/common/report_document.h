// Building blocks of the report documents the server renders (the decisions
// and the deviations reports): HTML escaping, a bar chart as inline SVG, the
// page's style, and a report message as JSON. Each is a pure function: the
// same input gives the same bytes, which reproducible reports rely on.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "eventstore/status.h"

namespace sparbar {

// `text` with &, <, >, " and ' escaped for HTML.
std::string Html(const std::string& text);

// A horizontal bar chart as inline SVG in a <figure>: one bar per (label, count).
std::string BarChart(const std::string& title, const std::vector<std::pair<std::string, int64_t>>& bars);

// The start of a report page up to and including its <h1>`title`</h1>, and its end.
std::string HtmlPageStart(const std::string& title);
inline constexpr const char* kHtmlPageEnd = "</body>\n</html>\n";

// A table with one header row and the rows' cells, each escaped; "<p>Inga.</p>" without rows.
std::string HtmlTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows);

// The <style> element's CSS of every report page.
extern const char* const kReportStyle;

// The message as indented JSON with proto field names and every field
// printed; Internal when protobuf cannot print it.
Result<std::string> ReportJson(const google::protobuf::Message& report);

// A report message (one with a `document` field) as ReportJson, without the
// document it may already carry.
template <class Report>
Result<std::string> ReportJsonWithoutDocument(const Report& report) {
  Report copy = report;
  copy.clear_document();
  return ReportJson(copy);
}

}  // namespace sparbar
