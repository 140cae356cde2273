// sparbar gallring plan: which people's files are due for disposal as of a
// day, and why (Gallring.Plan), as CSV or JSON; people by pseudonym only.
#include <iostream>
#include <memory>
#include <sstream>

#include "services/common/report_document.h"
#include "services/decisions/report_text.h"
#include "tools/cli/commands.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace g = sparbar::v1::gallring;

struct PlanOptions {
  std::string as_of;
  std::string format = "csv";
  std::string output;
};

int RunPlan(const PlanOptions& o, const ConnectionOptions& conn) {
  g::PlanRequest req;
  req.set_as_of(o.as_of);
  Client client(conn);
  g::PlanResponse resp;
  grpc::Status st = client.gallring().Plan(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::ostringstream out;
  if (o.format == "json") {
    auto json = ReportJson(resp);
    if (!json.ok()) return ReportRpcError(grpc::Status(grpc::StatusCode::INTERNAL, json.status().message()));
    out << *json;
  } else {
    out << "pseudonym,beslut,gallringsplikt,senast,forsenad,skal\r\n";
    for (const auto& e : resp.entries()) {
      out << e.pseudonym() << "," << e.verdict() << "," << e.due() << "," << e.deadline() << ","
          << (e.overdue() ? "ja" : "nej") << "," << decisions::CsvField(e.reason()) << "\r\n";
    }
  }
  std::cerr << resp.to_dispose() << " of " << resp.entries_size() << " files to be disposed of as of " << resp.as_of()
            << " (log position " << resp.as_of_position() << "; " << resp.unnamed_cases()
            << " cases name no valid personnummer)\n";
  return WriteOutput(o.output, out.str()) ? kExitOk : kExitUsage;
}

}  // namespace

void AddGallringCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* gallring = app.add_subcommand("gallring", "Retention and disposal (gallring) of people's files");
  gallring->require_subcommand(1);
  auto opts = std::make_shared<PlanOptions>();
  CLI::App* plan = gallring->add_subcommand(
      "plan", "Which files are due for disposal as of a day, and why; people by pseudonym only");
  plan->add_option("--as-of", opts->as_of, "The day, YYYY-MM-DD (default: today in Sweden)");
  AddFormatOption(plan, &opts->format, {"csv", "json"});
  plan->add_option("--output", opts->output, "Write to this file instead of stdout");
  plan->callback([opts, conn, exit_code] { *exit_code = RunPlan(*opts, *conn); });
}

}  // namespace sparbar::cli
