// The Decisions service through the real server: recording a case step by
// step, refusals that write nothing, retries, stale revisions, and the ej
// verkställda report with its two time views.
#include <catch2/catch.hpp>

#include <regex>

#include <thread>

#include "integration/decisions_util.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

TEST_CASE("Decisions.Record takes a case step by step and refuses what breaks a rule, writing nothing") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  RecordAll(c, {Application("case-1"), Investigation("case-1"), Decision("case-1", d::OUTCOME_AVSLAG)});
  const uint64_t size = WrittenSize(c.base);
  CHECK(size == 3);

  grpc::Status st = c.Record(Execution("case-1", "2024-01-10"));
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("a refused decision (avslag) cannot be executed") != std::string::npos);

  st = c.Record(Application("case-2", "19121212-1213"));
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("subject.personal_identity_number") != std::string::npos);

  // A case id must not carry a personnummer: it names a stream and read-model keys.
  st = c.Record(Application("pnr-19121212-1212"));
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("case_id holds a personnummer") != std::string::npos);
  CHECK(st.error_message().find("1212") == std::string::npos);
  CHECK(st.error_message().find("1213") == std::string::npos);  // the number is not echoed

  auto future = Decision("case-3");
  future.mutable_decision_made()->set_decision_date("2999-01-01");
  RecordAll(c, {Application("case-3"), Investigation("case-3")});
  st = c.Record(future);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("decision_date 2999-01-01") != std::string::npos);

  d::RecordRequest bad_id = Investigation("case 4/../x");
  CHECK(c.Record(bad_id).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  d::RecordRequest no_step;
  no_step.set_case_id("case-5");
  CHECK(c.Record(no_step).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  d::RecordResponse ignored;
  CHECK(c.stub->Record(Ctx("").get(), Application("case-6"), &ignored).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  CHECK(WrittenSize(c.base) == size + 2);  // only case-3's two good steps were written
}

TEST_CASE("Decisions.Record: a retry with the same event id is answered again, a stale revision is ABORTED") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  auto app = Application("case-r");
  app.set_event_id("0b6f8f2a-4c1e-4d6b-9a57-3f1d2c3b4a59");
  d::RecordResponse first, again;
  REQUIRE(c.Record(app, &first).ok());
  REQUIRE(c.Record(app, &again).ok());
  CHECK(again.duplicate());
  CHECK(again.position() == first.position());
  CHECK(WrittenSize(c.base) == 1);

  auto other = Application("case-r");
  other.set_event_id(app.event_id());
  other.mutable_application_received()->set_unit("unit-2");  // same id, other content
  grpc::Status reused = c.Record(other);
  CHECK(reused.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  d::RecordResponse ignored;
  CHECK(c.stub->Record(Ctx("someone-else").get(), app, &ignored).error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(WrittenSize(c.base) == 1);

  auto inv = Investigation("case-r");
  inv.set_expected_revision(0);
  REQUIRE(c.Record(inv).ok());
  auto stale = Decision("case-r");
  stale.set_expected_revision(0);  // the case has moved on to revision 1
  grpc::Status st = c.Record(stale);
  CHECK(st.error_code() == grpc::StatusCode::ABORTED);
  CHECK(st.error_message().find("the case is at revision 1, not 0") != std::string::npos);
  CHECK(WrittenSize(c.base) == 2);
}

TEST_CASE("DecisionReports.EjVerkstallda reports what is overdue, after the writes it follows, in both time views") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  // Waiting since 2023-11-01: due 2024-02-01, in Q1 2024.
  RecordAll(c, {Application("wait"), Investigation("wait"), Decision("wait")});
  // Executed within three months: not reported.
  RecordAll(c, {Application("quick"), Investigation("quick"), Decision("quick"), Execution("quick", "2024-01-15")});

  d::EjVerkstalldaRequest req;
  req.set_quarter("2024Q1");
  d::EjVerkstalldaResponse report;
  grpc::Status st = c.reports->EjVerkstallda(Ctx().get(), req, &report);
  REQUIRE(st.ok());
  REQUIRE(report.rows_size() == 1);
  CHECK(report.rows(0).case_id() == "beslut-wait");
  CHECK(report.rows(0).days_waited() == 151);  // 2023-11-01 .. 2024-03-31
  CHECK(report.total().men() == 1);
  CHECK(report.period_end() == "2024-03-31");
  CHECK(report.as_of_position() == 8);  // after the record of this call (position 7)

  // The case was executed in time after all, recorded only now.
  RecordAll(c, {Execution("wait", "2024-01-20")});
  REQUIRE(c.reports->EjVerkstallda(Ctx().get(), req, &report).ok());
  CHECK(report.rows_size() == 0);  // what was true

  req.set_known_at("1999-12-31");  // before anything was recorded
  REQUIRE(c.reports->EjVerkstallda(Ctx().get(), req, &report).ok());
  CHECK(report.as_of_position() == 0);
  CHECK(report.rows_size() == 0);

  req.set_known_at("");
  req.set_threshold_months(0);  // every decision unexecuted at some point of the quarter
  REQUIRE(c.reports->EjVerkstallda(Ctx().get(), req, &report).ok());
  CHECK(report.rows_size() == 2);

  req.set_quarter("2024Q5");
  CHECK(c.reports->EjVerkstallda(Ctx().get(), req, &report).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("sparbar report ej-verkstallda renders the report as CSV, JSON and HTML") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  RecordAll(c, {Application("wait"), Investigation("wait"), Decision("wait")});
  const std::vector<std::string> base = {"--server", server.address(), "--actor", "registrator", "report",
                                         "ej-verkstallda", "--quarter", "2024Q1"};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  };

  CliResult csv = run({"--format", "csv"});
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("Ärende,Väntan,Kön,Insats,Lagrum,Lag,Orsak,Datum för beslut") == 0);
  CHECK(csv.out.find("beslut-wait,ej verkställt,Man,sarskilt_boende,4 kap. 1 § SoL,SoL,,2023-11-01,,151,,\r\n") !=
        std::string::npos);

  CliResult json = run({"--format", "json"});
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"case_id\": \"beslut-wait\"") != std::string::npos);
  CHECK(json.out.find("\"period_end\": \"2024-03-31\"") != std::string::npos);

  const std::string html_path = (dir.path() / "report.html").string();
  CliResult html = run({"--format", "html", "--output", html_path});
  REQUIRE(html.exit_code == 0);
  const std::string page = Slurp(html_path);
  CHECK(page.find("<svg") != std::string::npos);
  CHECK(page.find("<tr><th>Summa totalt</th><td>1</td><td>0</td><td>0</td><td>0</td><td><strong>1</strong>") !=
        std::string::npos);
  CHECK(page.find("beslut-wait") != std::string::npos);
  // The same answer renders to the same bytes. Each run's log position is
  // one further on (each report's call is recorded), so that number is set aside.
  const std::regex position("loggens första [0-9]+ händelser");
  CHECK(std::regex_replace(run({"--format", "html"}).out, position, "loggens första N händelser") ==
        std::regex_replace(page, position, "loggens första N händelser"));

  CliResult bad = RunCli({"--server", server.address(), "report", "ej-verkstallda", "--quarter", "2024Q9"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("INVALID_ARGUMENT: quarter must look like 2024Q1") != std::string::npos);
}
