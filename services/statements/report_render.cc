#include "services/statements/report_render.h"

#include <sstream>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/decisions/report_text.h"

namespace sparbar::statements {
namespace {

namespace rpb = ::sparbar::v1::statements;
namespace d = ::sparbar::v1::decisions;

}  // namespace

Result<std::string> RenderStatistics(const rpb::StatementStatistics& r, ReportFormat format) {
  std::vector<ShareSection> sections;
  sections.push_back(ShareSection{"yttranden",
                                  "Begäran om yttrande",
                                  {{"begaran", "Begäran", r.requests()},
                                   {"skickade", "Yttranden skickade", r.sent()},
                                   {"i_tid", "Skickade senast på svarsdagen", r.sent_by_due_date()},
                                   {"oppna", "Utan yttrande vid periodens slut", r.open_at_period_end()},
                                   {"avslutade", "Avslutade", r.closed()},
                                   {"kritik", "Avslutade med kritik", r.closed_with_criticism()},
                                   {"anmalda", "Redovisade för nämnden", r.reported_to_committee()}},
                                  false});
  sections.push_back(SectionOf("myndighet", "Per myndighet", r.by_authority(), true));
  sections.push_back(SectionOf("amne", "Per slag av ärende", r.by_subject(), false));
  sections.push_back(SectionOf("myndighet_amne", "Per myndighet och slag av ärende", r.by_authority_subject(), false));
  sections.push_back(SectionOf("omrade", "Per område", r.by_area(), false));
  return RenderStatisticsReport(r, format, sections, r.requests(), "Yttranden",
                                "Begäran om yttrande från IVO, JO, Patientnämnden och andra, mottagna under perioden; "
                                "andelarna är av periodens " +
                                std::to_string(r.requests()) + " begäran.",
                                "Andel av begäran");
}

Result<std::string> RenderDue(const rpb::DueResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) return ReportJsonWithoutDocument(r);
  if (format != d::REPORT_FORMAT_CSV)
    return Status::InvalidArgument("format must be REPORT_FORMAT_CSV or REPORT_FORMAT_JSON");
  using decisions::CsvField;
  std::ostringstream out;
  out << "yttrande,myndighet,myndighetens_dnr,slag,mottagen,senast,dagar_kvar,ansvarig\r\n";
  for (const auto& s : r.statements()) {
    out << CsvField(s.stream()) << ',' << CsvField(s.authority()) << ',' << CsvField(s.authority_reference()) << ','
        << CsvField(s.subject()) << ',' << s.received_date() << ',' << s.due() << ',' << s.days_left() << ','
        << CsvField(s.responsible()) << "\r\n";
  }
  return out.str();
}

}  // namespace sparbar::statements
