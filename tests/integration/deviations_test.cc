// The Deviations service through the real server: a deviation recorded step
// by step to closed, refusals that write nothing, retries and stale
// revisions, and a server that will not start without its taxonomy.
#include <catch2/catch.hpp>

#include <fstream>

#include "integration/client_util.h"
#include "sparbar/v1/deviations_service.grpc.pb.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace dv = sparbar::v1::deviations;

struct DeviationsClient {
  explicit DeviationsClient(const std::string& address)
      : base(address), stub(dv::Deviations::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<dv::Deviations::Stub> stub;

  grpc::Status Record(const dv::RecordRequest& r, dv::RecordResponse* out = nullptr) {
    dv::RecordResponse ignored;
    return stub->Record(Ctx().get(), r, out ? out : &ignored);
  }
};

dv::RecordRequest Reported(const std::string& id) {
  dv::RecordRequest r;
  r.set_deviation_id(id);
  auto* m = r.mutable_reported();
  m->set_domain(dv::DOMAIN_SOL);
  m->set_unit("Särskilt boende Midskogen");
  m->set_occurred_date("2025-04-10");
  m->set_reported_date("2025-04-11");
  m->add_areas("hot_och_vald");
  m->set_direction(dv::DIRECTION_INTERNAL);
  m->set_description("Brukare slog personal");
  return r;
}

dv::RecordRequest Causes(const std::string& id) {
  dv::RecordRequest r;
  r.set_deviation_id(id);
  r.mutable_root_causes_documented()->set_documented_date("2025-04-20");
  r.mutable_root_causes_documented()->add_root_causes("Rutinen för överlämning följdes inte");
  return r;
}

dv::RecordRequest Action(const std::string& id) {
  dv::RecordRequest r;
  r.set_deviation_id(id);
  r.mutable_action_taken()->set_action_date("2025-04-25");
  r.mutable_action_taken()->set_action_type("gruppsamtal");
  r.mutable_action_taken()->set_content("Genomgång av rutinen");
  return r;
}

dv::RecordRequest FollowUp(const std::string& id) {
  dv::RecordRequest r;
  r.set_deviation_id(id);
  r.mutable_followed_up()->set_followed_up_date("2025-05-20");
  r.mutable_followed_up()->set_effect("Inga nya händelser");
  return r;
}

dv::RecordRequest Closed(const std::string& id) {
  dv::RecordRequest r;
  r.set_deviation_id(id);
  r.mutable_closed()->set_closed_date("2025-05-21");
  return r;
}

void RecordAll(DeviationsClient& c, const std::vector<dv::RecordRequest>& steps) {
  for (const auto& s : steps) {
    grpc::Status st = c.Record(s);
    INFO(s.ShortDebugString() << " → " << st.error_message());
    REQUIRE(st.ok());
  }
}

}  // namespace

TEST_CASE("Deviations.Record takes a deviation to closed and refuses what breaks a rule, writing nothing",
          "[integration][deviations]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DeviationsClient c(server.address());
  RecordAll(c, {Reported("2025-0042"), Causes("2025-0042")});
  CHECK(WrittenSize(c.base) == 2);

  // Closing before the follow-up: the rule, and nothing written.
  grpc::Status st = c.Record(Closed("2025-0042"));
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("closing requires a documented root cause and a follow-up") != std::string::npos);
  // An area the taxonomy in force does not have.
  auto unknown = Reported("2025-0043");
  unknown.mutable_reported()->set_areas(0, "rymning");
  st = c.Record(unknown);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("areas: unknown SoL/LSS area \"rymning\"") != std::string::npos);
  // A deviation id must not carry a personnummer.
  st = c.Record(Reported("19121212-1212"));
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("deviation_id holds a personnummer") != std::string::npos);
  dv::RecordRequest empty;
  empty.set_deviation_id("2025-0044");
  CHECK(c.Record(empty).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(WrittenSize(c.base) == 2);

  RecordAll(c, {Action("2025-0042"), FollowUp("2025-0042"), Closed("2025-0042")});
  CHECK(WrittenSize(c.base) == 5);
  v1::ReadStreamRequest read;
  read.set_stream("avvikelse-2025-0042");
  v1::ReadStreamResponse events;
  REQUIRE(c.base.es->ReadStream(Ctx().get(), read, &events).ok());
  REQUIRE(events.events_size() == 5);
  CHECK(events.events(0).type() == "sparbar.v1.deviations.DeviationReported");
  CHECK(events.events(0).metadata().actor() == "test-actor");
  dv::DeviationReported stored;
  REQUIRE(stored.ParseFromString(events.events(0).payload()));
  CHECK(stored.taxonomy_version() == "2024-03");  // recorded by the decider
  CHECK(events.events(4).type() == "sparbar.v1.deviations.DeviationClosed");
}

TEST_CASE("Deviations.Record: a retry with the same event id is answered again, a stale revision is ABORTED",
          "[integration][deviations]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DeviationsClient c(server.address());
  auto report = Reported("2025-0100");
  report.set_event_id("5d0c7a1e-2f4b-4c8e-9a61-0b2c3d4e5f60");
  dv::RecordResponse first, again;
  REQUIRE(c.Record(report, &first).ok());
  REQUIRE(c.Record(report, &again).ok());
  CHECK(again.duplicate());
  CHECK(again.position() == first.position());
  auto other = Reported("2025-0100");
  other.set_event_id(report.event_id());
  other.mutable_reported()->set_unit("Hemtjänst norr");
  CHECK(c.Record(other).error_code() == grpc::StatusCode::ALREADY_EXISTS);

  auto causes = Causes("2025-0100");
  causes.set_expected_revision(0);
  REQUIRE(c.Record(causes).ok());
  auto stale = Action("2025-0100");
  stale.set_expected_revision(0);
  grpc::Status st = c.Record(stale);
  CHECK(st.error_code() == grpc::StatusCode::ABORTED);
  CHECK(st.error_message().find("the deviation is at revision 1, not 0") != std::string::npos);
  CHECK(WrittenSize(c.base) == 2);
}

TEST_CASE("the server does not start without a usable deviation taxonomy, and says which flag names it",
          "[integration][deviations]") {
  TempDir dir;
  const std::string data = (dir.path() / "data").string();
  std::string log;
  int code = RunServerToExit({"--dev", "--listen", "127.0.0.1:0", "--data", data, "--deviation-taxonomy",
                              (dir.path() / "missing.json").string()},
                             &log);
  CHECK(code == 1);
  CHECK_THAT(log, Catch::Contains("cannot read the deviation taxonomy"));
  CHECK_THAT(log, Catch::Contains("--deviation-taxonomy"));
  const auto broken = dir.path() / "broken.json";
  {
    std::ofstream out(broken);
    out << R"({"versions": [{"version": "x", "valid_from": "2024-01-01"}]})";
  }
  code = RunServerToExit({"--dev", "--listen", "127.0.0.1:0", "--data", data, "--deviation-taxonomy", broken.string()},
                         &log);
  CHECK(code == 1);
  CHECK_THAT(log, Catch::Contains("\"hsl_areas\""));
}

namespace {

std::unique_ptr<grpc::ClientContext> WithRoles(const std::string& roles) {
  auto ctx = Ctx();
  ctx->AddMetadata("x-sparbar-roles", roles);
  return ctx;
}

}  // namespace

TEST_CASE("a lex Sarah report: the severity needs the SAS role, closing needs progress in its follow-up case",
          "[integration][deviations]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DeviationsClient c(server.address());
  dv::RecordResponse out;
  auto lex = [&](auto fill, const std::string& roles = "") {
    dv::RecordLexSarahRequest r;
    r.set_report_id("2025-17");
    fill(r);
    return c.stub->RecordLexSarah((roles.empty() ? Ctx() : WithRoles(roles)).get(), r, &out);
  };
  auto follow = [&](auto fill) {
    dv::RecordFollowUpRequest r;
    r.set_case_id("2025-17");
    fill(r);
    return c.stub->RecordFollowUp(Ctx().get(), r, &out);
  };
  REQUIRE(lex([](auto& r) {
            auto* m = r.mutable_reported();
            m->set_reported_date("2025-03-04");
            m->set_occurred_date("2025-03-04");
            m->set_unit("Gruppbostad");
            m->set_description("Brukare lämnades utan tillsyn");
          }).ok());
  auto decide = [](auto& r) {
    auto* m = r.mutable_severity_decided();
    m->set_decided_date("2025-04-01");
    m->set_level(sparbar::v1::lexsarah::LEVEL_MISSFORHALLANDE);
    m->set_reasons("Brister i bemanningen");
  };
  grpc::Status st = lex(decide, "enhetschef");
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(lex(decide, "SAS!").error_code() == grpc::StatusCode::UNAUTHENTICATED);  // not a valid role name
  CHECK(WrittenSize(c.base) == 1);
  REQUIRE(lex(decide, "enhetschef,sas").ok());
  REQUIRE(lex([](auto& r) {
            r.mutable_follow_up_opened()->set_opened_date("2025-04-02");
            r.mutable_follow_up_opened()->set_follow_up_stream("uppfoljning-2025-17");
          }).ok());
  auto close = [](auto& r) { r.mutable_closed()->set_closed_date("2025-06-01"); };
  st = lex(close);
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("documented progress in the follow-up case uppfoljning-2025-17") != std::string::npos);

  REQUIRE(follow([](auto& r) {
            auto* m = r.mutable_opened();
            m->set_opened_date("2025-04-02");
            m->set_origin_stream("lexsarah-2025-17");
            m->set_responsible("Enhetschef");
          }).ok());
  REQUIRE(follow([](auto& r) {
            auto* m = r.mutable_action_planned();
            m->set_action_id("a1");
            m->set_description("Ny rutin för nattillsyn");
            m->set_owner("Enhetschef");
            m->set_due_date("2025-09-30");
          }).ok());
  REQUIRE(follow([](auto& r) {
            auto* m = r.mutable_progress_recorded();
            m->set_recorded_date("2025-05-15");
            m->set_text("Rutinen är framtagen");
          }).ok());
  REQUIRE(lex(close).ok());
  CHECK(WrittenSize(c.base) == 7);
}

TEST_CASE("a lex Maria case opened from a deviation needs an HSL deviation of severity 3 or 4, which links back",
          "[integration][deviations]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  DeviationsClient c(server.address());
  auto hsl = [&](const std::string& id, uint32_t severity) {
    dv::RecordRequest r = Reported(id);
    auto* m = r.mutable_reported();
    m->set_domain(dv::DOMAIN_HSL);
    m->clear_areas();
    m->set_hsl_area("lakemedel");
    m->set_severity(severity);
    REQUIRE(c.Record(r).ok());
  };
  hsl("2025-0311", 2);
  hsl("2025-0312", 3);
  auto open = [&](const std::string& from) {
    dv::RecordLexMariaRequest r;
    r.set_case_id("2025-3");
    auto* m = r.mutable_opened();
    m->set_opened_date("2025-04-12");
    m->set_unit("Hemsjukvården");
    m->set_description("Insulin förväxlat");
    m->set_from_deviation(from);
    dv::RecordResponse out;
    return c.stub->RecordLexMaria(Ctx().get(), r, &out);
  };
  grpc::Status st = open("avvikelse-2025-0311");
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("allvarlighetsgrad 3 or 4") != std::string::npos);
  CHECK(open("avvikelse-2025-9999").error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(WrittenSize(c.base) == 2);
  REQUIRE(open("avvikelse-2025-0312").ok());
  // The deviation's stream records the link back to the case.
  v1::ReadStreamRequest read;
  read.set_stream("avvikelse-2025-0312");
  read.set_max_count(10);
  v1::ReadStreamResponse events;
  REQUIRE(c.base.es->ReadStream(Ctx().get(), read, &events).ok());
  REQUIRE(events.events_size() == 2);
  CHECK(events.events(1).type() == "sparbar.v1.deviations.LinkedToCase");
  dv::LinkedToCase link;
  REQUIRE(link.ParseFromString(events.events(1).payload()));
  CHECK(link.case_stream() == "lexmaria-2025-3");
  CHECK(link.linked_date() == "2025-04-12");
  CHECK(WrittenSize(c.base) == 4);
  dv::RecordLexMariaRequest start;
  start.set_case_id("2025-3");
  start.mutable_investigation_started()->set_started_date("2025-04-13");
  dv::RecordResponse out;
  CHECK(c.stub->RecordLexMaria(Ctx().get(), start, &out).error_code() == grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(c.stub->RecordLexMaria(WithRoles("mas").get(), start, &out).ok());
  CHECK(WrittenSize(c.base) == 5);
}
