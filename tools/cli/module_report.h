// What the module report commands share (deviation_report_command.cc,
// complaint_report_command.cc): their options (a period as --year or --from
// and --to, --format, which state of the log with --known-at or
// --as-of-position, --output, and a day and filters for the lists), the
// request they make of them, and running a statistics method. A statistics
// report message has period_start, period_end, as_of_position,
// unreadable_events and document fields.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "sparbar/v1/decisions_reports.pb.h"
#include "sparbar/v1/deviations_reports_service.pb.h"
#include "tools/cli/client.h"
#include "tools/cli/commands.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {

extern const std::map<std::string, sparbar::v1::decisions::ReportFormat> kReportFormats;

struct ModuleReportOptions {
  int year = 0;
  std::string from, to;
  std::string known_at;
  int64_t as_of_position = -1;  // -1: not given
  std::string format = "csv";
  std::string output;
  // The lists judged on a day (overdue steps, stale plans, reminders).
  std::string on, unit, role, responsible, system, user;
  bool all = false;
  int days = 0;  // 0: the server's configured default
};

void SetAsOf(const ModuleReportOptions& o, sparbar::v1::deviations::AsOf* as_of);
sparbar::v1::deviations::StatisticsRequest StatisticsRequestOf(const ModuleReportOptions& o);

// --known-at, --as-of-position and --output on `cmd`.
void AddAsOf(CLI::App* cmd, ModuleReportOptions* o);
// A statistics subcommand `name` of `report`: --year or --from/--to, --format csv|json|html, AddAsOf.
CLI::App* AddStatistics(CLI::App& report, const char* name, const char* help,
                        std::shared_ptr<ModuleReportOptions> o);

// Calls one of the statistics methods, writes its document and names the
// period and log position on stderr.
template <class Report, class Call>
int RunStatistics(const ModuleReportOptions& o, const ConnectionOptions& conn, Call call) {
  Client client(conn);
  Report resp;
  grpc::Status st = call(client, *client.NewContext(), StatisticsRequestOf(o), &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  std::cerr << "period " << resp.period_start() << " – " << resp.period_end() << ", as of log position "
            << resp.as_of_position() << "\n";
  if (resp.unreadable_events() > 0) {
    std::cerr << "warning: " << resp.unreadable_events() << " events of the module's streams could not be read\n";
  }
  return kExitOk;
}

}  // namespace sparbar::cli
