// sparbar report personuppgiftsincidenter / personuppgiftsincidenter-frister:
// the personal data incidents' reports, computed by a running server from
// the log as it stood at one position (named on stderr).
//   personuppgiftsincidenter          incidents discovered in a period: reported
//                                     within the deadline (24 hours by default),
//                                     assessed, notified to IMY within 72 hours
//                                     (by default) or not (with reasons)
//   personuppgiftsincidenter-frister  the open incidents whose IMY deadline
//                                     still binds, with the hours left or past
#include <google/protobuf/util/time_util.h>

#include <iostream>
#include <memory>

#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::incidents;

int RunDeadlines(const ModuleReportOptions& o, const ConnectionOptions& conn) {
  v::DeadlinesRequest req;
  if (!o.on.empty() && !google::protobuf::util::TimeUtil::FromString(o.on, req.mutable_at())) {
    std::cerr << "error: --at must be an RFC 3339 instant such as 2025-03-04T09:30:00+01:00\n";
    return kExitUsage;
  }
  req.set_unit(o.unit);
  SetAsOf(o, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.format));
  Client client(conn);
  v::DeadlinesResponse resp;
  grpc::Status st = client.incident_reports().Deadlines(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  int past = 0;
  for (const auto& d : resp.deadlines()) past += d.hours_left() < 0;
  std::cerr << resp.deadlines_size() << " open incidents with an IMY deadline, " << past << " past it, at "
            << google::protobuf::util::TimeUtil::ToString(resp.at()) << ", as of log position " << resp.as_of_position()
            << "\n";
  return kExitOk;
}

}  // namespace

void AddIncidentReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto st = std::make_shared<ModuleReportOptions>();
  AddStatistics(report, "personuppgiftsincidenter",
                "Personal data incidents (personuppgiftsincidenter) discovered in a year (or --from/--to):\n"
                "reported within the deadline (24 hours by default) or late, assessed, notified to IMY within\n"
                "72 hours of awareness (by default) or late, not notified (with reasons), closed; per risk,\n"
                "kind, category, unit, month and year.",
                st)
      ->callback([st, conn, exit_code] {
        *exit_code = RunStatistics<v::IncidentStatistics>(
            *st, *conn, [](Client& c, grpc::ClientContext& ctx, const sparbar::v1::deviations::StatisticsRequest& r,
                           auto* out) { return c.incident_reports().Statistics(&ctx, r, out); });
      });

  auto dl = std::make_shared<ModuleReportOptions>();
  CLI::App* deadlines = report.add_subcommand(
      "personuppgiftsincidenter-frister",
      "The open personal data incidents whose IMY deadline (72 hours from awareness by default) still\n"
      "binds: not yet assessed, or to be notified and not yet; with the hours left, negative when past.");
  deadlines->add_option("--at", dl->on,
                        "The instant to judge at, RFC 3339 (default: now); a past instant is judged on what the log\n"
                        "knew at the end of its day, unless --known-at or --as-of-position says otherwise");
  deadlines->add_option("--unit", dl->unit, "Only this unit");
  AddFormatOption(deadlines, &dl->format, {"csv", "json"});
  AddAsOf(deadlines, dl.get());
  deadlines->callback([dl, conn, exit_code] { *exit_code = RunDeadlines(*dl, *conn); });
}

}  // namespace sparbar::cli
