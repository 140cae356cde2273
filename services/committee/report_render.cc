#include "services/committee/report_render.h"

#include <sstream>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/decisions/report_text.h"

namespace sparbar::committee {
namespace {

namespace rpb = ::sparbar::v1::committee;
namespace d = ::sparbar::v1::decisions;

}  // namespace

Result<std::string> RenderStatistics(const rpb::CommitteeStatistics& r, ReportFormat format) {
  std::vector<ShareSection> sections;
  sections.push_back(ShareSection{
      "sammantraden",
      "Sammanträden och protokoll",
      {{"sammantraden", "Sammanträden", r.meetings()},
       {"justerade", "Protokoll justerade", r.protocols_attested()},
       {"justerade_i_tid", "Justerade inom " + std::to_string(r.attest_within_days()) + " dagar",
        r.attested_within_deadline()},
       {"anslag", "Anslag uppsatta", r.notices_posted()},
       {"anslag_i_tid", "Anslag uppsatta inom " + std::to_string(r.notice_within_days()) + " dagar från justeringen",
        r.notices_within_deadline()}},
      false,
      /*shares=*/false});
  sections.push_back(ShareSection{"paragrafer",
                                  "Paragrafer",
                                  {{"paragrafer", "Paragrafer", r.paragraphs()},
                                   {"med_dnr", "Med diarienummer", r.paragraphs_with_dnr()},
                                   {"omedelbart", "Justerade omedelbart", r.paragraphs_attested_at_once()},
                                   {"reservationer", "Reservationer", r.reservations()},
                                   {"anteckningar", "Protokollsanteckningar", r.protocol_notes()}},
                                  false});
  sections.push_back(SectionOf("dnr", "Diarienummer per form", r.dnr_by_form(), false));
  sections.push_back(SectionOf("organ", "Sammanträden per organ", r.by_body(), false, /*shares=*/false));
  sections.push_back(SectionOf("manad", "Sammanträden per månad", r.by_month(), true, /*shares=*/false));
  return RenderStatisticsReport(r, format, sections, r.paragraphs(), "Sammanträden",
                                "Nämndens sammanträden under perioden; andelarna är av periodens " +
                                std::to_string(r.paragraphs()) + " paragrafer.",
                                "Andel av paragraferna");
}

Result<std::string> RenderDue(const rpb::DueResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) return ReportJsonWithoutDocument(r);
  if (format != d::REPORT_FORMAT_CSV)
    return Status::InvalidArgument("format must be REPORT_FORMAT_CSV or REPORT_FORMAT_JSON");
  using decisions::CsvField;
  std::ostringstream out;
  out << "sammantrade,organ,datum,vantar_pa,senast,dagar_kvar\r\n";
  for (const auto& s : r.steps()) {
    out << CsvField(s.stream()) << ',' << CsvField(s.body()) << ',' << s.meeting_date() << ',' << CsvField(s.awaits())
        << ',' << s.due() << ',' << s.days_left() << "\r\n";
  }
  return out.str();
}

}  // namespace sparbar::committee
