// sparbar report avvikelser / lex-sarah / lex-maria / overdue / stale-plans:
// the deviations module's reports, computed by a running server from the log
// as it stood at one position (the server names it on stderr, and
// --as-of-position asks for it again).
//   avvikelser   deviations reported in a year: areas, severity, sex, unit,
//                domain, month and year; closed without investigation
//   lex-sarah    lex Sarah reports and their outcomes per level
//   lex-maria    lex Maria cases, reported to IVO or not
//   overdue      the steps open cases await past their due date (frister)
//   stale-plans  follow-up cases with no progress entry for a number of days
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "services/decisions/report_text.h"
#include "tools/cli/commands.h"
#include "tools/cli/module_report.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace v = sparbar::v1::deviations;
namespace d = sparbar::v1::decisions;

using Options = ModuleReportOptions;

int RunOverdue(const Options& o, const ConnectionOptions& conn) {
  v::OverdueRequest req;
  req.set_on(o.on);
  req.set_unit(o.unit);
  req.set_role(o.role);
  req.set_all(o.all);
  SetAsOf(o, req.mutable_as_of());
  req.set_format(kReportFormats.at(o.format));
  Client client(conn);
  v::OverdueResponse resp;
  grpc::Status st = client.deviation_reports().Overdue(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  if (!WriteOutput(o.output, resp.document())) return kExitUsage;
  int64_t overdue = 0;
  for (const auto& c : resp.overdue_by_role()) overdue += c.count();
  std::cerr << overdue << " steps overdue on " << resp.on() << ", as of log position " << resp.as_of_position();
  const char* separator = ": ";
  for (const auto& c : resp.overdue_by_role()) {
    std::cerr << separator << c.key() << " " << c.count();
    separator = ", ";
  }
  std::cerr << "\n";
  return kExitOk;
}

int RunStalePlans(const Options& o, const ConnectionOptions& conn) {
  v::StalePlansRequest req;
  req.set_on(o.on);
  if (o.days > 0) req.set_days(static_cast<uint32_t>(o.days));
  SetAsOf(o, req.mutable_as_of());
  Client client(conn);
  v::StalePlansResponse resp;
  grpc::Status st = client.deviation_reports().StalePlans(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::ostringstream out;
  out << "uppfoljningsarende,for_arende,enhet,sedan,dagar_utan_dokumentation,aldrig_dokumenterad\r\n";
  for (const auto& p : resp.plans()) {
    out << decisions::CsvField(p.stream()) << ',' << decisions::CsvField(p.origin_stream()) << ','
        << decisions::CsvField(p.unit()) << ',' << p.since() << ',' << p.days_without_progress() << ','
        << (p.never_documented() ? "ja" : "nej") << "\r\n";
  }
  if (!WriteOutput(o.output, out.str())) return kExitUsage;
  std::cerr << resp.plans_size() << " of " << resp.open_plans() << " open follow-up plans without progress for more than "
            << resp.days() << " days on " << resp.on() << ", as of log position " << resp.as_of_position() << "\n";
  return kExitOk;
}

}  // namespace

void AddDeviationReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto av = std::make_shared<Options>();
  AddStatistics(report, "avvikelser",
                "Deviations (avvikelser) reported in a year: per area (HSL, SoL/LSS), allvarlighetsgrad, sex,\n"
                "unit, legal domain, month and year; closed without investigation; open at the end; taken up\n"
                "in lex Sarah or lex Maria and reported to IVO. HTML has charts of the areas and the trend.",
                av)
      ->callback([av, conn, exit_code] {
        *exit_code = RunStatistics<v::AvvikelserReport>(*av, *conn, [](Client& c, grpc::ClientContext& ctx,
                                                                        const v::StatisticsRequest& r, auto* out) {
          return c.deviation_reports().Avvikelser(&ctx, r, out);
        });
      });
  auto ls = std::make_shared<Options>();
  AddStatistics(report, "lex-sarah",
                "Lex Sarah reports in a year, those undecided at its end, the outcomes per level, the\n"
                "notifications to IVO and the follow-up cases opened.",
                ls)
      ->callback([ls, conn, exit_code] {
        *exit_code = RunStatistics<v::LexSarahReport>(*ls, *conn, [](Client& c, grpc::ClientContext& ctx,
                                                                     const v::StatisticsRequest& r, auto* out) {
          return c.deviation_reports().LexSarah(&ctx, r, out);
        });
      });
  auto lm = std::make_shared<Options>();
  AddStatistics(report, "lex-maria",
                "Lex Maria cases opened in a year, investigations started, reported to IVO or not (with\n"
                "reasons), and open at its end.",
                lm)
      ->callback([lm, conn, exit_code] {
        *exit_code = RunStatistics<v::LexMariaReport>(*lm, *conn, [](Client& c, grpc::ClientContext& ctx,
                                                                     const v::StatisticsRequest& r, auto* out) {
          return c.deviation_reports().LexMaria(&ctx, r, out);
        });
      });

  auto od = std::make_shared<Options>();
  CLI::App* overdue = report.add_subcommand(
      "overdue",
      "The steps open deviations, lex Sarah and lex Maria cases and follow-up cases await past their\n"
      "due date by the configured deadlines (frister), per unit and role; --all lists every awaited\n"
      "step with its due date.");
  overdue->add_option("--on", od->on,
                      "The day to judge on, YYYY-MM-DD (default: today in Sweden); a past day is judged on what the\n"
                      "log knew at its end, unless --known-at or --as-of-position says otherwise");
  overdue->add_option("--unit", od->unit, "Only this unit");
  overdue->add_option("--role", od->role, "Only the steps this role answers for (e.g. enhetschef, sas, mas)");
  overdue->add_flag("--all", od->all, "Every awaited step, not only the overdue");
  AddFormatOption(overdue, &od->format, {"csv", "json"});
  AddAsOf(overdue, od.get());
  overdue->callback([od, conn, exit_code] { *exit_code = RunOverdue(*od, *conn); });

  auto sp = std::make_shared<Options>();
  CLI::App* stale = report.add_subcommand(
      "stale-plans", "Open follow-up cases (uppföljningsärenden) with no progress entry for more than --days days.");
  stale->add_option("--on", sp->on,
                    "The day to judge on, YYYY-MM-DD (default: today in Sweden); judged as overdue --on is");
  stale->add_option("--days", sp->days, "Days without progress (default: the server's stale_plan_days)")
      ->check(CLI::Range(1, 3650));
  AddAsOf(stale, sp.get());
  stale->callback([sp, conn, exit_code] { *exit_code = RunStalePlans(*sp, *conn); });
}

}  // namespace sparbar::cli
