#include "services/common/report_document.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <sstream>

namespace sparbar {

std::string Html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string HtmlPageStart(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Html(title) +
         "</title>\n<style>" + kReportStyle + "</style>\n</head>\n<body>\n<h1>" + Html(title) + "</h1>\n";
}

std::string HtmlTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return "<p>Inga.</p>\n";
  std::string out = "<table>\n<tr>";
  for (const auto& h : headers) out += "<th>" + Html(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + Html(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string BarChart(const std::string& title, const std::vector<std::pair<std::string, int64_t>>& bars) {
  int64_t max = 1;
  for (const auto& [label, n] : bars) max = std::max(max, n);
  const int row = 26, label_width = 200, bar_width = 360;
  const int height = 30 + row * static_cast<int>(bars.size());
  std::ostringstream svg;
  svg << "<figure><figcaption>" << Html(title) << "</figcaption>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << label_width + bar_width + 60 << "\" height=\""
      << height << "\" role=\"img\" aria-label=\"" << Html(title) << "\">\n";
  int y = 10;
  for (const auto& [label, n] : bars) {
    const int w = static_cast<int>(static_cast<double>(n) / static_cast<double>(max) * bar_width);
    svg << "<text x=\"" << label_width - 8 << "\" y=\"" << y + 15 << "\" text-anchor=\"end\">" << Html(label)
        << "</text><rect x=\"" << label_width << "\" y=\"" << y << "\" width=\"" << w
        << "\" height=\"20\" fill=\"#2b6cb0\"/><text x=\"" << label_width + w + 6 << "\" y=\"" << y + 15 << "\">" << n
        << "</text>\n";
    y += row;
  }
  svg << "</svg></figure>\n";
  return svg.str();
}

const char* const kReportStyle =
    "body{font-family:sans-serif;margin:2em;max-width:72em}table{border-collapse:collapse;"
    "margin:1em 0}th,td{border:1px solid #999;padding:.3em .6em;text-align:left}"
    "td:nth-child(n+2){text-align:right}figure{margin:1em 0}";

Result<std::string> ReportJson(const google::protobuf::Message& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  auto printed = google::protobuf::util::MessageToJsonString(report, &json, options);
  if (!printed.ok()) return Status::Internal("the report cannot be printed as JSON: " + printed.ToString());
  return json;
}

}  // namespace sparbar
