// A report document whose figures are counts with their share of a whole
// (the period's cases, incidents): as CSV, one row per figure (section,
// key, name, count, share in per cent with one decimal), and as an HTML
// page for a committee, a table per section with the shares and, where
// asked, a bar chart. Pure functions: the same sections give the same bytes.
// Used by the complaints and the personal data incidents reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eventstore/status.h"
#include "services/common/report_document.h"
#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/deviations_reports_service.pb.h"

namespace sparbar {

struct ShareRow {
  std::string key, name;
  int64_t count = 0;
};

struct ShareSection {
  std::string id, title;
  std::vector<ShareRow> rows;
  bool chart = false;
  bool shares = true;  // false: counts of another whole (the yearly trend), printed without shares
};

// A section of a report message's counts (sparbar.v1.deviations.Count).
ShareSection SectionOf(std::string id, std::string title,
                       const google::protobuf::RepeatedPtrField<v1::deviations::Count>& counts, bool chart,
                       bool shares = true);

// `part` of `whole` in per cent with one decimal ("67.3"), rounded half up; "0.0" when whole is 0.
std::string SharePercent(int64_t part, int64_t whole);

// Header "avsnitt,nyckel,namn,antal,andel_procent"; CRLF line ends; the
// share is empty in a section without shares.
std::string ShareCsv(const std::vector<ShareSection>& sections, int64_t whole);

// A whole page: the title, the intro paragraph, then each section, its
// shares under the column heading `share_label` ("Andel av ärendena"), then
// `appendix_html` (already escaped: a list of what was counted).
std::string ShareHtml(const std::string& title, const std::string& intro, const std::vector<ShareSection>& sections,
                      int64_t whole, const std::string& share_label, const std::string& appendix_html = "");

// "Beräknad ur loggens första N händelser.", and when some of the module's
// events could not be read, how many were left out: what a report rests on.
std::string LogBasis(uint64_t as_of_position, uint64_t unreadable);

// A statistics report's page (a message with period_start, period_end,
// as_of_position and unreadable_events): titled `name` and the period, its
// intro `about` followed by LogBasis.
template <class Report>
std::string StatisticsPage(const Report& r, const std::string& name, const std::string& about,
                           const std::vector<ShareSection>& sections, int64_t whole, const std::string& share_label,
                           const std::string& appendix_html = "") {
  return ShareHtml(name + " " + r.period_start() + " – " + r.period_end(),
                   about + " " + LogBasis(r.as_of_position(), r.unreadable_events()), sections, whole, share_label,
                   appendix_html);
}

// A statistics report's document in `format`: ShareCsv of `sections`, the
// message as JSON, or StatisticsPage; InvalidArgument for any other format.
template <class Report>
Result<std::string> RenderStatisticsReport(const Report& r, v1::decisions::ReportFormat format,
                                           const std::vector<ShareSection>& sections, int64_t whole,
                                           const std::string& name, const std::string& about,
                                           const std::string& share_label) {
  switch (format) {
    case v1::decisions::REPORT_FORMAT_CSV:
      return ShareCsv(sections, whole);
    case v1::decisions::REPORT_FORMAT_JSON:
      return ReportJsonWithoutDocument(r);
    case v1::decisions::REPORT_FORMAT_HTML:
      return StatisticsPage(r, name, about, sections, whole, share_label);
    default:
      return Status::InvalidArgument("format must be REPORT_FORMAT_CSV, REPORT_FORMAT_JSON or REPORT_FORMAT_HTML");
  }
}

}  // namespace sparbar
