#include "services/delegation/report_render.h"

#include <sstream>
#include <vector>

#include "services/common/report_document.h"
#include "services/common/share_report.h"
#include "services/decisions/report_text.h"

namespace sparbar::delegation {
namespace {

namespace rpb = ::sparbar::v1::delegation;
namespace d = ::sparbar::v1::decisions;
using decisions::CsvField;

std::string Delegates(const rpb::DelegationPoint& p) {
  std::string out;
  for (const auto& each : p.delegates()) out += (out.empty() ? "" : "; ") + each;
  return out;
}

const char* const kFormats = "format must be REPORT_FORMAT_CSV, REPORT_FORMAT_JSON or REPORT_FORMAT_HTML";

}  // namespace

Result<std::string> RenderOrder(const rpb::OrderInForceResponse& r, ReportFormat format) {
  switch (format) {
    case d::REPORT_FORMAT_CSV: {
      std::ostringstream out;
      out << "punkt,arende,lagrum,delegat\r\n";
      for (const auto& p : r.points()) {
        out << CsvField(p.point()) << ',' << CsvField(p.matter()) << ',' << CsvField(p.lagrum()) << ','
            << CsvField(Delegates(p)) << "\r\n";
      }
      return out.str();
    }
    case d::REPORT_FORMAT_JSON:
      return ReportJsonWithoutDocument(r);
    case d::REPORT_FORMAT_HTML: {
      const std::string title = "Delegationsordning " + r.order_id() + " den " + r.on();
      std::vector<std::vector<std::string>> rows;
      for (const auto& p : r.points()) rows.push_back({p.point(), p.matter(), p.lagrum(), Delegates(p)});
      std::ostringstream out;
      out << HtmlPageStart(title) << "<p>"
          << Html("Version " + r.version() + ", i kraft från " + r.valid_from() +
                  (r.decided_in().empty() ? "" : ", beslutad " + r.decided_in()) +
                  (r.dnr().empty() ? "" : ", Dnr " + r.dnr()) + ". Ur loggens första " +
                  std::to_string(r.as_of_position()) + " händelser.")
          << "</p>\n"
          << HtmlTable({"Punkt i delegationsordning", "Ärende", "Lagrum", "Delegat"}, rows) << "<h2>Versioner</h2>\n";
      std::vector<std::vector<std::string>> versions;
      for (const auto& v : r.versions()) versions.push_back({v});
      out << HtmlTable({"I kraft från och version"}, versions) << kHtmlPageEnd;
      return out.str();
    }
    default:
      return Status::InvalidArgument(kFormats);
  }
}

Result<std::string> RenderDecisions(const rpb::DecisionsReport& r, ReportFormat format) {
  switch (format) {
    case d::REPORT_FORMAT_CSV: {
      std::ostringstream out;
      out << "beslut,delegationsordning,version,punkt,lagrum,datum,delegat,roll,arende,hanvisning,utfall,"
             "anmalt_vid,anmalt_datum,sent_anmalt\r\n";
      for (const auto& row : r.rows()) {
        out << CsvField(row.stream()) << ',' << CsvField(row.order_id()) << ',' << CsvField(row.order_version())
            << ',' << CsvField(row.point()) << ',' << CsvField(row.lagrum()) << ',' << row.decided_date() << ','
            << CsvField(row.delegate()) << ',' << CsvField(row.delegate_role()) << ',' << CsvField(row.matter())
            << ',' << CsvField(row.case_reference()) << ',' << CsvField(row.outcome()) << ','
            << CsvField(row.reported_in()) << ',' << row.reported_date() << ',' << (row.reported_late() ? "ja" : "")
            << "\r\n";
      }
      return out.str();
    }
    case d::REPORT_FORMAT_JSON:
      return ReportJsonWithoutDocument(r);
    case d::REPORT_FORMAT_HTML: {
      std::vector<ShareSection> sections;
      sections.push_back(ShareSection{
          "delegationsbeslut",
          "Delegationsbeslut",
          {{"beslut", "Beslut", r.decisions()},
           {"anmalda", "Anmälda till nämnden", r.reported()},
           {"sent_anmalda", "Anmälda senare än " + std::to_string(r.report_within_days()) + " dagar efter beslutet",
            r.reported_late()},
           {"ej_anmalda", "Ännu inte anmälda", r.unreported()}},
          false});
      sections.push_back(SectionOf("punkt", "Per punkt i delegationsordningen", r.by_point(), true));
      sections.push_back(SectionOf("roll", "Per delegat", r.by_delegate_role(), false));
      sections.push_back(SectionOf("manad", "Per månad", r.by_month(), true, /*shares=*/false));
      std::vector<std::vector<std::string>> rows;
      for (const auto& row : r.rows()) {
        rows.push_back({row.decided_date(), row.point(), row.lagrum(), row.matter(), row.outcome(),
                        row.delegate() + ", " + row.delegate_role(), row.case_reference(),
                        row.reported_in().empty() ? "ej anmält" : row.reported_in() + " (" + row.reported_date() + ")"});
      }
      const std::string list = "<h2>Förteckning</h2>\n" +
                               HtmlTable({"Datum", "Punkt", "Lagrum", "Ärende", "Utfall", "Delegat", "Hänvisning",
                                          "Anmält vid"},
                                         rows);
      return StatisticsPage(r, "Redovisning av delegationsbeslut",
                            "Beslut fattade med stöd av delegation under perioden, att anmäla till nämnden.",
                            sections, r.decisions(), "Andel av besluten", list);
    }
    default:
      return Status::InvalidArgument(kFormats);
  }
}

}  // namespace sparbar::delegation
