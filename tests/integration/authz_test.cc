// The access policy and the logging of reads, over mutual TLS with
// certificates the test makes itself (integration/pki_util.h) and the
// shipped policy (config/atkomstpolicy.json): the wrong role, the wrong
// unit, protected identity, nödåtkomst and the auditor. Each allowed read of
// a person's records leaves exactly one access event, each refusal exactly
// one denial, and nothing else changes; reads of many people leave one
// record of their scope.
#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "integration/client_util.h"
#include "integration/pki_util.h"
#include "integration/sealed_util.h"
#include "sparbar/v1/access.pb.h"
#include "sparbar/v1/decisions_reports_service.grpc.pb.h"
#include "sparbar/v1/decisions_service.grpc.pb.h"
#include "sparbar/v1/log_review_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace ac = sparbar::v1::access;
namespace d = sparbar::v1::decisions;

constexpr char kAnna[] = "SE2321000230-0001";   // handläggare at Midskogen
constexpr char kBo[] = "SE2321000230-0002";     // handläggare at Hemtjänst Norr
constexpr char kKarin[] = "SE2321000230-0003";  // enhetschef at Midskogen
constexpr char kRut[] = "SE2321000230-0004";    // revisor
constexpr char kLena[] = "SE2321000230-0005";   // loggranskare
constexpr char kPerson[] = "19121212-1212";
constexpr char kProtected[] = "19390312-5676";

std::string Identities() {
  auto entry = [](const char* id, const char* role, const char* units) {
    return std::string(R"({"id": ")") + id + R"(", "roles": [")" + role + R"("], "units": [)" + units + "]}";
  };
  return entry(kAnna, "handlaggare", R"("Midskogen")") + "," + entry(kBo, "handlaggare", R"("Hemtjänst Norr")") +
         "," + entry(kKarin, "enhetschef", R"("Midskogen")") + "," + entry(kRut, "revisor", "") + "," +
         entry(kLena, "loggranskare", "") + R"(,{"id": "procapita", "certificate": "cn", "roles": ["integration"]})";
}

struct Fixture {
  TempDir dir;
  Pki pki{dir, Identities()};
  ServerProcess server{(dir.path() / "data").string(), pki.ServerArgs(), "127.0.0.1:0", /*dev_plaintext=*/false};
  std::map<std::string, Issued> certs;

  Fixture() {
    for (const char* id : {kAnna, kBo, kKarin, kRut, kLena}) certs[id] = pki.ca.Issue({{"serialNumber", id}});
    certs["procapita"] = pki.ca.Issue({{"CN", "procapita"}});
  }
  Client As(const std::string& who) { return Client(server.address(), pki.As(&certs.at(who))); }

  grpc::Status ReadCase(const std::string& who, const std::string& case_id, const std::string& nodatkomst = "",
                        v1::ReadStreamResponse* out = nullptr) {
    Client c = As(who);
    v1::ReadStreamRequest req;
    req.set_stream("beslut-" + case_id);
    auto ctx = Ctx("");
    if (!nodatkomst.empty()) ctx->AddMetadata("x-sparbar-nodatkomst-bin", nodatkomst);
    v1::ReadStreamResponse ignored;
    return c.es->ReadStream(ctx.get(), req, out ? out : &ignored);
  }

  // The events at positions [from, to), read by the integration (whose own
  // read is recorded after them).
  std::vector<v1::RecordedEvent> Between(uint64_t from, uint64_t to) {
    Client c = As("procapita");
    v1::ReadAllRequest req;
    req.set_from_position(from);
    req.set_max_count(static_cast<uint32_t>(to - from));
    v1::ReadAllResponse resp;
    const grpc::Status st = c.es->ReadAll(Ctx("").get(), req, &resp);
    if (!st.ok()) throw std::runtime_error("ReadAll failed: " + st.error_message());
    std::vector<v1::RecordedEvent> out;
    for (const auto& e : resp.events()) {
      if (e.position() >= to) continue;
      if (e.type() == "sparbar.v1.access.AccessRecorded") {
        // The log API serves the person sealed; the server's modules read it opened.
        ac::AccessRecorded raw;
        REQUIRE(raw.ParseFromString(e.payload()));
        CHECK(raw.subject().personal_identity_number().empty());
        CHECK_FALSE(raw.subject().sealed().empty());
        out.push_back(OpenPersonalData((dir.path() / "data").string(), e, pki.Path("master.keys")));
      } else {
        out.push_back(e);
      }
    }
    return out;
  }
  uint64_t Size() {
    Client c = As("procapita");
    return FreshSize(c);
  }
  // What one call left in the log: every event it appended.
  template <class Call>
  std::vector<v1::RecordedEvent> Leaves(Call call) {
    const uint64_t before = Size();
    call();
    return Between(before, Size());
  }
};

ac::AccessRecorded AccessOf(const v1::RecordedEvent& e) {
  REQUIRE(e.stream() == "atkomst-sparbar");
  REQUIRE(e.type() == "sparbar.v1.access.AccessRecorded");
  ac::AccessRecorded a;
  REQUIRE(a.ParseFromString(e.payload()));
  return a;
}

ac::CallRecorded CallOf(const v1::RecordedEvent& e) {
  REQUIRE(e.stream() == "anrop-sparbar");
  REQUIRE(e.type() == "sparbar.v1.access.CallRecorded");
  ac::CallRecorded c;
  REQUIRE(c.ParseFromString(e.payload()));
  return c;
}

// The UTC date `days` from today, YYYY-MM-DD (a review's period around now).
std::string UtcDate(int days) {
  const std::time_t t = std::time(nullptr) + days * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[11];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

d::RecordRequest Application(const std::string& case_id, const std::string& pnr) {
  d::RecordRequest r;
  r.set_case_id(case_id);
  auto* a = r.mutable_application_received();
  a->mutable_subject()->set_personal_identity_number(pnr);
  a->mutable_subject()->set_sex(d::SEX_KVINNA);
  a->set_received_date("2026-10-01");
  a->set_unit("Midskogen");
  return r;
}

}  // namespace

TEST_CASE("a person's records: the caller's unit, the wrong unit, nödåtkomst, protected identity and the auditor, "
          "each read recorded once",
          "[integration][tls][authz]") {
  Fixture f;
  {
    Client anna = f.As(kAnna);
    auto decisions = d::Decisions::NewStub(anna.channel);
    d::RecordResponse out;
    REQUIRE(decisions->Record(Ctx("").get(), Application("c1", kPerson), &out).ok());
    REQUIRE(decisions->Record(Ctx("").get(), Application("c2", kProtected), &out).ok());
    Client lena = f.As(kLena);
    auto review = v1::logreview::LogReview::NewStub(lena.channel);
    v1::logreview::PersonContextRecorded person;
    person.mutable_subject()->set_personal_identity_number(kProtected);
    person.set_protected_identity(true);
    person.set_effective_date("2020-01-01");
    v1::logreview::ContextResponse recorded;
    const grpc::Status st = review->RecordPerson(Ctx("").get(), person, &recorded);
    INFO(st.error_message());
    REQUIRE(st.ok());
  }

  SECTION("a handläggare at the case's unit reads it: one access event, allowed") {
    v1::ReadStreamResponse read;
    const auto left = f.Leaves([&] { REQUIRE(f.ReadCase(kAnna, "c1", "", &read).ok()); });
    CHECK(read.events_size() == 1);
    REQUIRE(left.size() == 1);
    const ac::AccessRecorded a = AccessOf(left[0]);
    CHECK(a.user_hsa_id() == kAnna);
    CHECK(a.role() == "handlaggare");
    CHECK(a.unit() == "Midskogen");
    CHECK(a.subject().personal_identity_number() == "191212121212");
    CHECK(a.record_ref() == "sparbar.v1.EventStore/ReadStream beslut-c1");  // the method and the record
    CHECK(a.action() == ac::ACTION_READ);
    CHECK(a.purpose() == ac::PURPOSE_NORMAL_WORK);
    CHECK(a.outcome() == ac::OUTCOME_ALLOWED);
    // A reason given where the unit lets the caller in anyway is no nödåtkomst.
    const auto with_reason = f.Leaves([&] { REQUIRE(f.ReadCase(kAnna, "c1", "Akut").ok()); });
    REQUIRE(with_reason.size() == 1);
    CHECK(AccessOf(with_reason[0]).purpose() == ac::PURPOSE_NORMAL_WORK);
    CHECK(AccessOf(with_reason[0]).emergency_reason().empty());
  }

  SECTION("a case whose application was corrected to another person: both people admitted and recorded") {
    Client anna = f.As(kAnna);
    auto decisions = d::Decisions::NewStub(anna.channel);
    d::RecordRequest fix;
    fix.set_case_id("c1");
    fix.mutable_corrected()->set_target_revision(0);
    fix.mutable_corrected()->set_reason("Fel person registrerad");
    d::ApplicationReceived replacement = Application("c1", kPerson).application_received();
    replacement.mutable_subject()->set_personal_identity_number("195001011237");
    REQUIRE(replacement.SerializeToString(fix.mutable_corrected()->mutable_replacement_payload()));
    d::RecordResponse out;
    const grpc::Status corrected = decisions->Record(Ctx("").get(), fix, &out);
    INFO(corrected.error_message());
    REQUIRE(corrected.ok());
    // The stream still holds the first person's application: the auditor's
    // read of it is recorded for both people.
    v1::ReadStreamResponse read;
    auto left = f.Leaves([&] { REQUIRE(f.ReadCase(kRut, "c1", "", &read).ok()); });
    CHECK(read.events_size() == 2);
    REQUIRE(left.size() == 2);
    CHECK(AccessOf(left[0]).subject().personal_identity_number() == "191212121212");
    CHECK(AccessOf(left[1]).subject().personal_identity_number() == "195001011237");
    // The first person no longer has a case at the unit, so the handläggare
    // is refused the stream that still names them: one denial.
    grpc::Status st;
    left = f.Leaves([&] { st = f.ReadCase(kAnna, "c1"); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    REQUIRE(left.size() == 1);
    CHECK(AccessOf(left[0]).outcome() == ac::OUTCOME_DENIED);
    CHECK(AccessOf(left[0]).subject().personal_identity_number() == "191212121212");
    // A page is checked for the people named up to its last event.
    Client rut = f.As(kRut);
    v1::ReadStreamRequest first;
    first.set_stream("beslut-c1");
    first.set_max_count(1);
    left = f.Leaves([&] { REQUIRE(rut.es->ReadStream(Ctx("").get(), first, &read).ok()); });
    CHECK(read.events_size() == 1);
    REQUIRE(left.size() == 1);  // the first page holds the first application only
    CHECK(AccessOf(left[0]).subject().personal_identity_number() == "191212121212");
  }

  SECTION("a handläggare at another unit is refused: one denial, naming no one") {
    grpc::Status st;
    const auto left = f.Leaves([&] { st = f.ReadCase(kBo, "c1"); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK_THAT(st.error_message(), Catch::Contains("no case open at the caller's units"));
    CHECK_THAT(st.error_message(), !Catch::Contains("1212"));
    REQUIRE(left.size() == 1);
    const ac::AccessRecorded a = AccessOf(left[0]);
    CHECK(a.user_hsa_id() == kBo);
    CHECK(a.unit() == "Hemtjänst Norr");
    CHECK(a.outcome() == ac::OUTCOME_DENIED);
    CHECK(a.subject().personal_identity_number() == "191212121212");
  }

  SECTION("nödåtkomst: allowed with its reason, recorded as nödåtkomst for loggkontroll to flag") {
    const std::string reason = "Akut: brukaren saknas och polisen frågar efter insatser";
    grpc::Status st;
    const auto left = f.Leaves([&] { st = f.ReadCase(kBo, "c1", reason); });
    INFO(st.error_message());
    CHECK(st.ok());
    REQUIRE(left.size() == 1);
    const ac::AccessRecorded a = AccessOf(left[0]);
    CHECK(a.purpose() == ac::PURPOSE_NODATKOMST);
    CHECK(a.emergency_reason() == reason);
    CHECK(a.outcome() == ac::OUTCOME_ALLOWED);
    CHECK(a.role() == "handlaggare");
    // The CLI gives the reason with --nodatkomst.
    const std::string dir = f.dir.path().string();
    WritePem(dir + "/bo.pem", f.certs.at(kBo).cert_pem);
    WritePem(dir + "/bo.key", f.certs.at(kBo).key_pem);
    CliResult cli;
    const auto by_cli = f.Leaves([&] {
      cli = RunCli({"--server", f.server.address(), "--tls-ca", f.pki.Path("ca.pem"), "--tls-cert", dir + "/bo.pem",
                    "--tls-key", dir + "/bo.key", "--nodatkomst", "Åter: brukaren saknas", "read", "stream",
                    "beslut-c1"});
    });
    INFO(cli.err);
    CHECK(cli.exit_code == 0);
    CHECK_THAT(cli.out, Catch::Contains("ApplicationReceived"));
    REQUIRE(by_cli.size() == 1);
    CHECK(AccessOf(by_cli[0]).emergency_reason() == "Åter: brukaren saknas");
    // Loggkontroll flags it: a targeted review of the handläggare finds the nödåtkomst.
    {
      Client lena = f.As(kLena);
      auto review = v1::logreview::LogReview::NewStub(lena.channel);
      v1::logreview::OpenReviewRequest open;
      open.set_review_id("riktad-bo");
      open.set_from_date(UtcDate(-1));
      open.set_kind(v1::logreview::REVIEW_KIND_TARGETED);
      open.set_reason("Misstanke om otillåten åtkomst");
      open.add_target_users(kBo);
      v1::logreview::OpenReviewResponse opened;
      // Up to today in Sweden: tomorrow's UTC date late in the UTC day, else today's.
      grpc::Status rs;
      for (int days : {1, 0}) {
        open.set_to_date(UtcDate(days));
        rs = review->OpenReview(Ctx("").get(), open, &opened);
        if (rs.ok()) break;
      }
      INFO(rs.error_message());
      REQUIRE(rs.ok());
      v1::logreview::DrawSampleRequest draw;
      draw.set_review_id("riktad-bo");
      v1::logreview::DrawSampleResponse drawn;
      rs = review->DrawSample(Ctx("").get(), draw, &drawn);
      INFO(rs.error_message());
      REQUIRE(rs.ok());
      v1::logreview::ReviewRequest get;
      get.set_review_id("riktad-bo");
      v1::logreview::ReviewView view;
      REQUIRE(review->GetReview(Ctx("").get(), get, &view).ok());
      int flagged_nodatkomst = 0;
      for (const auto& access : view.accesses()) {
        for (const auto& hit : access.hits()) {
          if (hit.rule() == "nodatkomst" && access.access().emergency_reason() == reason) ++flagged_nodatkomst;
        }
      }
      CHECK(flagged_nodatkomst == 1);
    }
    // A role that may not read a person's records gets nothing by giving a reason.
    const auto refused = f.Leaves([&] { st = f.ReadCase(kLena, "c1", reason); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);  // loggranskare may not ReadStream at all
    REQUIRE(refused.size() == 1);
    CHECK(CallOf(refused[0]).outcome() == ac::OUTCOME_DENIED);
  }

  SECTION("protected identity: refused at the case's own unit, open to the roles configured") {
    grpc::Status st;
    auto left = f.Leaves([&] { st = f.ReadCase(kAnna, "c2"); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK_THAT(st.error_message(), Catch::Contains("protected identity"));
    REQUIRE(left.size() == 1);
    CHECK(AccessOf(left[0]).outcome() == ac::OUTCOME_DENIED);
    // Not even with nödåtkomst.
    left = f.Leaves([&] { st = f.ReadCase(kAnna, "c2", "Akut"); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    REQUIRE(left.size() == 1);
    CHECK(AccessOf(left[0]).purpose() == ac::PURPOSE_NODATKOMST);
    // The enhetschef of the unit may.
    left = f.Leaves([&] { st = f.ReadCase(kKarin, "c2"); });
    INFO(st.error_message());
    CHECK(st.ok());
    REQUIRE(left.size() == 1);
    CHECK(AccessOf(left[0]).outcome() == ac::OUTCOME_ALLOWED);
    CHECK(AccessOf(left[0]).role() == "enhetschef");
  }

  SECTION("the auditor reads any person's records, and its reads are recorded too") {
    grpc::Status st;
    auto left = f.Leaves([&] { st = f.ReadCase(kRut, "c1"); });
    INFO(st.error_message());
    CHECK(st.ok());
    REQUIRE(left.size() == 1);
    const ac::AccessRecorded a = AccessOf(left[0]);
    CHECK(a.user_hsa_id() == kRut);
    CHECK(a.role() == "revisor");
    CHECK(a.outcome() == ac::OUTCOME_ALLOWED);
    // A read of the whole log leaves one record of its scope.
    Client rut = f.As(kRut);
    v1::ReadAllRequest req;
    req.set_max_count(3);
    req.set_stream_prefix("beslut-");
    v1::ReadAllResponse resp;
    left = f.Leaves([&] { st = rut.es->ReadAll(Ctx("").get(), req, &resp); });
    CHECK(st.ok());
    CHECK(resp.events_size() == 2);
    REQUIRE(left.size() == 1);
    const ac::CallRecorded call = CallOf(left[0]);
    CHECK(call.user() == kRut);
    CHECK(call.method() == "sparbar.v1.EventStore/ReadAll");
    CHECK(call.outcome() == ac::OUTCOME_ALLOWED);
    CHECK_THAT(call.scope(), Catch::Contains("\"stream_prefix\":\"beslut-\""));
  }

  SECTION("the wrong role: one denial naming the method, and nothing else changes") {
    Client anna = f.As(kAnna);
    v1::ReadAllRequest req;
    v1::ReadAllResponse resp;
    grpc::Status st;
    auto left = f.Leaves([&] { st = anna.es->ReadAll(Ctx("").get(), req, &resp); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK_THAT(st.error_message(), Catch::Contains("needs one of the roles"));
    CHECK(resp.events_size() == 0);
    REQUIRE(left.size() == 1);
    ac::CallRecorded call = CallOf(left[0]);
    CHECK(call.user() == kAnna);
    CHECK(call.method() == "sparbar.v1.EventStore/ReadAll");
    CHECK(call.outcome() == ac::OUTCOME_DENIED);
    CHECK_FALSE(call.refusal().empty());
    // Verifying the whole log is for the roles that audit.
    v1::VerifyLogRequest verify;
    grpc::ClientContext verify_ctx;
    auto progress = anna.audit->VerifyLog(&verify_ctx, verify);
    v1::VerifyLogProgress progress_step;
    while (progress->Read(&progress_step)) {
    }
    CHECK(progress->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
    // A stream that is no one person's case is read as the log is: not by a handläggare.
    v1::ReadStreamRequest log_stream;
    log_stream.set_stream("anrop-sparbar");
    v1::ReadStreamResponse log_read;
    left = f.Leaves([&] { st = anna.es->ReadStream(Ctx("").get(), log_stream, &log_read); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    CHECK(log_read.events_size() == 0);
    REQUIRE(left.size() == 1);
    CHECK(CallOf(left[0]).outcome() == ac::OUTCOME_DENIED);
    CHECK(CallOf(left[0]).method() == "sparbar.v1.EventStore/ReadStream");
    // A write in the wrong role: refused, recorded, and the case unchanged.
    Client rut = f.As(kRut);
    auto decisions = d::Decisions::NewStub(rut.channel);
    d::RecordRequest step;
    step.set_case_id("c1");
    step.mutable_investigation_opened()->set_opened_date("2026-10-05");
    step.mutable_investigation_opened()->set_case_officer("handlaggare");
    d::RecordResponse out;
    left = f.Leaves([&] { st = decisions->Record(Ctx("").get(), step, &out); });
    CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
    REQUIRE(left.size() == 1);
    call = CallOf(left[0]);
    CHECK(call.method() == "sparbar.v1.decisions.Decisions/Record");
    CHECK(call.outcome() == ac::OUTCOME_DENIED);
    CHECK(call.scope().empty());  // a refused request is not let into the log
    v1::ReadStreamResponse read;
    REQUIRE(f.ReadCase(kRut, "c1", "", &read).ok());
    CHECK(read.events_size() == 1);  // no investigation was recorded
  }

  SECTION("a report reads many people's cases: one record of its scope before it answers") {
    Client karin = f.As(kKarin);
    auto reports = d::DecisionReports::NewStub(karin.channel);
    d::EjVerkstalldaRequest req;
    req.set_quarter("2026Q4");
    d::EjVerkstalldaResponse report;
    grpc::Status st;
    const auto left = f.Leaves([&] { st = reports->EjVerkstallda(Ctx("").get(), req, &report); });
    INFO(st.error_message());
    CHECK(st.ok());
    REQUIRE(left.size() == 1);
    const ac::CallRecorded call = CallOf(left[0]);
    CHECK(call.method() == "sparbar.v1.decisions.DecisionReports/EjVerkstallda");
    CHECK_THAT(call.scope(), Catch::Contains("2026Q4"));
    CHECK(call.units(0) == "Midskogen");
  }
}

TEST_CASE("the server refuses a policy that misses a method or a role the identities hold, before the store",
          "[integration][tls][authz]") {
  TempDir dir;
  Pki pki(dir, R"({"id": "SE2321000230-0001", "roles": ["handlaggare"]})");
  const std::string data = (dir.path() / "data").string();
  auto with_policy = [&](const std::string& policy) {
    std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--data", data};
    auto tls = pki.ServerArgs();
    *(std::find(tls.begin(), tls.end(), "--policy") + 1) = policy;
    args.insert(args.end(), tls.begin(), tls.end());
    return args;
  };
  std::string shipped;
  {
    std::ifstream in(Pki::ShippedPolicy());
    shipped.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string log;
  // One method left out.
  std::string missing = shipped;
  const std::string line = "\"sparbar.v1.EventStore/ReadAll\": [\"revisor\", \"integration\"],";
  REQUIRE(missing.find(line) != std::string::npos);
  missing.erase(missing.find(line), line.size());
  WritePem(pki.Path("missing.json"), missing);
  CHECK(RunServerToExit(with_policy(pki.Path("missing.json")), &log) == 1);
  CHECK_THAT(log, Catch::Contains("gives no roles for sparbar.v1.EventStore/ReadAll"));
  // A role the identities hold but the policy does not declare.
  WritePem(pki.Path("identities.json"), R"({"identities": [{"id": "SE2321000230-0001", "roles": ["chef"]}]})");
  CHECK(RunServerToExit(with_policy(Pki::ShippedPolicy()), &log) == 1);
  CHECK_THAT(log, Catch::Contains("has the role \"chef\", which the access policy does not declare"));
  CHECK_FALSE(std::filesystem::exists(data));
}

TEST_CASE("development mode with --policy: roles and units from metadata, the same rules", "[integration][authz]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string(), {"--policy", Pki::ShippedPolicy()});
  Client c(server.address());
  auto as = [](const char* roles, const std::string& units) {
    auto ctx = Ctx("SE2321000230-0001");
    ctx->AddMetadata("x-sparbar-roles", roles);
    if (!units.empty()) ctx->AddMetadata("x-sparbar-units-bin", units);
    return ctx;
  };
  auto decisions = d::Decisions::NewStub(c.channel);
  d::RecordResponse out;
  REQUIRE(decisions->Record(as("handlaggare", "Midskogen").get(), Application("c1", kPerson), &out).ok());
  // Without a role the policy names: refused.
  CHECK(decisions->Record(Ctx("SE2321000230-0001").get(), Application("c2", kPerson), &out).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  v1::ReadStreamRequest req;
  req.set_stream("beslut-c1");
  v1::ReadStreamResponse resp;
  const grpc::Status other = c.es->ReadStream(as("handlaggare", "Hemtjänst Norr,Öster").get(), req, &resp);
  CHECK(other.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK_THAT(other.error_message(), Catch::Contains("(Hemtjänst Norr, …)"));
  const grpc::Status own = c.es->ReadStream(as("handlaggare", "Öster,Midskogen").get(), req, &resp);
  INFO(own.error_message());
  CHECK(own.ok());
  CHECK(resp.events_size() == 1);
  // When the access event cannot be written, the read fails and returns
  // nothing: here the auditor's unit holds a personnummer, which no access
  // event may carry outside its subject.
  v1::ReadStreamResponse unrecorded;
  const grpc::Status failed = c.es->ReadStream(as("revisor", "19121212-1212").get(), req, &unrecorded);
  CHECK(failed.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(failed.error_message(), Catch::Contains("cannot be recorded in the access log"));
  CHECK_THAT(failed.error_message(), Catch::Contains("nothing is returned"));
  CHECK_THAT(failed.error_message(), !Catch::Contains("1212"));
  CHECK(unrecorded.events_size() == 0);
  // A unit list that breaks the rules is refused as unauthenticated.
  CHECK(c.es->ReadStream(as("handlaggare", "Midskogen,,x").get(), req, &resp).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
}
