// sparbar report sammantraden / sammantraden-frister: the committee's
// reports, computed by a running server from the log as it stood at one
// position (named on stderr).
//   sammantraden          meetings held in a period: paragraphs, diarienummer
//                         forms, reservations, immediate attestations,
//                         protocols attested and notices posted in time
//   sammantraden-frister  protocols awaiting attestation or their notice
#include <iostream>
#include <memory>

#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::committee;

int RunDue(const ModuleReportOptions& o, const ConnectionOptions& conn) {
  v::DueRequest req;
  req.set_on(o.on);
  req.set_body(o.unit);
  SetAsOf(o, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.format));
  Client client(conn);
  v::DueResponse resp;
  grpc::Status st = client.committee_reports().Due(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  int past = 0;
  for (const auto& s : resp.steps()) past += s.days_left() < 0;
  std::cerr << resp.steps_size() << " protocols awaiting attestation or notice on " << resp.on() << ", " << past
            << " past their day, as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

}  // namespace

void AddCommitteeReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto st = std::make_shared<ModuleReportOptions>();
  AddStatistics(report, "sammantraden",
                "The committee's meetings (sammanträden) in a year (or --from/--to): paragraphs, with a\n"
                "diarienummer and per form, reservations and protocol notes, paragraphs attested at once,\n"
                "protocols attested and notices (anslag) posted within the configured days; per body and month.",
                st)
      ->callback([st, conn, exit_code] {
        *exit_code = RunStatistics<v::CommitteeStatistics>(
            *st, *conn,
            [](Client& c, grpc::ClientContext& ctx, const sparbar::v1::deviations::StatisticsRequest& r, auto* out) {
              return c.committee_reports().Statistics(&ctx, r, out);
            });
      });

  auto due_options = std::make_shared<ModuleReportOptions>();
  CLI::App* due = report.add_subcommand(
      "sammantraden-frister",
      "The protocols awaiting attestation (justering) or the posting of its notice (anslag) on a day, with\n"
      "the days left, negative when past.");
  due->add_option("--on", due_options->on,
                  "The day, YYYY-MM-DD (default: today in Sweden); a past day is judged on what the log knew at\n"
                  "its end, unless --known-at or --as-of-position says otherwise");
  due->add_option("--body", due_options->unit, "Only this body (organ), e.g. Socialnämnden");
  AddFormatOption(due, &due_options->format, {"csv", "json"});
  AddAsOf(due, due_options.get());
  due->callback([due_options, conn, exit_code] { *exit_code = RunDue(*due_options, *conn); });
}

}  // namespace sparbar::cli
