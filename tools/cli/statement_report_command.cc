// sparbar report yttranden / yttranden-frister: the requests for statements
// (yttranden) from IVO, JO, Patientnämnden and others, computed by a running
// server from the log as it stood at one position (named on stderr).
//   yttranden          requests received in a period, per authority and
//                      subject; statements sent, sent in time, open
//   yttranden-frister  the requests awaiting a statement on a day
#include <iostream>
#include <map>
#include <memory>

#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::statements;

const std::map<std::string, v::Authority> kAuthorities = {{"ivo", v::AUTHORITY_IVO},
                                                          {"jo", v::AUTHORITY_JO},
                                                          {"patientnamnden", v::AUTHORITY_PATIENTNAMNDEN},
                                                          {"other", v::AUTHORITY_OTHER}};

struct DueOptions {
  ModuleReportOptions report;
  std::string authority;
};

int RunDue(const DueOptions& o, const ConnectionOptions& conn) {
  v::DueRequest req;
  req.set_on(o.report.on);
  if (!o.authority.empty()) req.set_authority(kAuthorities.at(o.authority));
  SetAsOf(o.report, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.report.format));
  Client client(conn);
  v::DueResponse resp;
  grpc::Status st = client.statement_reports().Due(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.report.output, resp.document())) return kExitUsage;
  int past = 0;
  for (const auto& s : resp.statements()) past += s.days_left() < 0;
  std::cerr << resp.statements_size() << " requests awaiting a statement on " << resp.on() << ", " << past
            << " past their due date, as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

}  // namespace

void AddStatementReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto st = std::make_shared<ModuleReportOptions>();
  AddStatistics(report, "yttranden",
                "Requests for statements (yttranden) received in a year (or --from/--to): per authority (IVO, JO,\n"
                "Patientnämnden, others) and subject, statements sent and sent by the due date, requests without a\n"
                "statement at the period's end, closed with criticism.",
                st)
      ->callback([st, conn, exit_code] {
        *exit_code = RunStatistics<v::StatementStatistics>(
            *st, *conn,
            [](Client& c, grpc::ClientContext& ctx, const sparbar::v1::deviations::StatisticsRequest& r, auto* out) {
              return c.statement_reports().Statistics(&ctx, r, out);
            });
      });

  auto due = std::make_shared<DueOptions>();
  CLI::App* due_cmd = report.add_subcommand(
      "yttranden-frister",
      "The requests for statements awaiting one on a day, with the due date and the days left, negative when\n"
      "past.");
  due_cmd->add_option("--on", due->report.on,
                      "The day, YYYY-MM-DD (default: today in Sweden); a past day is judged on what the log knew at\n"
                      "its end, unless --known-at or --as-of-position says otherwise");
  due_cmd->add_option("--authority", due->authority, "Only this authority")
      ->check(CLI::IsMember({"ivo", "jo", "patientnamnden", "other"}));
  AddFormatOption(due_cmd, &due->report.format, {"csv", "json"});
  AddAsOf(due_cmd, &due->report);
  due_cmd->callback([due, conn, exit_code] { *exit_code = RunDue(*due, *conn); });
}

}  // namespace sparbar::cli
