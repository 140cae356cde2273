// sparbar report not-executed-month-end / days-to-first-offer: the waiting
// lists beside the quarterly report, as CSV or JSON.
//   not-executed-month-end  favourable decisions on särskilt boende (or
//                           another insats) not executed by a month's end
//   days-to-first-offer     days from application to first offer, per year
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <sstream>

#include "services/decisions/report_text.h"
#include "tools/cli/commands.h"
#include "tools/cli/report_output.h"

namespace sparbar::cli {
namespace {

namespace d = sparbar::v1::decisions;
using decisions::CsvField;
using decisions::SexLabel;

struct WaitingOptions {
  std::string month;
  std::string insats;
  std::string format = "csv";
  std::string output;
};

std::string Json(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(m, &json, options);
  return json;
}

int RunMonthEnd(const WaitingOptions& o, const ConnectionOptions& conn) {
  d::NotExecutedAtMonthEndRequest req;
  req.set_month(o.month);
  req.set_insats(o.insats);
  Client client(conn);
  d::NotExecutedAtMonthEndResponse resp;
  grpc::Status st = client.reports().NotExecutedAtMonthEnd(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::ostringstream out;
  if (o.format == "json") {
    out << Json(resp);
  } else {
    out << "Ärende,Kön,Datum för beslut,Dagar till " << resp.month_end() << ",Erbjudanden,Orsak\r\n";
    for (const auto& r : resp.rows()) {
      out << CsvField(r.case_id()) << "," << SexLabel(r.sex(), r.child()) << "," << r.decision_date() << ","
          << r.days_waited() << "," << r.offers() << "," << CsvField(r.reason()) << "\r\n";
    }
  }
  return WriteOutput(o.output, out.str()) ? kExitOk : kExitUsage;
}

int RunFirstOffer(const WaitingOptions& o, const ConnectionOptions& conn) {
  d::DaysToFirstOfferRequest req;
  req.set_insats(o.insats);
  Client client(conn);
  d::DaysToFirstOfferResponse resp;
  grpc::Status st = client.reports().DaysToFirstOffer(client.NewContext().get(), req, &resp);
  if (!st.ok()) return ReportRpcError(st);
  std::ostringstream out;
  if (o.format == "json") {
    out << Json(resp);
  } else {
    out << "År,Ärenden,Medel dagar,Median dagar,Max dagar\r\n";
    for (const auto& y : resp.years()) {
      char mean[32];
      std::snprintf(mean, sizeof mean, "%.1f", y.mean_days());
      out << y.year() << "," << y.cases() << "," << mean << "," << y.median_days() << "," << y.max_days() << "\r\n";
    }
  }
  return WriteOutput(o.output, out.str()) ? kExitOk : kExitUsage;
}

void AddCommon(CLI::App* cmd, WaitingOptions* o) {
  cmd->add_option("--insats", o->insats, "Catalogue code of the insats (default sarskilt_boende)");
  AddFormatOption(cmd, &o->format, {"csv", "json"});
  cmd->add_option("--output", o->output, "Write to this file instead of stdout");
}

}  // namespace

void AddWaitingReports(CLI::App& report, const ConnectionOptions* conn, int* exit_code) {
  auto month = std::make_shared<WaitingOptions>();
  CLI::App* m = report.add_subcommand(
      "not-executed-month-end",
      "Favourable decisions on särskilt boende (or --insats) not executed by the month's last day,\n"
      "with days waited, offers made and the latest reason: the monthly list.");
  m->add_option("--month", month->month, "The month, YYYY-MM")->required();
  AddCommon(m, month.get());
  m->callback([month, conn, exit_code] { *exit_code = RunMonthEnd(*month, *conn); });

  auto offer = std::make_shared<WaitingOptions>();
  CLI::App* f = report.add_subcommand(
      "days-to-first-offer",
      "Days from application to the first offered date for särskilt boende (or --insats), per year\n"
      "of the offer: cases, mean, median and longest.");
  AddCommon(f, offer.get());
  f->callback([offer, conn, exit_code] { *exit_code = RunFirstOffer(*offer, *conn); });
}

}  // namespace sparbar::cli
