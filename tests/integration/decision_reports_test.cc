// The DecisionReports service through the real server: a submitted report is
// an event and is reproduced byte for byte after the log has moved on;
// thresholds per lagrum; the monthly särskilt boende list and the days to a
// first offer; each through gRPC and the CLI, with bad input writing nothing.
#include <catch2/catch.hpp>
#include <openssl/sha.h>

#include <regex>

#include "eventstore/merkle/hash.h"
#include "integration/decisions_util.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

std::string Sha256Hex(const std::string& bytes) {
  merkle::Hash h;
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), h.data());
  return merkle::ToHex(h);
}

d::RecordRequest LssDecision(const std::string& case_id) {
  d::RecordRequest r = Decision(case_id);
  r.mutable_decision_made()->set_insats("bostad_vuxna");
  r.mutable_decision_made()->set_lagrum("9 § 9 LSS");
  return r;
}

d::RecordRequest Offer(const std::string& case_id, const std::string& date) {
  d::RecordRequest r;
  r.set_case_id(case_id);
  r.mutable_offer_made()->set_offered_date(date);
  r.mutable_offer_made()->set_place("unit-7");
  return r;
}

d::SubmitEjVerkstalldaRequest Submission(d::ReportFormat format, const std::string& submitted = "2024-04-30") {
  d::SubmitEjVerkstalldaRequest r;
  r.mutable_report()->set_quarter("2024Q1");
  r.mutable_report()->set_format(format);
  r.set_recipient(d::RECIPIENT_IVO);
  r.set_submitted_date(submitted);
  return r;
}

}  // namespace

TEST_CASE("a submitted ej verkställda report is an event and is reproduced byte for byte after the log moves on",
          "[integration][decisions][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  RecordAll(c, {Application("wait"), Investigation("wait"), Decision("wait")});
  RecordAll(c, {Application("quick"), Investigation("quick"), Decision("quick"), Execution("quick", "2024-01-15")});

  d::SubmitEjVerkstalldaRequest req = Submission(d::REPORT_FORMAT_HTML);
  req.set_event_id("6f1c2a4e-8b1d-4c39-9a7e-0d5b3c2f1a10");
  d::SubmitEjVerkstalldaResponse sent;
  grpc::Status st = c.reports->SubmitEjVerkstallda(Ctx("hsa-namnd").get(), req, &sent);
  INFO(st.error_message());
  REQUIRE(st.ok());
  CHECK_FALSE(sent.duplicate());
  // Position 7 holds the record of this call (a report reads many people's
  // cases), written before the report; the report sees it, and follows it.
  CHECK(sent.position() == 8);
  CHECK(sent.submission().as_of_position() == 8);
  CHECK(sent.submission().rows() == 1);
  CHECK(sent.submission().recipient() == d::RECIPIENT_IVO);
  CHECK(sent.submission().submitted_date() == "2024-04-30");
  CHECK(sent.submission().document_sha256() == Sha256Hex(sent.document()));
  CHECK(sent.submission().document_bytes() == sent.document().size());
  CHECK(sent.document().find("beslut-wait") != std::string::npos);

  // The submission is in the log, on its own stream, by the submitting actor.
  auto log = ReadWholeLog(c.base);
  REQUIRE(log.size() == 8);
  CHECK(log[7].stream() == "rapport-ej-verkstallda-2024Q1");
  CHECK(log[7].type() == "sparbar.v1.decisions.EjVerkstalldaSubmitted");
  CHECK(log[7].metadata().actor() == "hsa-namnd");

  // The log moves on: the waiting case turns out executed in time, and a new
  // overdue case arrives. Today's report has other rows than the one sent...
  RecordAll(c, {Execution("wait", "2024-01-20")});
  RecordAll(c, {Application("late"), Investigation("late"), Decision("late")});
  d::EjVerkstalldaRequest now = req.report();
  d::EjVerkstalldaResponse today;
  REQUIRE(c.reports->EjVerkstallda(Ctx().get(), now, &today).ok());
  REQUIRE(today.rows_size() == 1);
  CHECK(today.rows(0).case_id() == "beslut-late");

  // ...but the submission reproduces exactly.
  d::ReproduceSubmissionRequest again;
  again.set_position(sent.position());
  d::ReproduceSubmissionResponse reproduced;
  REQUIRE(c.reports->ReproduceSubmission(Ctx().get(), again, &reproduced).ok());
  CHECK(reproduced.identical());
  CHECK(reproduced.document() == sent.document());
  CHECK(reproduced.document_sha256() == sent.submission().document_sha256());
  CHECK(reproduced.submitted_by() == "hsa-namnd");

  // A retry with the same event id answers with the recorded submission.
  const uint64_t size = WrittenSize(c.base);
  d::SubmitEjVerkstalldaResponse retried;
  REQUIRE(c.reports->SubmitEjVerkstallda(Ctx("hsa-namnd").get(), req, &retried).ok());
  CHECK(retried.duplicate());
  CHECK(retried.position() == sent.position());
  CHECK(retried.document() == sent.document());
  CHECK(WrittenSize(c.base) == size);

  // The same id from another caller, or for another submission, is refused.
  d::SubmitEjVerkstalldaResponse refused;
  st = c.reports->SubmitEjVerkstallda(Ctx("hsa-other").get(), req, &refused);
  CHECK(st.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  d::SubmitEjVerkstalldaRequest other = req;
  other.set_recipient(d::RECIPIENT_KOMMUNFULLMAKTIGE);
  st = c.reports->SubmitEjVerkstallda(Ctx("hsa-namnd").get(), other, &refused);
  CHECK(st.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  CHECK(st.error_message().find("another submission") != std::string::npos);
  CHECK(WrittenSize(c.base) == size);

  // Positions that hold no submission.
  again.set_position(0);  // a case event
  CHECK(c.reports->ReproduceSubmission(Ctx().get(), again, &reproduced).error_code() == grpc::StatusCode::NOT_FOUND);
  again.set_position(size + 5);
  CHECK(c.reports->ReproduceSubmission(Ctx().get(), again, &reproduced).error_code() == grpc::StatusCode::NOT_FOUND);
}

TEST_CASE("a submission with bad input is INVALID_ARGUMENT naming the field, and nothing is written",
          "[integration][decisions][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  RecordAll(c, {Application("wait"), Investigation("wait"), Decision("wait")});
  const uint64_t size = WrittenSize(c.base);

  auto refused = [&](d::SubmitEjVerkstalldaRequest r, const std::string& names) {
    d::SubmitEjVerkstalldaResponse out;
    grpc::Status st = c.reports->SubmitEjVerkstallda(Ctx().get(), r, &out);
    INFO(st.error_message());
    CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    CHECK(st.error_message().find(names) != std::string::npos);
  };
  refused(Submission(d::REPORT_FORMAT_UNSPECIFIED), "report.format");
  auto no_recipient = Submission(d::REPORT_FORMAT_CSV);
  no_recipient.set_recipient(d::RECIPIENT_UNSPECIFIED);
  refused(no_recipient, "recipient");
  refused(Submission(d::REPORT_FORMAT_CSV, "2999-01-01"), "submitted_date");
  refused(Submission(d::REPORT_FORMAT_CSV, "2024-03-31"), "submitted_date");  // before the quarter is over
  refused(Submission(d::REPORT_FORMAT_CSV, "2024-02-30"), "submitted_date");
  auto bad_quarter = Submission(d::REPORT_FORMAT_CSV);
  bad_quarter.mutable_report()->set_quarter("2024Q5");
  refused(bad_quarter, "quarter");
  auto bad_lagrum = Submission(d::REPORT_FORMAT_CSV);
  (*bad_lagrum.mutable_report()->mutable_threshold_months_by_lagrum())["99 § LSS"] = 6;
  refused(bad_lagrum, "threshold_months_by_lagrum");
  auto bad_id = Submission(d::REPORT_FORMAT_CSV);
  bad_id.set_event_id("not-a-uuid");
  refused(bad_id, "event_id");
  CHECK(WrittenSize(c.base) == size);
}

TEST_CASE("thresholds per lagrum override the default, through gRPC and the CLI", "[integration][decisions][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  // Both decided 2023-11-01 and never executed.
  RecordAll(c, {Application("sol"), Investigation("sol"), Decision("sol")});
  RecordAll(c, {Application("lss"), Investigation("lss"), LssDecision("lss")});

  d::EjVerkstalldaRequest req;
  req.set_quarter("2024Q1");
  d::EjVerkstalldaResponse report;
  REQUIRE(c.reports->EjVerkstallda(Ctx().get(), req, &report).ok());
  CHECK(report.rows_size() == 2);

  // Six months for 9 § 9 LSS: the LSS decision is due 2024-05-01, after Q1.
  (*req.mutable_threshold_months_by_lagrum())["9 § 9 LSS"] = 6;
  req.set_format(d::REPORT_FORMAT_HTML);
  REQUIRE(c.reports->EjVerkstallda(Ctx().get(), req, &report).ok());
  REQUIRE(report.rows_size() == 1);
  CHECK(report.rows(0).case_id() == "beslut-sol");
  REQUIRE(report.lagrum_thresholds_size() == 1);
  CHECK(report.lagrum_thresholds(0).lagrum() == "9 § 9 LSS");
  CHECK(report.lagrum_thresholds(0).months() == 6);
  CHECK(report.document().find("För 9 § 9 LSS gäller 6 månader.") != std::string::npos);

  (*req.mutable_threshold_months_by_lagrum())["9 § 9 LSS"] = 121;
  CHECK(c.reports->EjVerkstallda(Ctx().get(), req, &report).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  const std::vector<std::string> base = {"--server", server.address(), "report", "ej-verkstallda",
                                         "--quarter", "2024Q1"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args);
  };
  CliResult six = with({"--lagrum-threshold", "9 § 9 LSS=6"});
  INFO(six.err);
  REQUIRE(six.exit_code == 0);
  CHECK(six.out.find("beslut-sol") != std::string::npos);
  CHECK(six.out.find("beslut-lss") == std::string::npos);
  CHECK(with({"--lagrum-threshold", "9 § 9 LSS"}).exit_code == 2);  // no months
  CliResult unknown = with({"--lagrum-threshold", "99 § LSS=6"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("INVALID_ARGUMENT") != std::string::npos);
}

TEST_CASE("the monthly list of särskilt boende not executed and the days to a first offer, through gRPC and the CLI",
          "[integration][decisions][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  // Both applied 2023-10-01 and were granted 2023-11-01 (decisions_util.h).
  RecordAll(c, {Application("wait"), Investigation("wait"), Decision("wait")});
  RecordAll(c, {Application("offered"), Investigation("offered"), Decision("offered"), Offer("offered", "2023-12-01"),
                Execution("offered", "2024-01-10")});

  d::NotExecutedAtMonthEndRequest month;
  month.set_month("2023-12");
  d::NotExecutedAtMonthEndResponse list;
  REQUIRE(c.reports->NotExecutedAtMonthEnd(Ctx().get(), month, &list).ok());
  CHECK(list.month_end() == "2023-12-31");
  CHECK(list.insats() == "sarskilt_boende");
  REQUIRE(list.rows_size() == 2);
  CHECK(list.rows(0).case_id() == "beslut-offered");  // same decision date: by case id
  CHECK(list.rows(0).offers() == 1);
  CHECK(list.rows(1).case_id() == "beslut-wait");
  CHECK(list.rows(1).days_waited() == 60);  // 2023-11-01 .. 2023-12-31
  month.set_month("2024-01");
  REQUIRE(c.reports->NotExecutedAtMonthEnd(Ctx().get(), month, &list).ok());
  REQUIRE(list.rows_size() == 1);
  CHECK(list.rows(0).case_id() == "beslut-wait");

  month.set_month("2024-13");
  CHECK(c.reports->NotExecutedAtMonthEnd(Ctx().get(), month, &list).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  month.set_month("2024-01");
  month.set_insats("no_such_insats");
  CHECK(c.reports->NotExecutedAtMonthEnd(Ctx().get(), month, &list).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  d::DaysToFirstOfferRequest offers;
  d::DaysToFirstOfferResponse stats;
  REQUIRE(c.reports->DaysToFirstOffer(Ctx().get(), offers, &stats).ok());
  REQUIRE(stats.years_size() == 1);
  CHECK(stats.years(0).year() == 2023);
  CHECK(stats.years(0).cases() == 1);
  CHECK(stats.years(0).median_days() == 61);  // 2023-10-01 .. 2023-12-01

  CliResult csv = RunCli({"--server", server.address(), "report", "not-executed-month-end", "--month", "2023-12"});
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("beslut-wait,Man,2023-11-01,60,0,\r\n") != std::string::npos);
  CliResult days = RunCli({"--server", server.address(), "report", "days-to-first-offer"});
  REQUIRE(days.exit_code == 0);
  CHECK(days.out.find("2023,1,61.0,61,61\r\n") != std::string::npos);
  CliResult json = RunCli({"--server", server.address(), "report", "days-to-first-offer", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"median_days\": \"61\"") != std::string::npos);
}

TEST_CASE("sparbar report submit-ej-verkstallda writes what it recorded, and reproduce checks it",
          "[integration][decisions][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient c(server.address());
  RecordAll(c, {Application("wait"), Investigation("wait"), Decision("wait")});

  const std::string sent_path = (dir.path() / "sent.csv").string();
  CliResult sent = RunCli({"--server", server.address(), "--actor", "hsa-namnd", "report", "submit-ej-verkstallda",
                           "--quarter", "2024Q1", "--to", "revisorer", "--submitted-on", "2024-04-15", "--output",
                           sent_path});
  INFO(sent.err);
  REQUIRE(sent.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(sent.err, m, std::regex("recorded submission at position ([0-9]+)")));
  const std::string position = m[1];
  CHECK(position == "4");  // after the record of the call (position 3)
  const std::string document = Slurp(sent_path);
  CHECK(document.find("beslut-wait") != std::string::npos);
  // Run again with the printed id (as after a lost answer): recorded once.
  REQUIRE(std::regex_search(sent.err, m, std::regex("submission id ([0-9a-f-]{36})")));
  const std::string id = m[1];
  CliResult retry = RunCli({"--server", server.address(), "--actor", "hsa-namnd", "report", "submit-ej-verkstallda",
                            "--quarter", "2024Q1", "--to", "revisorer", "--submitted-on", "2024-04-15", "--event-id",
                            id, "--output", sent_path});
  INFO(retry.err);
  REQUIRE(retry.exit_code == 0);
  CHECK(retry.err.find("already recorded submission at position " + position) != std::string::npos);
  CHECK(Slurp(sent_path) == document);

  RecordAll(c, {Execution("wait", "2024-05-02")});  // the log moves on
  const std::string again_path = (dir.path() / "again.csv").string();
  CliResult again =
      RunCli({"--server", server.address(), "report", "reproduce", "--position", position, "--output", again_path});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(again.err.find("identical to the document submitted, byte for byte") != std::string::npos);
  CHECK(again.err.find("RECIPIENT_REVISORER") != std::string::npos);
  CHECK(Slurp(again_path) == document);

  CliResult missing = RunCli({"--server", server.address(), "report", "reproduce", "--position", "0"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("NOT_FOUND") != std::string::npos);
}
