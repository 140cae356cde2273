#include "services/complaints/report_render.h"

#include <sstream>
#include <utility>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/complaints/statistics.h"
#include "services/decisions/report_text.h"

namespace sparbar::complaints {
namespace {

namespace rpb = ::sparbar::v1::complaints;
namespace d = ::sparbar::v1::decisions;
using decisions::CsvField;

}  // namespace

Result<std::string> RenderStatistics(const rpb::ComplaintStatistics& r, ReportFormat format) {
  const std::string standard = std::to_string(r.standard_days()), extended = std::to_string(r.extended_days());
  std::vector<ShareSection> sections;
  sections.push_back(ShareSection{"summa",
                                  "Summering",
                                  {{"arenden", "Registrerade ärenden", r.cases()},
                                   {"e_tjanst", "Via e-tjänsten", r.via_e_service()},
                                   {"atgarder", "Med vidtagna åtgärder", r.with_actions()},
                                   {"avvikelse", "Blev även avvikelser", r.converted_to_deviation()},
                                   {"avslutade", "Avslutade", r.closed()}},
                                  false});
  sections.push_back(
      ShareSection{"svarstid",
                   "Svarstid",
                   {{"inom_" + standard, "Svar inom " + standard + " dagar", r.answered_within_standard()},
                    {"inom_" + extended, "Svar efter " + standard + " men inom " + extended + " dagar",
                     r.answered_within_extended()},
                    {"inom_" + extended + "_omfattande", "Varav med beslut om mer omfattande utredning",
                     r.answered_within_extended_after_extension()},
                    {"senare", "Svar efter mer än " + extended + " dagar", r.answered_later()},
                    {"ej_besvarade", "Inte besvarade", r.not_answered()},
                    {"i_tid", "Besvarade inom ärendets frist", r.answered_on_time()}},
                   true});
  sections.push_back(SectionOf("typ", "Typ", r.by_kind(), true));
  sections.push_back(SectionOf("kanal", "Hur ärendena kom in", r.by_channel(), true));
  sections.push_back(SectionOf("kon", "Kön", r.by_sex(), false));
  sections.push_back(SectionOf("avsandare", "Avsändare", r.by_submitter(), true));
  sections.push_back(SectionOf("omrade", "Områden (ett ärende kan beröra flera)", r.by_area(), true));
  sections.push_back(SectionOf("atgard", "Åtgärder per typ (ärenden)", r.actions_by_type(), false));
  sections.push_back(SectionOf("lag", "Per verksamhet (HSL, SoL, LSS)", r.by_domain(), false));
  sections.push_back(SectionOf("enhet", "Per enhet", r.by_unit(), false));
  sections.push_back(SectionOf("manad", "Per månad", r.by_month(), true));
  sections.push_back(SectionOf("ar", "Per år: trenden", r.by_year(), true, /*shares=*/false));
  return RenderStatisticsReport(r, format, sections, r.cases(), "Synpunkter och klagomål",
                                "Synpunkter och klagomål registrerade under perioden; andelarna är av periodens " +
                                std::to_string(r.cases()) +
                                " ärenden. Svarstiderna räknar varje svar som loggen har, också svar efter "
                                "periodens slut.",
                                "Andel av ärendena");
}

Result<std::string> RenderReminders(const rpb::RemindersResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) return ReportJsonWithoutDocument(r);
  if (format != d::REPORT_FORMAT_CSV) return Status::InvalidArgument("format must be REPORT_FORMAT_CSV or REPORT_FORMAT_JSON");
  std::ostringstream out;
  out << "arende,skal,enhet,ansvarig,senast,dagar_sen,senaste_paminnelse,paminn_nu\r\n";
  for (const auto& m : r.reminders()) {
    out << CsvField(m.stream()) << ',' << CsvField(ReasonLabel(m.reason())) << ',' << CsvField(m.unit()) << ','
        << CsvField(m.responsible()) << ',' << m.due() << ',' << m.days_overdue() << ',' << m.last_reminded() << ','
        << (m.remind_now() ? "ja" : "nej") << "\r\n";
  }
  return out.str();
}

}  // namespace sparbar::complaints
