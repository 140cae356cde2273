// sparbar gallring plan: which people's files are due for disposal as of a
// day, and why (Gallring.Plan), as CSV or JSON; people by pseudonym only.
// sparbar gallring run: disposes of them (Gallring.Run), given the number
// the plan showed, so that nothing is disposed of that was not reviewed.
// sparbar gallring hold / release: legal holds (Gallring.PlaceHold, ReleaseHold).
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
            << " cases name no valid personnummer; " << resp.disposed_cases() << " are disposed of already)\n";
  return WriteOutput(o.output, out.str()) ? kExitOk : kExitUsage;
}

struct RunOptions {
  std::string as_of;
  uint64_t expect = 0;
};

int RunDisposal(const RunOptions& o, const ConnectionOptions& conn) {
  g::RunRequest req;
  req.set_as_of(o.as_of);
  req.set_expect_to_dispose(o.expect);
  Client client(conn);
  g::RunResponse resp;
  std::cerr << "disposing of " << o.expect << " files: recording each, then destroying their keys...\n";
  grpc::Status st = client.gallring().Run(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cout << resp.disposed() << " files disposed of as of " << resp.as_of() << " (plan made at log position "
            << resp.as_of_position() << ")";
  if (resp.disposed() > 0) {
    std::cout << "; PersonDisposed events at positions " << resp.first_position() << "-" << resp.last_position();
  }
  std::cout << "\n";
  return kExitOk;
}

struct HoldOptions {
  std::string id, person, reason;
};

int RunHold(const HoldOptions& o, const ConnectionOptions& conn, bool place) {
  Client client(conn);
  g::HoldResponse resp;
  grpc::Status st;
  if (place) {
    g::PlaceHoldRequest req;
    req.set_hold_id(o.id);
    req.set_personal_identity_number(o.person);
    req.set_reason(o.reason);
    st = client.gallring().PlaceHold(client.NewContext().get(), req, &resp);
  } else {
    g::ReleaseHoldRequest req;
    req.set_hold_id(o.id);
    req.set_reason(o.reason);
    st = client.gallring().ReleaseHold(client.NewContext().get(), req, &resp);
  }
  if (!st.ok()) return ReportRpcError(st);
  std::cout << "hold " << o.id << (place ? " placed" : " released") << " (log position " << resp.position() << ")\n";
  return kExitOk;
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
  auto run_opts = std::make_shared<RunOptions>();
  CLI::App* run = gallring->add_subcommand(
      "run", "Dispose of the files due as of today (or an earlier day): their keys destroyed, the events kept");
  run->add_option("--as-of", run_opts->as_of, "The day, YYYY-MM-DD, not after today (default: today in Sweden)");
  run->add_option("--expect", run_opts->expect,
                  "How many files the plan you reviewed disposes of (its to_dispose); refused if it differs")
      ->required();
  run->callback([run_opts, conn, exit_code] { *exit_code = RunDisposal(*run_opts, *conn); });
  auto hold_opts = std::make_shared<HoldOptions>();
  CLI::App* hold = gallring->add_subcommand(
      "hold", "Place a legal hold (spärr) on a person's file: it is not disposed of until the hold is released");
  hold->add_option("--id", hold_opts->id, "The hold's id (letters, digits, '-' and '_'), e.g. a diarienummer")
      ->required();
  hold->add_option("--person", hold_opts->person, "The person's personnummer or samordningsnummer")->required();
  hold->add_option("--reason", hold_opts->reason, "Why, without personal data")->required();
  hold->callback([hold_opts, conn, exit_code] { *exit_code = RunHold(*hold_opts, *conn, true); });
  auto release_opts = std::make_shared<HoldOptions>();
  CLI::App* release = gallring->add_subcommand("release", "Release a legal hold");
  release->add_option("--id", release_opts->id, "The hold's id")->required();
  release->add_option("--reason", release_opts->reason, "Why, without personal data")->required();
  release->callback([release_opts, conn, exit_code] { *exit_code = RunHold(*release_opts, *conn, false); });
}

}  // namespace sparbar::cli
