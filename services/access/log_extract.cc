#include "services/access/log_extract.h"

#include <sstream>

#include "services/access/review_report.h"
#include "services/common/instant.h"
#include "services/common/report_document.h"
#include "services/decisions/report_text.h"

namespace sparbar::access {

namespace pb = ::sparbar::v1::access;

const char* ActionName(pb::Action a) {
  switch (a) {
    case pb::ACTION_READ: return "läsa";
    case pb::ACTION_CREATE: return "skapa";
    case pb::ACTION_UPDATE: return "ändra";
    case pb::ACTION_PRINT: return "skriva ut";
    case pb::ACTION_COPY: return "kopiera";
    case pb::ACTION_EXPORT: return "exportera";
    case pb::ACTION_DISCLOSE: return "lämna ut";
    default: return "okänd";
  }
}

const char* PurposeName(pb::Purpose p) {
  switch (p) {
    case pb::PURPOSE_NORMAL_WORK: return "ordinarie arbete";
    case pb::PURPOSE_NODATKOMST: return "nödåtkomst";
    case pb::PURPOSE_CONSENT: return "samtycke";
    default: return "okänt";
  }
}

namespace {

using decisions::CsvField;

std::string Why(const pb::AccessRecorded& a) {
  std::string why = PurposeName(a.purpose());
  if (a.purpose() == pb::PURPOSE_NODATKOMST) why += ": " + a.emergency_reason();
  if (a.purpose() == pb::PURPOSE_CONSENT) why += " (" + a.consent_ref() + ")";
  return why;
}

const char* OutcomeName(pb::Outcome o) { return o == pb::OUTCOME_DENIED ? "nekad" : "tillåten"; }

}  // namespace

std::string RenderLogExtract(const ExtractInput& in, pb::ExtractFormat format) {
  std::ostringstream out;
  if (format == pb::EXTRACT_FORMAT_CSV) {
    out << "tidpunkt,anvandare,enhet,roll,handelse,journal,system,syfte,utfall\r\n";
    for (const auto& r : in.accesses) {
      const pb::AccessRecorded& a = r.access();
      out << SwedishTime(MicrosOf(a.accessed_at())) << ',' << CsvField(a.user_hsa_id()) << ',' << CsvField(a.unit())
          << ',' << CsvField(a.role()) << ',' << ActionName(a.action()) << ',' << CsvField(a.record_ref()) << ','
          << CsvField(a.source_system()) << ',' << CsvField(Why(a)) << ',' << OutcomeName(a.outcome()) << "\r\n";
    }
    return out.str();
  }
  const std::string& n = in.personal_identity_number;
  const std::string shown = n.size() == 12 ? n.substr(0, 8) + "-" + n.substr(8) : n;
  out << "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>Logguttag</title>\n<style>"
      << kReportStyle << "</style>\n</head>\n<body>\n<h1>Logguttag: vem har tagit del av dina uppgifter</h1>\n"
      << "<p>Personnummer " << Html(shown) << ". Perioden " << Html(in.from) << " – " << Html(in.to)
      << " (svensk tid). " << in.accesses.size() << " åtkomster.</p>\n"
      << "<p>Varje rad är en åtkomst till uppgifter om dig: när, av vem (användarens HSA-id), för vilken enhet och "
         "i vilken roll, vad som gjordes, i vilket system och varför. Uttaget visar loggen som den var vid "
         "position "
      << in.as_of_position << ".</p>\n"
      << "<table>\n<tr><th>Tidpunkt</th><th>Användare</th><th>Enhet</th><th>Roll</th><th>Händelse</th>"
         "<th>System</th><th>Syfte</th><th>Utfall</th></tr>\n";
  for (const auto& r : in.accesses) {
    const pb::AccessRecorded& a = r.access();
    out << "<tr><td>" << SwedishTime(MicrosOf(a.accessed_at())) << "</td><td>" << Html(a.user_hsa_id()) << "</td><td>"
        << Html(a.unit()) << "</td><td>" << Html(a.role()) << "</td><td>" << ActionName(a.action()) << "</td><td>"
        << Html(a.source_system()) << "</td><td>" << Html(Why(a)) << "</td><td>" << OutcomeName(a.outcome())
        << "</td></tr>\n";
  }
  out << "</table>\n<p>Har du frågor om en åtkomst, kontakta verksamhetens dataskyddsombud.</p>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace sparbar::access
