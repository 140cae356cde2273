#include "services/complaints/report_render.h"

#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "services/common/report_document.h"
#include "services/complaints/statistics.h"
#include "services/decisions/report_text.h"

namespace sparbar::complaints {
namespace {

namespace rpb = ::sparbar::v1::complaints;
namespace d = ::sparbar::v1::decisions;
using Counts = google::protobuf::RepeatedPtrField<::sparbar::v1::deviations::Count>;
using decisions::CsvField;

struct Row {
  std::string key, name;
  int64_t count = 0;
};

// A titled list of figures, each with its share of the period's cases; `chart` draws it as bars in HTML.
struct Section {
  std::string id, title;
  std::vector<Row> rows;
  bool chart = false;
};

Section FromCounts(std::string id, std::string title, const Counts& counts, bool chart) {
  Section s{std::move(id), std::move(title), {}, chart};
  for (const auto& c : counts) s.rows.push_back(Row{c.key(), c.name(), c.count()});
  return s;
}

std::string Csv(const std::vector<Section>& sections, int64_t cases) {
  std::ostringstream out;
  out << "avsnitt,nyckel,namn,antal,andel_procent\r\n";
  for (const Section& s : sections) {
    for (const Row& r : s.rows) {
      out << CsvField(s.id) << ',' << CsvField(r.key) << ',' << CsvField(r.name) << ',' << r.count << ','
          << SharePercent(r.count, cases) << "\r\n";
    }
  }
  return out.str();
}

// "67,3 %": the share as a Swedish reader writes it.
std::string SwedishShare(int64_t part, int64_t whole) {
  std::string s = SharePercent(part, whole);
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  return s + " %";
}

std::string Page(const std::string& title, const std::string& intro, const std::vector<Section>& sections,
                 int64_t cases) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << Html(title)
      << "</title>\n<style>" << kReportStyle << "</style>\n</head>\n<body>\n<h1>" << Html(title) << "</h1>\n<p>"
      << Html(intro) << "</p>\n";
  for (const Section& s : sections) {
    out << "<h2>" << Html(s.title) << "</h2>\n";
    if (s.rows.empty()) {
      out << "<p>Inga.</p>\n";
      continue;
    }
    out << "<table>\n<tr><th></th><th>Antal</th><th>Andel av ärendena</th></tr>\n";
    for (const Row& r : s.rows) {
      out << "<tr><th>" << Html(r.name) << "</th><td>" << r.count << "</td><td>" << SwedishShare(r.count, cases)
          << "</td></tr>\n";
    }
    out << "</table>\n";
    if (s.chart) {
      std::vector<std::pair<std::string, int64_t>> bars;
      for (const Row& r : s.rows) bars.emplace_back(r.name, r.count);
      out << BarChart(s.title, bars);
    }
  }
  out << "</body>\n</html>\n";
  return out.str();
}

}  // namespace

std::string SharePercent(int64_t part, int64_t whole) {
  if (whole <= 0) return "0.0";
  // Tenths of a per cent, rounded half up, in integers: the same bytes on every machine.
  const int64_t tenths = (part * 2000 + whole) / (2 * whole);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

Result<std::string> RenderStatistics(const rpb::ComplaintStatistics& r, ReportFormat format) {
  const std::string standard = std::to_string(r.standard_days()), extended = std::to_string(r.extended_days());
  std::vector<Section> sections;
  sections.push_back(Section{"summa", "Summering",
                             {{"arenden", "Registrerade ärenden", r.cases()},
                              {"e_tjanst", "Via e-tjänsten", r.via_e_service()},
                              {"atgarder", "Med vidtagna åtgärder", r.with_actions()},
                              {"avvikelse", "Blev även avvikelser", r.converted_to_deviation()},
                              {"avslutade", "Avslutade", r.closed()}},
                             false});
  sections.push_back(Section{"svarstid", "Svarstid",
                             {{"inom_" + standard, "Svar inom " + standard + " dagar", r.answered_within_standard()},
                              {"inom_" + extended, "Svar efter " + standard + " men inom " + extended + " dagar",
                               r.answered_within_extended()},
                              {"inom_" + extended + "_omfattande",
                               "Varav med beslut om mer omfattande utredning",
                               r.answered_within_extended_after_extension()},
                              {"senare", "Svar efter mer än " + extended + " dagar", r.answered_later()},
                              {"ej_besvarade", "Inte besvarade", r.not_answered()},
                              {"i_tid", "Besvarade inom ärendets frist", r.answered_on_time()}},
                             true});
  sections.push_back(FromCounts("typ", "Typ", r.by_kind(), true));
  sections.push_back(FromCounts("kanal", "Hur ärendena kom in", r.by_channel(), true));
  sections.push_back(FromCounts("kon", "Kön", r.by_sex(), false));
  sections.push_back(FromCounts("avsandare", "Avsändare", r.by_submitter(), true));
  sections.push_back(FromCounts("omrade", "Områden (ett ärende kan beröra flera)", r.by_area(), true));
  sections.push_back(FromCounts("atgard", "Åtgärder per typ (ärenden)", r.actions_by_type(), false));
  sections.push_back(FromCounts("lag", "Per verksamhet (HSL, SoL, LSS)", r.by_domain(), false));
  sections.push_back(FromCounts("enhet", "Per enhet", r.by_unit(), false));
  sections.push_back(FromCounts("manad", "Per månad", r.by_month(), true));
  sections.push_back(FromCounts("ar", "Per år: trenden", r.by_year(), true));
  switch (format) {
    case d::REPORT_FORMAT_CSV: return Csv(sections, r.cases());
    case d::REPORT_FORMAT_JSON: {
      rpb::ComplaintStatistics report = r;
      report.clear_document();
      return ReportJson(report);
    }
    case d::REPORT_FORMAT_HTML: {
      std::string intro = "Synpunkter och klagomål registrerade under perioden; andelarna är av periodens " +
                          std::to_string(r.cases()) + " ärenden. Svarstiderna räknar varje svar som loggen har, "
                          "också svar efter periodens slut. Beräknad ur loggens första " +
                          std::to_string(r.as_of_position()) + " händelser.";
      if (r.unreadable_events() > 0) {
        intro += " " + std::to_string(r.unreadable_events()) + " händelser kunde inte läsas och är inte medräknade.";
      }
      return Page("Synpunkter och klagomål " + r.period_start() + " – " + r.period_end(), intro, sections, r.cases());
    }
    default:
      return Status::InvalidArgument("format must be REPORT_FORMAT_CSV, REPORT_FORMAT_JSON or REPORT_FORMAT_HTML");
  }
}

Result<std::string> RenderReminders(const rpb::RemindersResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) {
    rpb::RemindersResponse report = r;
    report.clear_document();
    return ReportJson(report);
  }
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
