// sparbar report delegationsordning / delegationsbeslut: the delegation
// module's reports, computed by a running server from the log as it stood
// at one position (named on stderr).
//   delegationsordning  the points of a delegation order in force on a day
//   delegationsbeslut   the decisions taken under delegation in a period,
//                       the list the committee is informed of (anmälan av
//                       delegationsbeslut), with counts per point, delegate
//                       and month
#include <iostream>
#include <memory>

#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::delegation;

struct OrderOptions {
  ModuleReportOptions report;
  std::string order_id;
  bool unreported = false;
};

int RunOrder(const OrderOptions& o, const ConnectionOptions& conn) {
  v::OrderInForceRequest req;
  req.set_order_id(o.order_id);
  req.set_on(o.report.on);
  SetAsOf(o.report, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.report.format));
  Client client(conn);
  v::OrderInForceResponse resp;
  grpc::Status st = client.delegation_reports().OrderInForce(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.report.output, resp.document())) return kExitUsage;
  std::cerr << "delegation order " << resp.order_id() << " on " << resp.on() << ": version " << resp.version()
            << ", in force from " << resp.valid_from() << ", " << resp.points_size() << " points, as of log position "
            << resp.as_of_position() << "\n";
  return kExitOk;
}

int RunDecisions(const OrderOptions& o, const ConnectionOptions& conn) {
  v::DecisionsRequest req;
  *req.mutable_period() = StatisticsRequestOf(o.report);
  req.set_unreported_only(o.unreported);
  req.set_order_id(o.order_id);
  Client client(conn);
  v::DecisionsReport resp;
  grpc::Status st = client.delegation_reports().Decisions(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.report.output, resp.document())) return kExitUsage;
  std::cerr << resp.decisions() << " delegation decisions " << resp.period_start() << " – " << resp.period_end()
            << ", " << resp.unreported() << " not reported to the committee, as of log position "
            << resp.as_of_position() << "\n";
  if (resp.unreadable_events() > 0) {
    std::cerr << "warning: " << resp.unreadable_events() << " events of the module's streams could not be read\n";
  }
  return kExitOk;
}

}  // namespace

void AddDelegationReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto order = std::make_shared<OrderOptions>();
  CLI::App* order_cmd = report.add_subcommand(
      "delegationsordning",
      "The points of a delegation order (delegationsordning) in force on a day: punkt, ärende, lagrum and\n"
      "delegat, with the version they come from and every version recorded.");
  order_cmd->add_option("--order", order->order_id, "The order's id, e.g. socialnamnden")->required();
  order_cmd->add_option("--on", order->report.on, "The day, YYYY-MM-DD (default: today in Sweden)");
  AddFormatOption(order_cmd, &order->report.format, {"csv", "json", "html"});
  AddAsOf(order_cmd, &order->report);
  order_cmd->callback([order, conn, exit_code] { *exit_code = RunOrder(*order, *conn); });

  auto decisions = std::make_shared<OrderOptions>();
  auto report_options = std::shared_ptr<ModuleReportOptions>(decisions, &decisions->report);
  CLI::App* decisions_cmd = AddStatistics(
      report, "delegationsbeslut",
      "Decisions taken under delegation (delegationsbeslut) in a year (or --from/--to): the list the\n"
      "committee is informed of (anmälan av delegationsbeslut), each with its point, lagrum, delegate and the\n"
      "meeting it was reported to; counts per point, delegate and month.",
      report_options);
  decisions_cmd->add_flag("--unreported", decisions->unreported,
                          "List only the decisions not yet reported to the committee (the counts cover all)");
  decisions_cmd->add_option("--order", decisions->order_id, "Only decisions under this delegation order");
  decisions_cmd->callback([decisions, conn, exit_code] { *exit_code = RunDecisions(*decisions, *conn); });
}

}  // namespace sparbar::cli
