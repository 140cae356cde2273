// sparbar report: reports computed by a running server.
//   ej-verkstallda         the quarterly report of favourable decisions not
//                          executed in time, as CSV, JSON or HTML
//   submit-ej-verkstallda  the same, recorded in the log as sent to IVO, the
//                          auditors or the council on a date
//   reproduce              a submitted report computed again from the log,
//                          checked byte for byte against what was sent
// The waiting lists are in waiting_command.cc.
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "eventstore/event.h"
#include "tools/cli/commands.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace d = sparbar::v1::decisions;

struct ReportOptions {
  std::string quarter;
  int threshold_months = -1;  // -1: the server's default
  std::vector<std::string> lagrum_thresholds;  // "LAGRUM=MONTHS"
  std::string known_at;
  std::string format = "csv";
  std::string output;  // empty: stdout
  // submit-ej-verkstallda
  std::string recipient;
  std::string submitted_on;
  std::string event_id;  // empty: a new one
  // reproduce
  uint64_t position = 0;
};

const std::map<std::string, d::ReportFormat> kFormats = {
    {"csv", d::REPORT_FORMAT_CSV}, {"json", d::REPORT_FORMAT_JSON}, {"html", d::REPORT_FORMAT_HTML}};
const std::map<std::string, d::Recipient> kRecipients = {{"ivo", d::RECIPIENT_IVO},
                                                         {"revisorer", d::RECIPIENT_REVISORER},
                                                         {"kommunfullmaktige", d::RECIPIENT_KOMMUNFULLMAKTIGE}};

// The request the options describe; false (with a message) for a malformed
// --lagrum-threshold.
bool BuildRequest(const ReportOptions& o, d::EjVerkstalldaRequest* req) {
  req->set_quarter(o.quarter);
  if (o.threshold_months >= 0) req->set_threshold_months(static_cast<uint32_t>(o.threshold_months));
  for (const auto& spec : o.lagrum_thresholds) {
    const size_t eq = spec.rfind('=');
    int months = -1;
    try {
      if (eq != std::string::npos && eq > 0) months = std::stoi(spec.substr(eq + 1));
    } catch (const std::exception&) {
    }
    if (months < 0 || months > 120) {
      std::cerr << "error: --lagrum-threshold wants LAGRUM=MONTHS (0 to 120), e.g. \"9 § 9 LSS=6\"\n";
      return false;
    }
    (*req->mutable_threshold_months_by_lagrum())[spec.substr(0, eq)] = static_cast<uint32_t>(months);
  }
  req->set_known_at(o.known_at);
  req->set_format(kFormats.at(o.format));
  return true;
}

int RunEjVerkstallda(const ReportOptions& o, const ConnectionOptions& conn) {
  d::EjVerkstalldaRequest req;
  if (!BuildRequest(o, &req)) return kExitUsage;
  Client client(conn);
  d::EjVerkstalldaResponse resp;
  grpc::Status st = client.reports().EjVerkstallda(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  if (!o.output.empty()) std::cerr << "wrote " << resp.rows_size() << " decisions to " << o.output << "\n";
  return kExitOk;
}

int RunSubmit(const ReportOptions& o, const ConnectionOptions& conn) {
  d::SubmitEjVerkstalldaRequest req;
  if (!BuildRequest(o, req.mutable_report())) return kExitUsage;
  req.set_recipient(kRecipients.at(o.recipient));
  req.set_submitted_date(o.submitted_on);
  // The id makes a retry safe: after a timeout, run the same command with
  // --event-id and the submission is recorded once.
  req.set_event_id(o.event_id.empty() ? Uuid::Random().ToString() : o.event_id);
  std::cerr << "submission id " << req.event_id() << "\n";
  Client client(conn);
  d::SubmitEjVerkstalldaResponse resp;
  grpc::Status st = client.reports().SubmitEjVerkstallda(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::cerr << (resp.duplicate() ? "already recorded" : "recorded") << " submission at position " << resp.position()
            << ": " << resp.submission().rows() << " decisions, " << resp.submission().document_bytes()
            << " bytes, sha256 " << resp.submission().document_sha256() << "\n";
  if (!WriteOutput(o.output, resp.document())) {
    std::cerr << "the submission is recorded; write its document again with `sparbar report reproduce --position "
              << resp.position() << " --output FILE`\n";
    return kExitFailed;
  }
  return kExitOk;
}

int RunReproduce(const ReportOptions& o, const ConnectionOptions& conn) {
  d::ReproduceSubmissionRequest req;
  req.set_position(o.position);
  Client client(conn);
  d::ReproduceSubmissionResponse resp;
  grpc::Status st = client.reports().ReproduceSubmission(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  const auto& s = resp.submission();
  std::cerr << "submission of " << s.quarter() << " on " << s.submitted_date() << " to "
            << d::Recipient_Name(s.recipient()) << ", recorded by " << resp.submitted_by() << ", as of log position "
            << s.as_of_position() << "\n";
  if (!resp.identical()) {
    std::cerr << "DIFFERS: computed again, sha256 " << resp.document_sha256() << "; submitted, sha256 "
              << s.document_sha256() << " (rendered then by " << s.renderer() << ", now by " << resp.renderer() << ")\n";
    return kExitFailed;
  }
  std::cerr << "identical to the document submitted, byte for byte (sha256 " << s.document_sha256() << ")\n";
  return kExitOk;
}

void AddReportOptions(CLI::App* cmd, ReportOptions* o) {
  cmd->add_option("--quarter", o->quarter, "The quarter, e.g. 2024Q1")->required();
  cmd->add_option("--threshold-months", o->threshold_months, "Months a wait may last before it is reported (default 3)")
      ->check(CLI::Range(0, 120));
  cmd->add_option("--lagrum-threshold", o->lagrum_thresholds,
                  "LAGRUM=MONTHS: another threshold for one lagrum, e.g. \"9 § 9 LSS=6\" (repeatable)");
  cmd->add_option("--known-at", o->known_at,
                  "A date YYYY-MM-DD: report what the log knew at the end of that day in Sweden (default: everything "
                  "recorded so far)");
  AddFormatOption(cmd, &o->format, {"csv", "json", "html"});
  cmd->add_option("--output", o->output, "Write to this file instead of stdout");
}

}  // namespace

void AddReportCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* report = app.add_subcommand("report", "Reports computed from the log by a running server");
  report->require_subcommand(1);

  auto ev_opts = std::make_shared<ReportOptions>();
  CLI::App* ev = report->add_subcommand(
      "ej-verkstallda",
      "Favourable decisions not executed within the threshold (default three months) of the\n"
      "decision date, and executions interrupted for longer, for one quarter: the report to IVO,\n"
      "the auditors and the council. One row per decision, with totals by sex, children and lagrum.");
  AddReportOptions(ev, ev_opts.get());
  ev->callback([ev_opts, conn, exit_code] { *exit_code = RunEjVerkstallda(*ev_opts, *conn); });

  auto sub_opts = std::make_shared<ReportOptions>();
  CLI::App* sub = report->add_subcommand(
      "submit-ej-verkstallda",
      "Records in the log that the ej verkställda report was sent to a recipient on a date, and\n"
      "writes the document sent. The log keeps what it takes to reproduce it (see `reproduce`).");
  AddReportOptions(sub, sub_opts.get());
  sub->add_option("--to", sub_opts->recipient, "ivo, revisorer or kommunfullmaktige")
      ->required()
      ->check(CLI::IsMember({"ivo", "revisorer", "kommunfullmaktige"}));
  sub->add_option("--submitted-on", sub_opts->submitted_on, "The date it was sent, YYYY-MM-DD")->required();
  sub->add_option("--event-id", sub_opts->event_id,
                  "The submission's id (UUID), to retry one whose answer was lost (default: a new id, printed)");
  sub->callback([sub_opts, conn, exit_code] { *exit_code = RunSubmit(*sub_opts, *conn); });

  auto rep_opts = std::make_shared<ReportOptions>();
  CLI::App* rep = report->add_subcommand(
      "reproduce",
      "Computes a submitted report again from the log and checks it is byte for byte the\n"
      "document that was sent (exit status 1 if it is not).");
  rep->add_option("--position", rep_opts->position, "The log position of the submission")->required();
  rep->add_option("--output", rep_opts->output, "Write the document to this file instead of stdout");
  rep->callback([rep_opts, conn, exit_code] { *exit_code = RunReproduce(*rep_opts, *conn); });

  AddWaitingReports(*report, conn, exit_code);
  AddDeviationReports(*report, conn, exit_code);
  AddComplaintReports(*report, conn, exit_code);
  AddIncidentReports(*report, conn, exit_code);
  AddAccessRightReports(*report, conn, exit_code);
  AddCommitteeReports(*report, conn, exit_code);
  AddDelegationReports(*report, conn, exit_code);
  AddStatementReports(*report, conn, exit_code);
  AddLogReviewReport(*report, conn, exit_code);
}

}  // namespace sparbar::cli
