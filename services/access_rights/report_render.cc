#include "services/access_rights/report_render.h"

#include <sstream>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/decisions/report_text.h"

namespace sparbar::access_rights {
namespace {

namespace rpb = ::sparbar::v1::accessrights;
namespace d = ::sparbar::v1::decisions;

}  // namespace

Result<std::string> RenderStatistics(const rpb::AccessRightStatistics& r, ReportFormat format) {
  const std::string grant_days = std::to_string(r.grant_within_days());
  std::vector<ShareSection> sections;
  sections.push_back(ShareSection{
      "summa",
      "Under perioden",
      {{"bestallda", "Beställda behörigheter", r.ordered()},
       {"tilldelade", "Tilldelade", r.granted()},
       {"tilldelade_i_tid", "Tilldelade inom " + grant_days + " dagar från beställningen", r.granted_within_deadline()},
       {"aterkallade", "Beställningar återkallade före tilldelning", r.withdrawn()},
       {"kontroller", "Regelbundna kontroller", r.reviews()},
       {"begransade", "Begränsade", r.narrowed()},
       {"borttagna", "Borttagna", r.removed()},
       {"borttagna_sent", "Borttagna efter sista dagen", r.removed_late()}},
      false,
      /*shares=*/false});
  sections.push_back(ShareSection{
      "slut",
      "Vid periodens slut",
      {{"i_kraft", "Behörigheter i kraft", r.in_force_at_end()},
       {"anvandare", "Användare med behörighet", r.users_at_end()},
       {"kontroll_forsenad",
        "Kontroll försenad (mer än " + std::to_string(r.review_interval_days()) +
            " dagar sedan tilldelning eller senaste kontroll)",
        r.reviews_overdue_at_end()},
       {"borttagning_forsenad", "Borttagning beställd men inte utförd i tid", r.removals_overdue_at_end()}},
      false,
      /*shares=*/false});
  sections.push_back(SectionOf("kontroll", "Kontrollernas utfall", r.by_review_outcome(), false, /*shares=*/false));
  sections.push_back(SectionOf("skal", "Borttagna per skäl", r.removed_by_reason(), false, /*shares=*/false));
  sections.push_back(SectionOf("system", "I kraft per system", r.in_force_by_system(), true));
  sections.push_back(
      SectionOf("enhet", "I kraft per enhet (en behörighet kan gälla flera)", r.in_force_by_unit(), true));
  sections.push_back(SectionOf("manad", "Beställda per månad", r.ordered_by_month(), true, /*shares=*/false));
  sections.push_back(SectionOf("ar", "Beställda per år: trenden", r.ordered_by_year(), true, /*shares=*/false));
  return RenderStatisticsReport(r, format, sections, r.in_force_at_end(), "Behörigheter",
                                "Behörigheter: vad som hände under perioden, och vad som gällde vid dess slut; "
                                "andelarna är av de " +
                                std::to_string(r.in_force_at_end()) + " behörigheter som var i kraft då.",
                                "Andel av behörigheterna i kraft");
}

Result<std::string> RenderDue(const rpb::DueResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) return ReportJsonWithoutDocument(r);
  if (format != d::REPORT_FORMAT_CSV)
    return Status::InvalidArgument("format must be REPORT_FORMAT_CSV or REPORT_FORMAT_JSON");
  using decisions::CsvField;
  std::ostringstream out;
  out << "behorighet,anvandare,system,vantar_pa,av,senast,dagar_kvar\r\n";
  for (const auto& s : r.steps()) {
    out << CsvField(s.stream()) << ',' << CsvField(s.user()) << ',' << CsvField(s.system()) << ','
        << CsvField(s.awaits()) << ',' << CsvField(s.awaited_from()) << ',' << s.due() << ',' << s.days_left()
        << "\r\n";
  }
  return out.str();
}

}  // namespace sparbar::access_rights
