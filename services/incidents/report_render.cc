#include "services/incidents/report_render.h"

#include <google/protobuf/util/time_util.h>

#include <sstream>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/decisions/report_text.h"

namespace sparbar::incidents {
namespace {

namespace rpb = ::sparbar::v1::incidents;
namespace d = ::sparbar::v1::decisions;

}  // namespace

Result<std::string> RenderStatistics(const rpb::IncidentStatistics& r, ReportFormat format) {
  const std::string report_hours = std::to_string(r.report_within_hours());
  const std::string imy_hours = std::to_string(r.imy_within_hours());
  std::vector<ShareSection> sections;
  sections.push_back(ShareSection{"summa",
                                  "Summering",
                                  {{"incidenter", "Rapporterade incidenter", r.incidents()},
                                   {"rapporterade_i_tid", "Rapporterade inom " + report_hours + " timmar",
                                    r.reported_within_deadline()},
                                   {"rapporterade_sent", "Rapporterade senare", r.reported_late()},
                                   {"bedomda", "Bedömda av dataskyddssamordnaren", r.assessed()},
                                   {"anmalda_imy", "Anmälda till IMY", r.notified_to_imy()},
                                   {"anmalda_imy_i_tid", "Anmälda till IMY inom " + imy_hours + " timmar",
                                    r.notified_within_deadline()},
                                   {"ej_anmalda", "Inte anmälda, med skäl", r.not_notified()},
                                   {"avslutade", "Avslutade", r.closed()}},
                                  true});
  sections.push_back(SectionOf("risk", "Bedömd risk", r.by_risk(), false));
  sections.push_back(SectionOf("typ", "Typ av incident", r.by_kind(), true));
  sections.push_back(SectionOf("kategori", "Berörda personuppgifter (en incident kan beröra flera)",
                               r.by_category(), true));
  sections.push_back(SectionOf("enhet", "Per enhet", r.by_unit(), false));
  sections.push_back(SectionOf("manad", "Per månad", r.by_month(), true));
  sections.push_back(SectionOf("ar", "Per år: trenden", r.by_year(), true, /*shares=*/false));
  return RenderStatisticsReport(r, format, sections, r.incidents(), "Personuppgiftsincidenter",
                                "Personuppgiftsincidenter upptäckta under perioden; andelarna är av periodens " +
                                std::to_string(r.incidents()) + " incidenter.",
                                "Andel av incidenterna");
}

Result<std::string> RenderDeadlines(const rpb::DeadlinesResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) return ReportJsonWithoutDocument(r);
  if (format != d::REPORT_FORMAT_CSV) return Status::InvalidArgument("format must be REPORT_FORMAT_CSV or REPORT_FORMAT_JSON");
  using decisions::CsvField;
  using google::protobuf::util::TimeUtil;
  std::ostringstream out;
  out << "incident,enhet,vantar_pa,senast_utc,timmar_kvar,rapporterad_sent\r\n";
  for (const auto& m : r.deadlines()) {
    out << CsvField(m.stream()) << ',' << CsvField(m.unit()) << ',' << CsvField(m.awaits()) << ','
        << TimeUtil::ToString(m.due()) << ',' << m.hours_left() << ',' << (m.reported_late() ? "ja" : "nej")
        << "\r\n";
  }
  return out.str();
}

}  // namespace sparbar::incidents
