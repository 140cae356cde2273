// sparbar report ej-verkstallda: the quarterly report of favourable decisions
// not executed in time, from a running server, as CSV, JSON or HTML.
#include <fstream>
#include <iostream>
#include <memory>

#include "tools/cli/commands.h"
#include "tools/cli/report_render.h"

namespace sparbar::cli {
namespace {

struct ReportOptions {
  std::string quarter;
  int threshold_months = -1;  // -1: the server's default
  std::string known_at;
  std::string format = "csv";
  std::string output;  // empty: stdout
};

int RunEjVerkstallda(const ReportOptions& o, const ConnectionOptions& conn) {
  Client client(conn);
  sparbar::v1::decisions::EjVerkstalldaRequest req;
  req.set_quarter(o.quarter);
  if (o.threshold_months >= 0) req.set_threshold_months(static_cast<uint32_t>(o.threshold_months));
  req.set_known_at(o.known_at);
  sparbar::v1::decisions::EjVerkstalldaResponse resp;
  auto ctx = client.NewContext();
  grpc::Status st = client.decisions().EjVerkstallda(ctx.get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);

  const std::string text = o.format == "json"   ? RenderEjVerkstalldaJson(resp)
                           : o.format == "html" ? RenderEjVerkstalldaHtml(resp)
                                                : RenderEjVerkstalldaCsv(resp);
  if (o.output.empty()) {
    std::cout << text << std::flush;
  } else {
    std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::cerr << "error: cannot write " << o.output << "\n";
      return kExitUsage;
    }
    std::cerr << "wrote " << resp.rows_size() << " decisions to " << o.output << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* report = app.add_subcommand("report", "Reports computed from the log by a running server");
  report->require_subcommand(1);
  auto o = std::make_shared<ReportOptions>();
  CLI::App* ev = report->add_subcommand(
      "ej-verkstallda",
      "Favourable decisions not executed within the threshold (default three months) of the\n"
      "decision date, and executions interrupted for longer, for one quarter: the report to IVO,\n"
      "the auditors and the council. One row per decision, with totals by sex, children and lagrum.");
  ev->add_option("--quarter", o->quarter, "The quarter, e.g. 2024Q1")->required();
  ev->add_option("--threshold-months", o->threshold_months, "Months a wait may last before it is reported")
      ->check(CLI::Range(0, 120));
  ev->add_option("--known-at", o->known_at,
                 "A date YYYY-MM-DD: report what the log knew at the end of that day (default: everything "
                 "recorded so far)");
  ev->add_option("--format", o->format, "csv, json or html")
      ->check(CLI::IsMember({"csv", "json", "html"}))
      ->capture_default_str();
  ev->add_option("--output", o->output, "Write to this file instead of stdout");
  ev->callback([o, conn, exit_code] { *exit_code = RunEjVerkstallda(*o, *conn); });
}

}  // namespace sparbar::cli
