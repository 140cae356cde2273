// Loggkontroll through the real server: the context facts, a quarterly
// random review drawn with a recorded seed (drawn again the same), the rules'
// flags on real accesses and a real decisions case, findings, a misuse
// investigation, concluding, the report (HTML and CSV through the CLI), the
// log extract and the FHIR export; every query recorded as a read.
#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>

#include <map>
#include <set>

#include "integration/client_util.h"
#include "integration/decisions_util.h"
#include "sparbar/v1/access_log_service.grpc.pb.h"
#include "sparbar/v1/log_review_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;
using google::protobuf::util::TimeUtil;

namespace {

namespace ac = sparbar::v1::access;
namespace lr = sparbar::v1::logreview;

constexpr int64_t kTuesday = 1754380800;            // 2025-08-05 10:00 in Sweden
constexpr int64_t kSaturdayNight = 1754773200;      // 2025-08-09 23:00
const std::string kP1 = "191212121212", kP2 = "193903125676", kP3 = "197802102389";

std::unique_ptr<grpc::ClientContext> Reviewer(const std::string& who = "granskare") {
  auto ctx = Ctx(who);
  ctx->AddMetadata("x-sparbar-roles", "loggranskare");
  return ctx;
}

ac::AccessRecorded Access(const std::string& id, const std::string& user, const std::string& unit,
                          const std::string& pnr, int64_t at) {
  ac::AccessRecorded e;
  e.set_user_hsa_id(user);
  e.set_role("handlaggare");
  e.set_unit(unit);
  e.set_action(ac::ACTION_READ);
  e.mutable_subject()->set_personal_identity_number(pnr);
  e.set_record_ref("akt/" + id);
  e.set_source_system("procapita");
  e.set_source_event_id(id);
  *e.mutable_accessed_at() = TimeUtil::SecondsToTimestamp(at);
  e.set_purpose(ac::PURPOSE_NORMAL_WORK);
  e.set_outcome(ac::OUTCOME_ALLOWED);
  return e;
}

uint64_t OwnReads(Client& c) {
  v1::ReadStreamRequest read;
  read.set_stream("atkomst-sparbar");
  read.set_max_count(1000);
  v1::ReadStreamResponse own;
  grpc::Status st = c.es->ReadStream(Ctx().get(), read, &own);
  return st.ok() ? static_cast<uint64_t>(own.events_size()) : 0;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("A loggkontroll review from sample to report", "[integration][logreview]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DecisionsClient decisions(server.address());
  Client& c = decisions.base;
  auto access = ac::AccessLog::NewStub(c.channel);
  auto review = lr::LogReview::NewStub(c.channel);

  // A case of P1 open at unit-1 since 2023.
  RecordAll(decisions, {Application("lk-c1", kP1)});
  // P2 has skyddad identitet and shares anna's surname; P3 is anna herself.
  lr::ContextResponse ctx_resp;
  lr::PersonContextRecorded p2;
  p2.mutable_subject()->set_personal_identity_number("19390312-5676");
  p2.set_surname("Berg");
  p2.set_protected_identity(true);
  p2.set_effective_date("2025-01-01");
  REQUIRE(review->RecordPerson(Reviewer().get(), p2, &ctx_resp).ok());
  lr::StaffMemberRecorded anna;
  anna.set_user_hsa_id("SE-anna");
  anna.set_surname("berg");
  anna.mutable_own_identity()->set_personal_identity_number(kP3);
  anna.add_units("unit-1");
  REQUIRE(review->RecordStaffMember(Reviewer().get(), anna, &ctx_resp).ok());
  lr::WorkingHoursSet hours;
  hours.set_unit("unit-1");
  for (uint32_t d = 1; d <= 5; ++d) {
    lr::DaySpan* s = hours.add_spans();
    s->set_weekday(d);
    s->set_start_minute(7 * 60);
    s->set_end_minute(17 * 60);
  }
  REQUIRE(review->SetWorkingHours(Reviewer().get(), hours, &ctx_resp).ok());
  // Bad context input: a clear status, nothing written; and the role is needed.
  const uint64_t before_bad = WrittenSize(c);
  p2.mutable_subject()->set_personal_identity_number("19390312-5677");
  CHECK(review->RecordPerson(Reviewer().get(), p2, &ctx_resp).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  hours.mutable_spans(0)->set_end_minute(2000);
  CHECK(review->SetWorkingHours(Reviewer().get(), hours, &ctx_resp).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(review->RecordStaffMember(Ctx("granskare").get(), anna, &ctx_resp).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  CHECK(WrittenSize(c) == before_bad);

  // The accesses of the quarter.
  ac::IngestBatch batch;
  *batch.add_events() = Access("a1", "SE-anna", "unit-1", kP1, kTuesday);                 // unremarkable
  *batch.add_events() = Access("a2", "SE-anna", "unit-1", kP2, kTuesday + 300);           // protected, no case, surname
  *batch.add_events() = Access("a3", "SE-anna", "unit-1", kP1, kSaturdayNight);           // outside hours
  *batch.add_events() = Access("a4", "SE-bo", "unit-1", kP1, kTuesday + 600);             // unremarkable
  ac::AccessRecorded a5 = Access("a5", "SE-bo", "unit-1", kP3, kTuesday + 900);          // a colleague's, in need
  a5.set_purpose(ac::PURPOSE_NODATKOMST);
  a5.set_emergency_reason("akut läge");
  *batch.add_events() = a5;
  *batch.add_events() = Access("a6", "SE-cecilia", "unit-2", kP2, kTuesday + 1200);       // protected, other unit
  *batch.add_events() = Access("a7", "SE-anna", "unit-1", kP1, kTuesday - 86400 * 40);    // before the period
  ac::IngestResponse ingested;
  {
    auto ctx = Ctx("procapita-export");
    auto writer = access->Ingest(ctx.get(), &ingested);
    REQUIRE(writer->Write(batch));
    writer->WritesDone();
    REQUIRE(writer->Finish().ok());
  }
  const uint64_t first = ingested.batches(0).first_position();
  std::map<std::string, uint64_t> pos;
  for (int i = 0; i < batch.events_size(); ++i) pos[batch.events(i).source_event_id()] = first + i;

  // Opening: bad input refused with nothing written.
  lr::OpenReviewRequest open;
  open.set_review_id("q3-2025");
  open.set_from_date("2025-07-01");
  open.set_to_date("2025-09-30");
  open.set_kind(lr::REVIEW_KIND_QUARTERLY_RANDOM);
  lr::OpenReviewResponse opened;
  const uint64_t before_open = WrittenSize(c);
  lr::OpenReviewRequest backwards = open;
  backwards.set_to_date("2025-06-30");
  CHECK(review->OpenReview(Reviewer().get(), backwards, &opened).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(review->OpenReview(Ctx("granskare").get(), open, &opened).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(WrittenSize(c) == before_open);
  REQUIRE(review->OpenReview(Reviewer().get(), open, &opened).ok());
  CHECK(opened.review_id() == "q3-2025");
  CHECK(review->OpenReview(Reviewer().get(), open, &opened).error_code() == grpc::StatusCode::ALREADY_EXISTS);

  // The sample: every user active in the quarter, drawn with a seed the server draws.
  lr::DrawSampleRequest draw;
  draw.set_review_id("q3-2025");
  draw.set_sample_size(3);
  lr::DrawSampleResponse drawn;
  REQUIRE(review->DrawSample(Reviewer().get(), draw, &drawn).ok());
  CHECK(drawn.sample().population() == 3);
  CHECK(std::set<std::string>(drawn.sample().users().begin(), drawn.sample().users().end()) ==
        std::set<std::string>{"SE-anna", "SE-bo", "SE-cecilia"});
  const std::string seed = std::to_string(drawn.sample().seed());
  CHECK(review->DrawSample(Reviewer().get(), draw, &drawn).error_code() == grpc::StatusCode::FAILED_PRECONDITION);

  // Samples of one of the three: each drawn again from its recorded seed and
  // the log as it stood is the one recorded, though the log has grown since.
  std::set<std::string> digests;
  for (const char* id : {"again-1", "again-2", "again-3"}) {
    open.set_review_id(id);
    REQUIRE(review->OpenReview(Reviewer().get(), open, &opened).ok());
    draw.set_review_id(id);
    draw.set_sample_size(1);
    REQUIRE(review->DrawSample(Reviewer().get(), draw, &drawn).ok());
    REQUIRE(drawn.sample().users_size() == 1);
    digests.insert(drawn.sample().population_digest());
  }
  CHECK(digests.size() == 1);
  for (const char* id : {"again-1", "again-2", "again-3", "q3-2025"}) {
    lr::ReviewRequest verify;
    verify.set_review_id(id);
    lr::VerifySampleResponse verified;
    REQUIRE(review->VerifySample(Reviewer().get(), verify, &verified).ok());
    CHECK(verified.matches());
    CHECK(std::vector<std::string>(verified.users().begin(), verified.users().end()) ==
          std::vector<std::string>(verified.recorded().users().begin(), verified.recorded().users().end()));
  }
  // A sample recorded behind the service's back (a raw append) that is not
  // the draw of its seed is caught.
  {
    open.set_review_id("forged");
    REQUIRE(review->OpenReview(Reviewer().get(), open, &opened).ok());
    lr::SampleDrawn forged = drawn.sample();
    forged.clear_users();
    forged.add_users("SE-nobody");
    forged.set_as_of_position(FreshSize(c));
    v1::EventData e = MakeEvent("sparbar.v1.logreview.SampleDrawn", forged.SerializeAsString());
    e.set_content_type("application/x-protobuf");
    REQUIRE(Append(c, MakeAppend("loggkontroll-forged", {e})).ok());
    lr::ReviewRequest verify;
    verify.set_review_id("forged");
    lr::VerifySampleResponse verified;
    REQUIRE(review->VerifySample(Reviewer().get(), verify, &verified).ok());
    CHECK(verified.population_digest() == forged.population_digest());
    CHECK_FALSE(verified.matches());
    CliResult check = RunCli({"--server", server.address(), "--roles", "loggranskare", "loggkontroll", "verify-sample",
                              "--review", "forged"});
    CHECK(check.exit_code == 1);
    CHECK(check.out.find("NOT the recorded sample") == 0);
  }

  // The review's accesses and flags.
  const uint64_t reads_before = OwnReads(c);
  lr::ReviewRequest get;
  get.set_review_id("q3-2025");
  lr::ReviewView view;
  REQUIRE(review->GetReview(Reviewer().get(), get, &view).ok());
  CHECK(view.accesses_size() == 4);  // the flagged ones
  CHECK(view.reviewed() == 6);
  CHECK(view.next_page_token().empty());
  CHECK(OwnReads(c) == reads_before + 3);  // P1 (a3), P2, P3
  // In pages of three: the flagged ones, then the last.
  {
    lr::ReviewRequest paged = get;
    paged.set_page_size(3);
    lr::ReviewView first, second;
    REQUIRE(review->GetReview(Reviewer().get(), paged, &first).ok());
    CHECK(first.accesses_size() == 3);
    REQUIRE_FALSE(first.next_page_token().empty());
    paged.set_page_token(first.next_page_token());
    REQUIRE(review->GetReview(Reviewer().get(), paged, &second).ok());
    CHECK(second.accesses_size() == 1);
    CHECK(second.next_page_token().empty());
    CHECK(second.accesses(0).access().accessed_at().seconds() > first.accesses(2).access().accessed_at().seconds());
    CHECK(second.accesses(0).position() == pos["a3"]);  // in time order: a3 was on the Saturday
    paged.set_page_token("x");
    CHECK(review->GetReview(Reviewer().get(), paged, &second).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  }
  const uint64_t reads_before_all = OwnReads(c);
  get.set_all_accesses(true);
  REQUIRE(review->GetReview(Reviewer().get(), get, &view).ok());
  std::map<uint64_t, std::set<std::string>> flags;
  for (const auto& a : view.accesses()) {
    for (const auto& h : a.hits()) flags[a.position()].insert(h.rule());
    if (a.hits().empty()) flags[a.position()];
  }
  CHECK(view.accesses_size() == 6);  // a7 is before the period
  CHECK(flags[pos["a1"]].empty());
  CHECK(flags[pos["a2"]] == std::set<std::string>{"protected_identity", "no_open_case", "same_surname"});
  CHECK(flags[pos["a3"]] == std::set<std::string>{"outside_working_hours"});
  CHECK(flags[pos["a4"]].empty());
  CHECK(flags[pos["a5"]] == std::set<std::string>{"no_open_case", "nodatkomst", "own_or_colleague"});
  // unit-2 has no hours recorded: the default weekday hours hold.
  CHECK(flags[pos["a6"]] == std::set<std::string>{"protected_identity", "no_open_case"});
  CHECK(view.flagged() == 4);
  CHECK(view.flagged_without_finding() == 4);
  CHECK(OwnReads(c) == reads_before_all + 3);  // P1, P2, P3 again

  // Findings: only on the review's accesses; concluding waits for all flagged.
  lr::RecordFindingRequest finding;
  finding.set_review_id("q3-2025");
  lr::StepResponse step;
  finding.set_access_position(pos["a7"]);
  finding.set_finding(lr::FINDING_NO_REMARK);
  CHECK(review->RecordFinding(Reviewer().get(), finding, &step).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  lr::ConcludeReviewRequest conclude;
  conclude.set_review_id("q3-2025");
  conclude.set_summary("En misstänkt otillåten åtkomst; utredning inledd.");
  const uint64_t before_conclude = WrittenSize(c);
  grpc::Status early = review->ConcludeReview(Reviewer().get(), conclude, &step);
  CHECK(early.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(early.error_message() == "4 flagged accesses have no finding yet; record one for each first");
  CHECK(WrittenSize(c) == before_conclude);
  for (const char* id : {"a3", "a5", "a6"}) {
    finding.set_access_position(pos[id]);
    finding.set_finding(lr::FINDING_NO_REMARK);
    REQUIRE(review->RecordFinding(Reviewer().get(), finding, &step).ok());
  }
  finding.set_access_position(pos["a2"]);
  finding.set_finding(lr::FINDING_SUSPECTED_MISUSE);
  finding.set_note("ingen vårdrelation, samma efternamn");
  REQUIRE(review->RecordFinding(Reviewer().get(), finding, &step).ok());
  lr::OpenMisuseInvestigationRequest investigate;
  investigate.set_review_id("q3-2025");
  investigate.set_access_position(pos["a3"]);
  investigate.set_reason("r");
  lr::OpenMisuseInvestigationResponse inv;
  CHECK(review->OpenMisuseInvestigation(Reviewer().get(), investigate, &inv).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  investigate.set_access_position(pos["a2"]);
  investigate.set_reason("Överlämnas till informationssäkerhetssamordnaren.");
  REQUIRE(review->OpenMisuseInvestigation(Reviewer().get(), investigate, &inv).ok());
  CHECK(inv.investigation_id().rfind("mu-", 0) == 0);
  REQUIRE(review->ConcludeReview(Reviewer().get(), conclude, &step).ok());
  REQUIRE(review->GetReview(Reviewer().get(), get, &view).ok());
  CHECK(view.has_concluded());
  CHECK(view.flagged_without_finding() == 0);

  // Recorded later, an access in the period does not change the drawn review.
  ac::IngestBatch late;
  *late.add_events() = Access("a8", "SE-anna", "unit-1", kP2, kTuesday + 3600);
  {
    ac::IngestResponse r;
    auto ctx = Ctx("procapita-export");
    auto writer = access->Ingest(ctx.get(), &r);
    REQUIRE(writer->Write(late));
    writer->WritesDone();
    REQUIRE(writer->Finish().ok());
  }

  // The report through the CLI: HTML with charts, CSV with a row per reviewed access, no personnummer.
  const std::vector<std::string> cli = {"--server", server.address(), "--actor", "granskare", "--roles", "loggranskare"};
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> all = cli;
    all.insert(all.end(), args.begin(), args.end());
    return RunCli(all);
  };
  const uint64_t reads_before_report = OwnReads(c);
  CliResult html = run({"report", "loggkontroll", "--review", "q3-2025", "--format", "html"});
  INFO(html.err);
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("<h1>Loggkontroll q3-2025</h1>") != std::string::npos);
  CHECK(Count(html.out, "<svg") == 3);
  CHECK(html.out.find(seed) != std::string::npos);  // the seed, to draw it again
  CHECK(html.out.find("misstänkt otillåten åtkomst") != std::string::npos);
  CHECK(html.out.find(inv.investigation_id()) != std::string::npos);
  CliResult csv = run({"report", "loggkontroll", "--review", "q3-2025", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(Count(csv.out, "\r\n") == 7);
  for (const std::string& pnr : {kP1, kP2, kP3}) {
    for (const std::string& form : {pnr, pnr.substr(2), pnr.substr(0, 8) + "-" + pnr.substr(8),
                                     pnr.substr(2, 6) + "-" + pnr.substr(8)}) {
      CHECK(html.out.find(form) == std::string::npos);
      CHECK(csv.out.find(form) == std::string::npos);
    }
  }
  CHECK(OwnReads(c) == reads_before_report + 6);  // three people, twice
  CliResult again = run({"report", "loggkontroll", "--review", "q3-2025", "--format", "csv"});
  CHECK(again.out == csv.out);
  CliResult missing = run({"report", "loggkontroll", "--review", "no-such", "--format", "csv"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "error: NOT_FOUND: no review no-such\n");

  // The log extract for P1, and the FHIR export of anna's accesses; both recorded as reads.
  const uint64_t reads_before_extract = OwnReads(c);
  CliResult extract = run({"access", "extract", "--person", "19121212-1212", "--from", "2025-07-01", "--to",
                           "2025-09-30", "--format", "csv"});
  INFO(extract.err);
  REQUIRE(extract.exit_code == 0);
  CHECK(Count(extract.out, "\r\n") == 4);  // a1, a3, a4 and the header
  CHECK(extract.err.find("3 accesses") == 0);
  CliResult extract_html = run({"access", "extract", "--person", "19121212-1212", "--from", "2025-07-01", "--to",
                                "2025-09-30"});
  CHECK(extract_html.out.find("Logguttag") != std::string::npos);
  CHECK(extract_html.out.find("SE-bo") != std::string::npos);
  CliResult fhir = run({"access", "export", "--user", "SE-anna", "--from", "2025-07-01", "--to", "2025-09-30"});
  INFO(fhir.err);
  REQUIRE(fhir.exit_code == 0);
  CHECK(Count(fhir.out, "\n") == 4);  // a1, a2, a3, a8
  CHECK(Count(fhir.out, "\"resourceType\":\"AuditEvent\"") == 4);
  CHECK(fhir.out.find("IHE.BasicAudit.PatientRead") != std::string::npos);
  CHECK(OwnReads(c) == reads_before_extract + 1 + 1 + 2);  // P1, P1, then P1 and P2
  CliResult no_role = RunCli({"--server", server.address(), "access", "extract", "--person", "19121212-1212",
                              "--from", "2025-07-01", "--to", "2025-09-30"});
  CHECK(no_role.exit_code == 1);
  CHECK(no_role.err.find("PERMISSION_DENIED") != std::string::npos);

  // After a restart (no cached evaluation), the review is computed again as
  // of its sample's log size: the access recorded later is not in it.
  const std::string data = (dir.path() / "data").string();
  REQUIRE(server.Stop() == 0);
  ServerProcess restarted(data);
  Client c2(restarted.address());
  auto review2 = lr::LogReview::NewStub(c2.channel);
  REQUIRE(review2->GetReview(Reviewer().get(), get, &view).ok());
  CHECK(view.reviewed() == 6);
  CHECK(view.accesses_size() == 6);
  CHECK(view.flagged_without_finding() == 0);
  // The population is read again from the index as of the sample's log size.
  lr::ReviewRequest verify;
  verify.set_review_id("again-2");
  lr::VerifySampleResponse verified;
  REQUIRE(review2->VerifySample(Reviewer().get(), verify, &verified).ok());
  CHECK(verified.matches());
  CHECK(verified.population() == 3);
  // After the restart the index goes on taking in who was active: a new user, and one seen before.
  ac::IngestBatch more;
  *more.add_events() = Access("a9", "SE-dora", "unit-1", kP1, kTuesday + 7200);
  *more.add_events() = Access("a10", "SE-bo", "unit-1", kP1, kTuesday + 7300);
  {
    auto access2 = ac::AccessLog::NewStub(c2.channel);
    ac::IngestResponse r;
    auto ctx = Ctx("procapita-export");
    auto writer = access2->Ingest(ctx.get(), &r);
    REQUIRE(writer->Write(more));
    writer->WritesDone();
    REQUIRE(writer->Finish().ok());
  }
  open.set_review_id("after-restart");
  REQUIRE(review2->OpenReview(Reviewer().get(), open, &opened).ok());
  draw.set_review_id("after-restart");
  draw.set_sample_size(10);
  REQUIRE(review2->DrawSample(Reviewer().get(), draw, &drawn).ok());
  CHECK(drawn.sample().population() == 4);
}

TEST_CASE("A targeted review reviews its users, with its reason", "[integration][logreview]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Client c(server.address());
  auto review = lr::LogReview::NewStub(c.channel);
  auto access = ac::AccessLog::NewStub(c.channel);
  ac::IngestBatch batch;
  *batch.add_events() = Access("t1", "SE-anna", "unit-1", kP1, kTuesday);
  *batch.add_events() = Access("t2", "SE-bo", "unit-1", kP1, kTuesday);
  ac::IngestResponse r;
  {
    auto ctx = Ctx("procapita-export");
    auto writer = access->Ingest(ctx.get(), &r);
    REQUIRE(writer->Write(batch));
    writer->WritesDone();
    REQUIRE(writer->Finish().ok());
  }
  lr::OpenReviewRequest open;
  open.set_review_id("misstanke-1");
  open.set_from_date("2025-08-01");
  open.set_to_date("2025-08-31");
  open.set_kind(lr::REVIEW_KIND_TARGETED);
  open.add_target_users("SE-bo");
  lr::OpenReviewResponse opened;
  CHECK(review->OpenReview(Reviewer().get(), open, &opened).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  open.set_reason("Anmälan från brukare om att SE-bo läst hennes akt.");
  REQUIRE(review->OpenReview(Reviewer().get(), open, &opened).ok());
  lr::DrawSampleRequest draw;
  draw.set_review_id("misstanke-1");
  draw.set_sample_size(5);
  lr::DrawSampleResponse drawn;
  CHECK(review->DrawSample(Reviewer().get(), draw, &drawn).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  draw.set_sample_size(0);
  REQUIRE(review->DrawSample(Reviewer().get(), draw, &drawn).ok());
  CHECK(drawn.sample().method() == "targeted");
  lr::ReviewRequest get;
  get.set_review_id("misstanke-1");
  get.set_all_accesses(true);
  lr::ReviewView view;
  REQUIRE(review->GetReview(Reviewer().get(), get, &view).ok());
  REQUIRE(view.accesses_size() == 1);
  CHECK(view.accesses(0).access().user_hsa_id() == "SE-bo");
  CHECK(view.opened().reason() == open.reason());
}
