// sparbar report klagomal / klagomal-paminnelser: the complaints module's
// reports (synpunkter och klagomål), computed by a running server from the
// log as it stood at one position (named on stderr; --as-of-position asks
// for it again).
//   klagomal               cases received in a year: kinds, channels,
//                          submitters, sex, areas, answer times, actions,
//                          deviations, units, months and the trend
//   klagomal-paminnelser   the reminders due on a day: answers overdue, and
//                          cases answered but left open
#include <iostream>
#include <memory>

#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::complaints;

int RunReminders(const ModuleReportOptions& o, const ConnectionOptions& conn) {
  v::RemindersRequest req;
  req.set_on(o.on);
  req.set_unit(o.unit);
  req.set_responsible(o.responsible);
  SetAsOf(o, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.format));
  Client client(conn);
  v::RemindersResponse resp;
  grpc::Status st = client.complaint_reports().Reminders(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  int now = 0;
  for (const auto& r : resp.reminders()) now += r.remind_now();
  std::cerr << resp.reminders_size() << " cases need a reminder on " << resp.on() << " (" << now
            << " not reminded within " << resp.remind_again_days() << " days), as of log position "
            << resp.as_of_position() << "\n";
  return kExitOk;
}

}  // namespace

void AddComplaintReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto st = std::make_shared<ModuleReportOptions>();
  AddStatistics(report, "klagomal",
                "Synpunkter och klagomål received in a year: kinds, channels (the e-service apart), sex and\n"
                "kind of submitter, areas, answer times (two and four weeks by default), actions, cases that\n"
                "became deviations, units, months and the yearly trend, each with its share of the cases.",
                st)
      ->callback([st, conn, exit_code] {
        *exit_code = RunStatistics<v::ComplaintStatistics>(
            *st, *conn, [](Client& c, grpc::ClientContext& ctx, const sparbar::v1::deviations::StatisticsRequest& r,
                           auto* out) { return c.complaint_reports().Statistics(&ctx, r, out); });
      });

  auto rm = std::make_shared<ModuleReportOptions>();
  CLI::App* reminders = report.add_subcommand(
      "klagomal-paminnelser",
      "The complaint cases that need a reminder to their responsible officer on a day: the answer\n"
      "overdue, or answered but not closed within the configured days (config/klagomal.json).");
  reminders->add_option("--on", rm->on,
                        "The day to judge on, YYYY-MM-DD (default: today in Sweden); a past day is judged on what\n"
                        "the log knew at its end, unless --known-at or --as-of-position says otherwise");
  reminders->add_option("--unit", rm->unit, "Only this unit");
  reminders->add_option("--responsible", rm->responsible, "Only this officer's cases");
  AddFormatOption(reminders, &rm->format, {"csv", "json"});
  AddAsOf(reminders, rm.get());
  reminders->callback([rm, conn, exit_code] { *exit_code = RunReminders(*rm, *conn); });
}

}  // namespace sparbar::cli
