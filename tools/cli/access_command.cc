// sparbar access extract / export: the access log read through a running
// server (both need the role loggranskare, --roles, and are themselves
// recorded in the access log as reads).
//   extract  the log extract (logguttag) for one person, HTML or CSV, to hand
//            to them: every access to their data in a period
//   export   one user's, person's or unit's accesses in a period as FHIR R4
//            AuditEvent resources (IHE BALP), one JSON object per line
//            (NDJSON), for audit tools that take FHIR
// Periods: --from and --to as Swedish dates (YYYY-MM-DD, whole days) or RFC
// 3339 timestamps.
#include <google/protobuf/util/time_util.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "services/access/fhir_audit_event.h"
#include "services/common/civil_date.h"
#include "services/common/swedish_time.h"
#include "tools/cli/commands.h"
#include "tools/cli/progress.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v1a = ::sparbar::v1::access;
using google::protobuf::util::TimeUtil;

struct AccessOptions {
  std::string person, user, unit;
  std::string from, to;
  std::string format = "html";
  std::string output;
};

// A day (its first or last microsecond in Sweden) or an RFC 3339 timestamp.
bool PeriodEnd(const std::string& text, bool end, google::protobuf::Timestamp* out) {
  if (auto day = CivilDate::TryParse(text)) {
    const int64_t us = end ? EndOfStockholmDay(*day) : StartOfStockholmDay(*day);
    *out = TimeUtil::MicrosecondsToTimestamp(us);
    return true;
  }
  if (TimeUtil::FromString(text, out)) return true;
  std::cerr << "error: " << (end ? "--to" : "--from") << " must be a date YYYY-MM-DD or an RFC 3339 timestamp\n";
  return false;
}

int RunExtract(const AccessOptions& o, const ConnectionOptions& conn) {
  v1a::LogExtractRequest req;
  req.set_personal_identity_number(o.person);
  if (!PeriodEnd(o.from, false, req.mutable_from()) || !PeriodEnd(o.to, true, req.mutable_to())) return kExitUsage;
  req.set_format(o.format == "csv" ? v1a::EXTRACT_FORMAT_CSV : v1a::EXTRACT_FORMAT_HTML);
  Client client(conn);
  v1a::LogExtractResponse resp;
  grpc::Status st = client.access_log().LogExtract(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  std::cerr << resp.accesses() << " accesses, as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

int RunExport(const AccessOptions& o, const ConnectionOptions& conn) {
  v1a::ListAccessesRequest req;
  const int who = !o.person.empty() + !o.user.empty() + !o.unit.empty();
  if (who != 1) {
    std::cerr << "error: give exactly one of --person, --user and --unit\n";
    return kExitUsage;
  }
  if (!o.person.empty()) req.set_personal_identity_number(o.person);
  if (!o.user.empty()) req.set_user_hsa_id(o.user);
  if (!o.unit.empty()) req.set_unit(o.unit);
  if (!PeriodEnd(o.from, false, req.mutable_from()) || !PeriodEnd(o.to, true, req.mutable_to())) return kExitUsage;
  req.set_page_size(1000);
  std::ofstream file;
  if (!o.output.empty()) {
    file.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "error: cannot write " << o.output << "\n";
      return kExitUsage;
    }
  }
  std::ostream& out = o.output.empty() ? std::cout : file;
  Client client(conn);
  ProgressBar progress("export");
  uint64_t written = 0, as_of = 0;
  while (true) {
    v1a::ListAccessesResponse page;
    grpc::Status st = client.access_log().ListAccesses(client.NewContext().get(), req, &page);
    if (!st.ok()) {
      progress.Finish();
      if (written > 0) std::cerr << written << " AuditEvents were written before the error\n";
      return ReportRpcError(st);
    }
    as_of = page.as_of_position();
    for (const auto& r : page.accesses()) out << access::AuditEventOf(r).dump() << "\n";
    written += static_cast<uint64_t>(page.accesses_size());
    progress.Update(written, 0);
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  progress.Finish();
  out.flush();
  if (!out) {
    std::cerr << "error: writing the export failed\n";
    return kExitUsage;
  }
  std::cerr << written << " AuditEvents, as of log position " << as_of << "\n";
  return kExitOk;
}

}  // namespace

void AddAccessCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* access = app.add_subcommand("access", "Read the access log (åtkomstlogg); needs --roles loggranskare");
  access->require_subcommand(1);

  auto ex = std::make_shared<AccessOptions>();
  CLI::App* extract = access->add_subcommand(
      "extract", "The log extract (logguttag) for one person: who accessed their data in a period, to hand to them");
  extract->add_option("--person", ex->person, "The person's personnummer or samordningsnummer")->required();
  extract->add_option("--from", ex->from, "First day (YYYY-MM-DD) or instant (RFC 3339)")->required();
  extract->add_option("--to", ex->to, "Last day (YYYY-MM-DD) or instant (RFC 3339)")->required();
  AddFormatOption(extract, &ex->format, {"html", "csv"});
  extract->add_option("--output", ex->output, "Write the document to this file instead of stdout");
  extract->callback([ex, conn, exit_code] { *exit_code = RunExtract(*ex, *conn); });

  auto exp = std::make_shared<AccessOptions>();
  CLI::App* exporter = access->add_subcommand(
      "export", "Accesses as FHIR R4 AuditEvent resources (IHE BALP), one JSON object per line (NDJSON)");
  exporter->add_option("--person", exp->person, "One person's accesses (personnummer)");
  exporter->add_option("--user", exp->user, "One user's accesses (HSA-id)");
  exporter->add_option("--unit", exp->unit, "One unit's accesses");
  exporter->add_option("--from", exp->from, "First day (YYYY-MM-DD) or instant (RFC 3339)")->required();
  exporter->add_option("--to", exp->to, "Last day (YYYY-MM-DD) or instant (RFC 3339)")->required();
  exporter->add_option("--output", exp->output, "Write the NDJSON to this file instead of stdout");
  exporter->callback([exp, conn, exit_code] { *exit_code = RunExport(*exp, *conn); });
}

}  // namespace sparbar::cli
