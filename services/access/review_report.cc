#include "services/access/review_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "services/access/log_extract.h"
#include "services/access/review_rules.h"
#include "services/common/report_document.h"
#include "services/common/swedish_time.h"
#include "services/decisions/report_text.h"

namespace sparbar::access {
namespace {

using decisions::CsvField;

const char* FindingName(lr::Finding f) {
  switch (f) {
    case lr::FINDING_NO_REMARK: return "utan anmärkning";
    case lr::FINDING_NEEDS_EXPLANATION: return "behöver förklaras";
    case lr::FINDING_SUSPECTED_MISUSE: return "misstänkt otillåten åtkomst";
    default: return "";
  }
}

const char* RuleLabel(const std::string& rule) {
  static const std::map<std::string, const char*> labels = {
      {"protected_identity", "skyddad identitet"},
      {"no_open_case", "inget öppet ärende vid enheten"},
      {"same_surname", "samma efternamn"},
      {"outside_working_hours", "utanför arbetstid"},
      {"volume_above_baseline", "ovanligt många åtkomster"},
      {"nodatkomst", "nödåtkomst"},
      {"own_or_colleague", "egen eller kollegas journal"},
      {"outside_rights", "utanför behörighet"}};
  auto it = labels.find(rule);
  return it == labels.end() ? "?" : it->second;
}

bool RuleOn(const lr::RuleSettings& r, const std::string& rule) {
  if (rule == "protected_identity") return r.protected_identity();
  if (rule == "no_open_case") return r.no_open_case();
  if (rule == "same_surname") return r.same_surname();
  if (rule == "outside_working_hours") return r.outside_working_hours();
  if (rule == "volume_above_baseline") return r.volume_above_baseline();
  if (rule == "nodatkomst") return r.nodatkomst();
  if (rule == "own_or_colleague") return r.own_or_colleague();
  if (rule == "outside_rights") return r.outside_rights();
  return false;
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& values, const char* none) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out.empty() ? none : out;
}

std::string Rules(const std::vector<Hit>& hits) {
  std::string out;
  for (const Hit& h : hits) out += (out.empty() ? "" : ";") + h.rule;
  return out;
}

using Details = std::map<uint64_t, v1::access::RecordedAccess>;

std::string Csv(const std::string& review_id, const review::ReviewState& s, const ReviewEvaluation& ev,
                const Details& details) {
  std::ostringstream out;
  out << "granskning,position,tidpunkt,anvandare,enhet,roll,handelse,system,person,syfte,urvalsanvandare,regler,"
         "forklaring,bedomning,anteckning,utredning\r\n";
  for (const ReviewedItem& item : ev.items) {
    std::string why;
    for (const Hit& h : item.hits) why += (why.empty() ? "" : "; ") + h.explanation;
    const auto f = s.findings.find(item.position);
    const auto inv = s.investigations.find(item.position);
    const pb::AccessRecorded& a = details.at(item.position).access();
    out << CsvField(review_id) << ',' << item.position << ',' << SwedishTime(item.at_us) << ','
        << CsvField(a.user_hsa_id()) << ',' << CsvField(a.unit()) << ',' << CsvField(a.role()) << ','
        << ActionName(a.action()) << ',' << CsvField(a.source_system()) << ',' << PersonRef(item.subject) << ','
        << PurposeName(a.purpose()) << ',' << (item.sampled_user ? "ja" : "nej") << ',' << Rules(item.hits) << ','
        << CsvField(why) << ',' << (f == s.findings.end() ? "" : FindingName(f->second.finding())) << ','
        << CsvField(f == s.findings.end() ? "" : f->second.note()) << ','
        << (inv == s.investigations.end() ? "" : inv->second) << "\r\n";
  }
  return out.str();
}

std::string HtmlReport(const std::string& review_id, const review::ReviewState& s, const ReviewEvaluation& ev,
                       const Details& details) {
  const lr::ReviewOpened& o = s.opened;
  const lr::SampleDrawn& sample = s.sample;
  std::ostringstream out;
  const std::string title = "Loggkontroll " + review_id;
  out << HtmlPageStart(title);
  out << "<table>\n<tr><th>Period</th><td>" << Html(o.from_date()) << " – " << Html(o.to_date()) << "</td></tr>\n"
      << "<tr><th>Slag</th><td>"
      << (o.kind() == lr::REVIEW_KIND_TARGETED ? "riktad kontroll vid misstanke" : "kvartalsvis slumpvis kontroll")
      << "</td></tr>\n"
      << "<tr><th>Skäl</th><td>" << Html(o.reason().empty() ? "–" : o.reason()) << "</td></tr>\n"
      << "<tr><th>Enheter</th><td>" << Html(Join(o.units(), "alla")) << "</td></tr>\n"
      << "<tr><th>System</th><td>" << Html(Join(o.source_systems(), "alla")) << "</td></tr>\n"
      << "<tr><th>Granskare</th><td>" << Html(o.reviewer()) << "</td></tr>\n"
      << "<tr><th>Öppnad</th><td>" << Html(o.opened_date()) << "</td></tr>\n"
      << "<tr><th>Loggens storlek granskad</th><td>" << ev.as_of << " händelser</td></tr>\n</table>\n";

  out << "<h2>Urval</h2>\n<table>\n<tr><th>Metod</th><td>" << Html(sample.method()) << "</td></tr>\n";
  if (sample.method() != "targeted") {
    out << "<tr><th>Frö (seed)</th><td>" << sample.seed() << "</td></tr>\n";
  }
  out << "<tr><th>Begärt antal</th><td>" << sample.requested() << "</td></tr>\n"
      << "<tr><th>Population (användare)</th><td>" << sample.population() << "</td></tr>\n"
      << "<tr><th>Populationens SHA-256</th><td><code>" << Html(sample.population_digest()) << "</code></td></tr>\n"
      << "<tr><th>Dragen</th><td>" << Html(sample.drawn_date()) << "</td></tr>\n"
      << "<tr><th>Användare</th><td>" << Html(Join(sample.users(), "inga")) << "</td></tr>\n</table>\n"
      << "<p>Urvalet kan dras igen: varje användare i populationen rangordnas efter SHA-256 av fröet (8 byte, "
         "big-endian) följt av användarens id, och de första tas. Åtkomster till personer med skyddad identitet "
         "granskas alltid i en slumpvis kontroll.</p>\n";

  out << "<h2>Regler</h2>\n<table>\n<tr><th>Regel</th><th>På</th><th>Flaggade</th><th>Andel</th></tr>\n";
  std::vector<std::pair<std::string, int64_t>> share;
  for (const std::string& rule : RuleIds()) {
    const auto n = ev.per_rule.count(rule) ? ev.per_rule.at(rule) : 0;
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f %%", ev.items.empty() ? 0.0 : 100.0 * n / ev.items.size());
    out << "<tr><td>" << RuleLabel(rule) << " (" << rule << ")</td><td>" << (RuleOn(o.rules(), rule) ? "ja" : "nej")
        << "</td><td>" << n << "</td><td>" << pct << "</td></tr>\n";
    share.emplace_back(std::string(RuleLabel(rule)) + " (" + pct + ")", static_cast<int64_t>(n));
  }
  out << "</table>\n<p>Parametrar: ärende räknas som öppet " << o.rules().case_grace_days()
      << " dagar efter avslut; baslinje " << o.rules().baseline_days() << " dagar före perioden; hög volym över "
      << o.rules().volume_factor_percent() << " % av baslinjen och över " << o.rules().volume_min_per_day()
      << " åtkomster per dag.</p>\n";

  std::map<std::string, int64_t> per_day;
  std::vector<std::pair<std::string, int64_t>> per_hour;
  for (int h = 0; h < 24; ++h) {
    char label[8];
    std::snprintf(label, sizeof label, "%02d", h);
    per_hour.emplace_back(label, 0);
  }
  std::map<lr::Finding, int64_t> findings;
  for (const ReviewedItem& item : ev.items) {
    const std::string t = SwedishTime(item.at_us);
    ++per_day[t.substr(0, 10)];
    ++per_hour[static_cast<size_t>(std::stoi(t.substr(11, 2)))].second;
    if (auto f = s.findings.find(item.position); f != s.findings.end()) ++findings[f->second.finding()];
  }
  out << "<h2>Sammanfattning</h2>\n<table>\n<tr><th>Granskade åtkomster</th><td>" << ev.items.size()
      << "</td></tr>\n<tr><th>Flaggade</th><td>" << ev.flagged.size() << "</td></tr>\n";
  for (lr::Finding f : {lr::FINDING_NO_REMARK, lr::FINDING_NEEDS_EXPLANATION, lr::FINDING_SUSPECTED_MISUSE}) {
    out << "<tr><th>Bedömda " << FindingName(f) << "</th><td>" << findings[f] << "</td></tr>\n";
  }
  out << "<tr><th>Utredningar om otillåten åtkomst</th><td>" << s.investigations.size() << "</td></tr>\n</table>\n";
  out << BarChart("Granskade åtkomster per timme (svensk tid)", per_hour);
  out << BarChart("Granskade åtkomster per dag", {per_day.begin(), per_day.end()});
  out << BarChart("Flaggade per regel (andel av granskade)", share);

  out << "<h2>Flaggade åtkomster</h2>\n<table>\n<tr><th>Tid</th><th>Användare</th><th>Enhet</th><th>Roll</th>"
         "<th>Händelse</th><th>System</th><th>Person</th><th>Syfte</th><th>Varför</th><th>Bedömning</th>"
         "<th>Anteckning</th><th>Utredning</th></tr>\n";
  for (const ReviewedItem& item : ev.items) {
    if (item.hits.empty()) continue;
    const pb::AccessRecorded& a = details.at(item.position).access();
    std::string why;
    for (const Hit& h : item.hits) why += (why.empty() ? "" : "<br>") + Html(RuleLabel(h.rule)) + ": " + Html(h.explanation);
    const auto f = s.findings.find(item.position);
    const auto inv = s.investigations.find(item.position);
    out << "<tr><td>" << SwedishTime(item.at_us) << "</td><td>" << Html(a.user_hsa_id()) << "</td><td>"
        << Html(a.unit()) << "</td><td>" << Html(a.role()) << "</td><td>" << ActionName(a.action()) << "</td><td>"
        << Html(a.source_system()) << "</td><td>" << PersonRef(item.subject) << "</td><td>"
        << PurposeName(a.purpose()) << "</td><td>" << why << "</td><td>"
        << (f == s.findings.end() ? "<em>ej bedömd</em>" : FindingName(f->second.finding())) << "</td><td>"
        << Html(f == s.findings.end() ? "" : f->second.note()) << "</td><td>"
        << Html(inv == s.investigations.end() ? "" : inv->second) << "</td></tr>\n";
  }
  out << "</table>\n<h2>Avslut</h2>\n";
  if (s.phase == review::Phase::kConcluded) {
    out << "<p>Avslutad " << Html(s.concluded.concluded_date()) << " av " << Html(s.concluded.reviewer()) << ".</p>\n<p>"
        << Html(s.concluded.summary()) << "</p>\n";
  } else {
    out << "<p>Granskningen pågår.</p>\n";
  }
  if (ev.context_unreadable > 0) {
    out << "<p>Obs: " << ev.context_unreadable << " händelser i kontextströmmarna kunde inte läsas och ingår inte.</p>\n";
  }
  out << "<p>Personer anges med en nyckelbunden referens, aldrig med personnummer.</p>\n" << kHtmlPageEnd;
  return out.str();
}

}  // namespace

std::string PersonRef(const std::string& subject_key) { return "p-" + subject_key.substr(0, 12); }

std::string SwedishTime(int64_t micros) {
  const StockholmClock c = StockholmClockAt(micros);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", c.date.ToString().c_str(), c.second_of_day / 3600,
                c.second_of_day / 60 % 60, c.second_of_day % 60);
  return buf;
}

std::string RenderReviewReport(const std::string& review_id, const review::ReviewState& state,
                               const ReviewEvaluation& evaluation, const Details& details, lr::ReportFormat format) {
  if (format == lr::REPORT_FORMAT_CSV) return Csv(review_id, state, evaluation, details);
  return HtmlReport(review_id, state, evaluation, details);
}

}  // namespace sparbar::access
