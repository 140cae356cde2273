#include "services/common/share_report.h"

#include <sstream>
#include <utility>

#include "services/common/report_document.h"
#include "services/decisions/report_text.h"

namespace sparbar {
namespace {

// "67,3 %": the share as a Swedish reader writes it.
std::string SwedishShare(int64_t part, int64_t whole) {
  std::string s = SharePercent(part, whole);
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  return s + " %";
}

}  // namespace

ShareSection SectionOf(std::string id, std::string title,
                       const google::protobuf::RepeatedPtrField<v1::deviations::Count>& counts, bool chart,
                       bool shares) {
  ShareSection s{std::move(id), std::move(title), {}, chart, shares};
  for (const auto& c : counts) s.rows.push_back(ShareRow{c.key(), c.name(), c.count()});
  return s;
}

std::string SharePercent(int64_t part, int64_t whole) {
  if (whole <= 0) return "0.0";
  // Tenths of a per cent, rounded half up, in integers: the same bytes on every machine.
  const int64_t tenths = (part * 2000 + whole) / (2 * whole);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string LogBasis(uint64_t as_of_position, uint64_t unreadable) {
  std::string s = "Beräknad ur loggens första " + std::to_string(as_of_position) + " händelser.";
  if (unreadable > 0) s += " " + std::to_string(unreadable) + " händelser kunde inte läsas och är inte medräknade.";
  return s;
}

std::string ShareCsv(const std::vector<ShareSection>& sections, int64_t whole) {
  using decisions::CsvField;
  std::ostringstream out;
  out << "avsnitt,nyckel,namn,antal,andel_procent\r\n";
  for (const ShareSection& s : sections) {
    for (const ShareRow& r : s.rows) {
      out << CsvField(s.id) << ',' << CsvField(r.key) << ',' << CsvField(r.name) << ',' << r.count << ','
          << (s.shares ? SharePercent(r.count, whole) : "") << "\r\n";
    }
  }
  return out.str();
}

std::string ShareHtml(const std::string& title, const std::string& intro, const std::vector<ShareSection>& sections,
                      int64_t whole, const std::string& share_label, const std::string& appendix_html) {
  std::ostringstream out;
  out << HtmlPageStart(title) << "<p>" << Html(intro) << "</p>\n";
  for (const ShareSection& s : sections) {
    out << "<h2>" << Html(s.title) << "</h2>\n";
    if (s.rows.empty()) {
      out << "<p>Inga.</p>\n";
      continue;
    }
    out << "<table>\n<tr><th></th><th>Antal</th>" << (s.shares ? "<th>" + Html(share_label) + "</th>" : "")
        << "</tr>\n";
    for (const ShareRow& r : s.rows) {
      out << "<tr><th>" << Html(r.name) << "</th><td>" << r.count << "</td>";
      if (s.shares) out << "<td>" << SwedishShare(r.count, whole) << "</td>";
      out << "</tr>\n";
    }
    out << "</table>\n";
    if (s.chart) {
      std::vector<std::pair<std::string, int64_t>> bars;
      for (const ShareRow& r : s.rows) bars.emplace_back(r.name, r.count);
      out << BarChart(s.title, bars);
    }
  }
  out << appendix_html << kHtmlPageEnd;
  return out.str();
}

}  // namespace sparbar
