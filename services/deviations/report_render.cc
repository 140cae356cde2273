#include "services/deviations/report_render.h"

#include <sstream>
#include <utility>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/decisions/report_text.h"

namespace sparbar::deviations {
namespace {

namespace rpb = ::sparbar::v1::deviations;
namespace d = ::sparbar::v1::decisions;
using decisions::CsvField;

// One figure of a report.
struct Row {
  std::string key, name;
  int64_t count = 0;
  std::optional<int64_t> not_deviation;  // area rows: of those, closed as not a deviation
};

// A titled list of figures; `chart` draws it as bars in HTML.
struct Section {
  std::string id, title;
  std::vector<Row> rows;
  bool chart = false;
};

Section Counts(std::string id, std::string title, const google::protobuf::RepeatedPtrField<rpb::Count>& counts,
               bool chart = false) {
  Section s{std::move(id), std::move(title), {}, chart};
  for (const auto& c : counts) s.rows.push_back(Row{c.key(), c.name(), c.count(), std::nullopt});
  return s;
}

Section Areas(std::string id, std::string title, const google::protobuf::RepeatedPtrField<rpb::AreaCount>& areas) {
  Section s{std::move(id), std::move(title), {}, true};
  for (const auto& a : areas) s.rows.push_back(Row{a.code(), a.name(), a.tagged(), a.not_deviation()});
  return s;
}

std::string Csv(const std::vector<Section>& sections) {
  std::ostringstream out;
  out << "avsnitt,nyckel,namn,antal,varav_ej_avvikelse\r\n";
  for (const Section& s : sections) {
    for (const Row& r : s.rows) {
      out << CsvField(s.id) << ',' << CsvField(r.key) << ',' << CsvField(r.name) << ',' << r.count << ','
          << (r.not_deviation ? std::to_string(*r.not_deviation) : "") << "\r\n";
    }
  }
  return out.str();
}

std::string Page(const std::string& title, const std::string& intro, const std::vector<Section>& sections) {
  std::ostringstream out;
  out << HtmlPageStart(title) << "<p>" << Html(intro) << "</p>\n";
  for (const Section& s : sections) {
    out << "<h2>" << Html(s.title) << "</h2>\n";
    if (s.rows.empty()) {
      out << "<p>Inga.</p>\n";
      continue;
    }
    const bool areas = s.rows.front().not_deviation.has_value();
    out << "<table>\n<tr><th></th><th>Antal</th>" << (areas ? "<th>Varav ej avvikelse</th>" : "") << "</tr>\n";
    for (const Row& r : s.rows) {
      out << "<tr><th>" << Html(r.name) << "</th><td>" << r.count << "</td>";
      if (areas) out << "<td>" << *r.not_deviation << "</td>";
      out << "</tr>\n";
    }
    out << "</table>\n";
    if (s.chart) {
      std::vector<std::pair<std::string, int64_t>> bars;
      for (const Row& r : s.rows) bars.emplace_back(r.name, r.count);
      out << BarChart(s.title, bars);
    }
  }
  out << kHtmlPageEnd;
  return out.str();
}

template <class Report>
Result<std::string> Render(const Report& with_document, ReportFormat format, const std::string& title,
                           const std::string& intro, const std::vector<Section>& sections) {
  switch (format) {
    case d::REPORT_FORMAT_CSV: return Csv(sections);
    case d::REPORT_FORMAT_JSON: return ReportJsonWithoutDocument(with_document);
    case d::REPORT_FORMAT_HTML: return Page(title, intro, sections);
    default:
      return Status::InvalidArgument("format must be REPORT_FORMAT_CSV, REPORT_FORMAT_JSON or REPORT_FORMAT_HTML");
  }
}

std::string Period(const std::string& start, const std::string& end) { return start + " – " + end; }

}  // namespace

Result<std::string> RenderAvvikelser(const rpb::AvvikelserReport& r, ReportFormat format) {
  std::vector<Section> sections;
  sections.push_back(Section{"summa", "Summering",
                             {{"avvikelser", "Rapporterade avvikelser", r.deviations(), std::nullopt},
                              {"ej_avvikelse", "Avslutade utan utredning: bedömts inte vara en avvikelse",
                               r.closed_without_investigation(), std::nullopt},
                              {"oppna", "Öppna vid periodens slut", r.open_at_end(), std::nullopt},
                              {"oppna_totalt", "Alla öppna på periodens sista dag, oavsett när de rapporterades",
                               r.open_on_end_date(), std::nullopt},
                              {"sol_lss_omraden", "Områden angivna (SoL/LSS; en avvikelse kan ha flera)",
                               r.social_tags(), std::nullopt},
                              {"sol_lss_omraden_avvikelser", "Områden angivna, utom ej avvikelse (SoL/LSS)",
                               r.social_tags_that_are_deviations(), std::nullopt},
                              {"lex_sarah", "Tagna upp i lex Sarah", r.taken_up_by_lex_sarah(), std::nullopt},
                              {"lex_maria", "Tagna upp i lex Maria", r.taken_up_by_lex_maria(), std::nullopt},
                              {"ivo", "Anmälda till IVO", r.reported_to_ivo(), std::nullopt}},
                             false});
  sections.push_back(Areas("hsl_omrade", "Hälso- och sjukvård (HSL) per område", r.hsl_areas()));
  sections.push_back(Areas("sol_lss_omrade", "Socialtjänst (SoL/LSS) per område", r.social_areas()));
  sections.push_back(Counts("allvarlighetsgrad", "HSL per allvarlighetsgrad", r.by_severity()));
  sections.push_back(Counts("lag", "Per lagrum (HSL, SoL, LSS)", r.by_domain()));
  sections.push_back(Counts("kon", "Per kön", r.by_sex()));
  sections.push_back(Counts("enhet", "Per enhet", r.by_unit()));
  sections.push_back(Counts("manad", "Per månad", r.by_month(), true));
  sections.push_back(Counts("ar", "Per år: trenden", r.by_year(), true));
  return Render(r, format, "Avvikelser " + Period(r.period_start(), r.period_end()),
                "Avvikelser rapporterade under perioden. " + LogBasis(r.as_of_position(), r.unreadable_events()),
                sections);
}

Result<std::string> RenderLexSarah(const rpb::LexSarahReport& r, ReportFormat format) {
  std::vector<Section> sections;
  sections.push_back(Section{"summa", "Summering",
                             {{"rapporter", "Lex Sarah-rapporter", r.reported(), std::nullopt},
                              {"utan_beslut", "Utan beslut vid periodens slut", r.undecided_at_end(), std::nullopt},
                              {"ivo", "Anmälda till IVO", r.notified_to_ivo(), std::nullopt},
                              {"uppfoljning", "Uppföljningsärenden öppnade", r.follow_ups_opened(), std::nullopt}},
                             false});
  sections.push_back(Counts("utfall", "Beslut per nivå", r.decided_by_level(), true));
  sections.push_back(Counts("enhet", "Rapporter per enhet", r.reported_by_unit()));
  return Render(r, format, "Lex Sarah " + Period(r.period_start(), r.period_end()),
                "Rapporter under perioden och beslut daterade inom den. " +
                    LogBasis(r.as_of_position(), r.unreadable_events()),
                sections);
}

Result<std::string> RenderLexMaria(const rpb::LexMariaReport& r, ReportFormat format) {
  std::vector<Section> sections;
  sections.push_back(Section{"summa", "Summering",
                             {{"arenden", "Lex Maria-ärenden öppnade", r.opened(), std::nullopt},
                              {"fran_avvikelse", "Varav från en avvikelse", r.from_deviation(), std::nullopt},
                              {"oppna", "Öppna vid periodens slut", r.open_at_end(), std::nullopt},
                              {"utredningar", "Utredningar inledda", r.investigations_started(), std::nullopt},
                              {"ivo", "Anmälda till IVO", r.reported_to_ivo(), std::nullopt},
                              {"ej_anmalda", "Inte anmälda, med skäl", r.not_reported(), std::nullopt}},
                             true});
  sections.push_back(Counts("enhet", "Ärenden per enhet", r.opened_by_unit()));
  return Render(r, format, "Lex Maria " + Period(r.period_start(), r.period_end()),
                "Ärenden öppnade under perioden och beslut daterade inom den. " +
                    LogBasis(r.as_of_position(), r.unreadable_events()),
                sections);
}

Result<std::string> RenderOverdue(const rpb::OverdueResponse& r, ReportFormat format) {
  if (format == d::REPORT_FORMAT_JSON) return ReportJsonWithoutDocument(r);
  if (format != d::REPORT_FORMAT_CSV) return Status::InvalidArgument("format must be REPORT_FORMAT_CSV or REPORT_FORMAT_JSON");
  std::ostringstream out;
  out << "arende,flode,steg,vantar_pa,enhet,roll,atgard,sedan,senast,dagar_sen\r\n";
  for (const auto& s : r.steps()) {
    out << CsvField(s.stream()) << ',' << s.workflow() << ',' << s.step() << ',' << CsvField(s.awaits()) << ','
        << CsvField(s.unit()) << ',' << CsvField(s.role()) << ',' << CsvField(s.action_id()) << ',' << s.since()
        << ',' << s.due() << ',' << s.days_overdue() << "\r\n";
  }
  return out.str();
}

}  // namespace sparbar::deviations
