// sparbar report behorigheter / behorigheter-frister / behorigheter-i-kraft:
// the access rights' reports, computed by a running server from the log as
// it stood at one position (named on stderr).
//   behorigheter           orders, grants, reviews, narrowings and removals
//                          in a period, and the rights in force at its end
//   behorigheter-frister   the steps due: grants, narrowings and removals
//                          awaited, periodic reviews, with the days left or past
//   behorigheter-i-kraft   the rights in force at an instant, for a user,
//                          system or unit
#include <google/protobuf/util/time_util.h>

#include <iostream>
#include <memory>
#include <sstream>

#include "services/common/report_document.h"
#include "services/decisions/report_text.h"
#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::accessrights;
using google::protobuf::util::TimeUtil;

int RunDue(const ModuleReportOptions& o, const ConnectionOptions& conn) {
  v::DueRequest req;
  req.set_on(o.on);
  req.set_within_days(static_cast<uint32_t>(o.days));
  req.set_unit(o.unit);
  req.set_system(o.system);
  SetAsOf(o, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.format));
  Client client(conn);
  v::DueResponse resp;
  grpc::Status st = client.access_right_reports().Due(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  int past = 0;
  for (const auto& s : resp.steps()) past += s.days_left() < 0;
  std::cerr << resp.steps_size() << " access right steps due by " << resp.on() << " + " << o.days << " days, " << past
            << " past their day, as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

// The rights as CSV (one row per right, its units joined with ';') or JSON.
std::string InForceDocument(const v::InForceResponse& r, const std::string& format) {
  if (format == "json") {
    auto json = ReportJson(r);
    return json.ok() ? json.value() : std::string();
  }
  using decisions::CsvField;
  std::ostringstream out;
  out << "behorighet,anvandare,system,roll,enheter,tilldelad_utc,nasta_kontroll,sista_dag\r\n";
  for (const auto& f : r.rights()) {
    std::string units;
    for (const auto& u : f.units()) units += (units.empty() ? "" : ";") + u;
    out << CsvField(f.stream()) << ',' << CsvField(f.user()) << ',' << CsvField(f.system()) << ',' << CsvField(f.role())
        << ',' << CsvField(units) << ',' << TimeUtil::ToString(f.granted_at()) << ',' << f.review_due() << ','
        << f.last_day() << "\r\n";
  }
  return out.str();
}

int RunInForce(const ModuleReportOptions& o, const ConnectionOptions& conn) {
  v::InForceRequest req;
  if (!o.on.empty() && !TimeUtil::FromString(o.on, req.mutable_at())) {
    std::cerr << "error: --at must be an RFC 3339 instant such as 2025-03-04T09:30:00+01:00\n";
    return kExitUsage;
  }
  req.set_user(o.user);
  req.set_system(o.system);
  req.set_unit(o.unit);
  SetAsOf(o, req.mutable_as_of());
  Client client(conn);
  v::InForceResponse resp;
  grpc::Status st = client.access_rights().InForce(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, InForceDocument(resp, o.format))) return kExitUsage;
  std::cerr << resp.rights_size() << " access rights in force at " << TimeUtil::ToString(resp.at())
            << ", as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

}  // namespace

void AddAccessRightReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto st = std::make_shared<ModuleReportOptions>();
  AddStatistics(report, "behorigheter",
                "Access rights (behörigheter) in a year (or --from/--to): ordered, granted (within the deadline\n"
                "or not), withdrawn, reviewed (kept, narrowed, removed), narrowed and removed (per reason, late\n"
                "or not); at the period's end the rights in force per system and unit, their users, and the\n"
                "reviews and removals overdue.",
                st)
      ->callback([st, conn, exit_code] {
        *exit_code = RunStatistics<v::AccessRightStatistics>(
            *st, *conn,
            [](Client& c, grpc::ClientContext& ctx, const sparbar::v1::deviations::StatisticsRequest& r, auto* out) {
              return c.access_right_reports().Statistics(&ctx, r, out);
            });
      });

  auto due_options = std::make_shared<ModuleReportOptions>();
  CLI::App* due = report.add_subcommand(
      "behorigheter-frister",
      "The access right steps due on a day: grants, narrowings and removals the specialist has yet to carry\n"
      "out, and periodic reviews the unit manager has yet to make; with the days left, negative when past.");
  due->add_option("--on", due_options->on,
                  "The day, YYYY-MM-DD (default: today in Sweden); a past day is judged on what the log knew at\n"
                  "its end, unless --known-at or --as-of-position says otherwise");
  due->add_option("--within-days", due_options->days, "Also list what falls due this many days later")
      ->check(CLI::Range(0, 3650));
  due->add_option("--unit", due_options->unit, "Only rights covering this unit");
  due->add_option("--system", due_options->system, "Only rights in this system");
  AddFormatOption(due, &due_options->format, {"csv", "json"});
  AddAsOf(due, due_options.get());
  due->callback([due_options, conn, exit_code] { *exit_code = RunDue(*due_options, *conn); });

  auto in_force_options = std::make_shared<ModuleReportOptions>();
  CLI::App* in_force = report.add_subcommand(
      "behorigheter-i-kraft",
      "The access rights in force at an instant: granted by then and not yet removed, with the units in\n"
      "force then. By default as the log knows it now; --known-at or --as-of-position shows what it knew then.");
  in_force->add_option("--at", in_force_options->on, "The instant, RFC 3339 (default: now)");
  in_force->add_option("--user", in_force_options->user, "Only this user (HSA-id)");
  in_force->add_option("--system", in_force_options->system, "Only this system");
  in_force->add_option("--unit", in_force_options->unit, "Only rights covering this unit");
  AddFormatOption(in_force, &in_force_options->format, {"csv", "json"});
  AddAsOf(in_force, in_force_options.get());
  in_force->callback([in_force_options, conn, exit_code] { *exit_code = RunInForce(*in_force_options, *conn); });
}

}  // namespace sparbar::cli
