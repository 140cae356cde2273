#include "services/decisions/report_render.h"

#include "services/common/report_document.h"
#include "services/decisions/report_text.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

namespace sparbar::decisions {
namespace {

namespace d = sparbar::v1::decisions;

const std::vector<std::string> kColumns = {"Ärende", "Väntan", "Kön", "Insats", "Lagrum", "Lag", "Orsak",
                                           "Datum för beslut", "Datum för avbrott", "Dagar", "Verkställt",
                                           "Avslutat"};

std::vector<std::string> Cells(const d::EjVerkstalldaRow& r) {
  return {r.case_id(),       r.interrupted() ? "avbrott" : "ej verkställt",
          SexLabel(r.sex(), r.child()),
          r.insats(),        r.lagrum(),
          r.law(),           r.reason(),
          r.decision_date(), r.interrupted_date(),
          std::to_string(r.days_waited()),
          r.executed_date(), r.closed_date()};
}

void CountsRow(std::ostringstream& out, const d::EjVerkstalldaCounts& c, const std::string& label) {
  out << "<tr><th>" << Html(label) << "</th><td>" << c.men() << "</td><td>" << c.women() << "</td><td>" << c.other()
      << "</td><td>" << c.children() << "</td><td><strong>" << c.total() << "</strong></td></tr>\n";
}

std::string RenderEjVerkstalldaCsv(const d::EjVerkstalldaResponse& report) {
  std::ostringstream out;
  for (size_t i = 0; i < kColumns.size(); ++i) out << (i ? "," : "") << CsvField(kColumns[i]);
  out << "\r\n";
  for (const auto& r : report.rows()) {
    const auto cells = Cells(r);
    for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << CsvField(cells[i]);
    out << "\r\n";
  }
  return out.str();
}

std::string RenderEjVerkstalldaHtml(const d::EjVerkstalldaResponse& report) {
  std::ostringstream out;
  const std::string period = report.period_start() + " – " + report.period_end();
  out << "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>Ej verkställda beslut " << Html(period) << "</title>\n"
      << "<style>" << kReportStyle << "</style>\n</head>\n<body>\n"
      << "<h1>Ej verkställda gynnande beslut</h1>\n"
      << "<p>Period " << Html(period) << ". Beslut som inte verkställts inom " << report.threshold_months()
      << " månader från beslutsdatum, och verkställigheter avbrutna längre än så. Beräknad ur loggens första "
      << report.as_of_position() << " händelser; antalen avser beslut, inte personer.</p>\n";
  for (const auto& t : report.lagrum_thresholds()) {
    out << "<p>För " << Html(t.lagrum()) << " gäller " << t.months() << " månader.</p>\n";
  }

  out << "<h2>Summering</h2>\n<table>\n<tr><th>Lagrum</th><th>Män</th><th>Kvinnor</th><th>Annat</th><th>Barn</th>"
         "<th>Summa</th></tr>\n";
  for (const auto& c : report.by_lagrum()) CountsRow(out, c, c.key());
  for (const auto& c : report.by_law()) CountsRow(out, c, "Summa " + c.key());
  CountsRow(out, report.total(), "Summa totalt");
  out << "</table>\n";

  std::vector<std::pair<std::string, int64_t>> by_sex = {{"Män", report.total().men()},
                                                          {"Kvinnor", report.total().women()},
                                                          {"Annat", report.total().other()},
                                                          {"Barn", report.total().children()}};
  out << BarChart("Fördelning per kön och barn", by_sex);
  std::map<std::string, int64_t> reasons;
  for (const auto& r : report.rows()) ++reasons[r.reason().empty() ? "ej angiven" : r.reason()];
  std::vector<std::pair<std::string, int64_t>> by_reason(reasons.begin(), reasons.end());
  std::stable_sort(by_reason.begin(), by_reason.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  out << BarChart("Fördelning per orsak", by_reason);

  out << "<h2>Sammanställning</h2>\n<table>\n<tr>";
  for (const auto& c : kColumns) out << "<th>" << Html(c) << "</th>";
  out << "</tr>\n";
  for (const auto& r : report.rows()) {
    out << "<tr>";
    for (const auto& cell : Cells(r)) out << "<td>" << Html(cell) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace

std::string RendererName() {
  const int v = GOOGLE_PROTOBUF_VERSION;  // e.g. 3021012
  return "sparbar-report-render/" + std::to_string(kRendererVersion) + ", protobuf " + std::to_string(v / 1000000) +
         "." + std::to_string(v / 1000 % 1000) + "." + std::to_string(v % 1000);
}

Result<std::string> RenderEjVerkstallda(const d::EjVerkstalldaResponse& report, d::ReportFormat format) {
  switch (format) {
    case d::REPORT_FORMAT_CSV: return RenderEjVerkstalldaCsv(report);
    case d::REPORT_FORMAT_JSON: return ReportJsonWithoutDocument(report);
    case d::REPORT_FORMAT_HTML: return RenderEjVerkstalldaHtml(report);
    default:
      return Status::InvalidArgument("format must be REPORT_FORMAT_CSV, REPORT_FORMAT_JSON or REPORT_FORMAT_HTML");
  }
}

}  // namespace sparbar::decisions
