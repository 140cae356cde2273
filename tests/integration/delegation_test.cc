// Delegation and yttranden through the real server and CLI: Kalix's § 92 of
// 2024-05-22 (seed 002 B:762-819) recorded as a meeting paragraph and as an
// amendment of the delegation order resting on it; decisions under the new
// points checked against the version in force on their day, reported to the
// next meeting, and listed by `sparbar report delegationsbeslut`; Luleå's
// 21 requests for statements of 2025 (seed 003 L5310-L5322) counted back by
// `sparbar report yttranden`, the awaited ones by `yttranden-frister`. Bad
// input is refused and writes nothing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "integration/client_util.h"
#include "sparbar/v1/committee_service.grpc.pb.h"
#include "sparbar/v1/delegation_service.grpc.pb.h"
#include "sparbar/v1/statements_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace cv = sparbar::v1::committee;
namespace dv = sparbar::v1::delegation;
namespace sv = sparbar::v1::statements;

void Meeting(cv::Committee::Stub& stub, const std::string& id, const std::string& date,
             const std::vector<uint32_t>& paragraphs) {
  cv::RecordResponse out;
  cv::RecordRequest held;
  held.set_meeting_id(id);
  auto* m = held.mutable_held();
  m->set_body("Socialnämnden");
  m->set_meeting_date(date);
  m->set_chair("Inga-Lis Samuelsson (C)");
  m->set_secretary("Ann-Kristin Andersson");
  m->add_attesters("Stefan Granström (C)");
  REQUIRE(stub.Record(Ctx("namndsekreterare").get(), held, &out).ok());
  for (uint32_t n : paragraphs) {
    cv::RecordRequest r;
    r.set_meeting_id(id);
    r.mutable_paragraph()->set_number(n);
    r.mutable_paragraph()->set_title("Ärende § " + std::to_string(n));
    r.mutable_paragraph()->set_decision("Socialnämnden beslutar enligt förslaget.");
    REQUIRE(stub.Record(Ctx("namndsekreterare").get(), r, &out).ok());
  }
}

dv::DelegationPoint Point(const std::string& code, const std::string& matter, const std::string& lagrum,
                          const std::string& delegate) {
  dv::DelegationPoint p;
  p.set_point(code);
  p.set_matter(matter);
  p.set_lagrum(lagrum);
  p.add_delegates(delegate);
  return p;
}

dv::RecordDecisionRequest Taken(const std::string& id, const std::string& point, const std::string& date,
                                const std::string& role) {
  dv::RecordDecisionRequest r;
  r.set_decision_id(id);
  auto* t = r.mutable_taken();
  t->set_order_id("socialnamnden");
  t->set_point(point);
  t->set_decided_date(date);
  t->set_delegate("Anna Lind");
  t->set_delegate_role(role);
  t->set_matter("Bostad först beviljas");
  t->set_case_reference("beslut-2024-0117");
  t->set_outcome("bifall");
  return r;
}

dv::RecordDecisionRequest Reported(const std::string& id, const std::string& meeting, uint32_t paragraph) {
  dv::RecordDecisionRequest r;
  r.set_decision_id(id);
  r.mutable_reported()->mutable_reported_in()->set_meeting_id(meeting);
  r.mutable_reported()->mutable_reported_in()->set_paragraph(paragraph);
  return r;
}

}  // namespace

TEST_CASE("Kalix's § 92 amends the delegation order; decisions under it are checked, reported and listed",
          "[integration][delegation]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Client base(server.address());
  auto committee = cv::Committee::NewStub(base.channel);
  auto delegation = dv::Delegation::NewStub(base.channel);
  Meeting(*committee, "sn-2024-05-22", "2024-05-22", {86, 92});
  Meeting(*committee, "sn-2024-06-19", "2024-06-19", {101});
  dv::RecordResponse out;
  grpc::Status st;

  dv::RecordOrderRequest adopted;
  adopted.set_order_id("socialnamnden");
  adopted.mutable_adopted()->set_version("2023-01-01");
  adopted.mutable_adopted()->set_valid_from("2023-01-01");
  *adopted.mutable_adopted()->add_points() =
      Point("I 1", "Beslut om att inleda utredning", "11 kap 1 § Socialtjänstlagen", "Socialsekreterare");
  st = delegation->RecordOrder(Ctx("namndsekreterare").get(), adopted, &out);
  INFO(st.error_code() << " " << st.error_message());
  REQUIRE(st.ok());
  dv::RecordOrderRequest amended;
  amended.set_order_id("socialnamnden");
  auto* a = amended.mutable_amended();
  a->set_version("2024-05-22 § 92");
  a->set_valid_from("2024-06-03");
  a->mutable_decided_in()->set_meeting_id("sn-2024-05-22");
  a->mutable_decided_in()->set_paragraph(92);
  a->set_dnr("2024-00132 70");
  amended.set_event_id("0b5d9c1e-3f7a-4e2b-8c6d-1a2b3c4d5e6f");
  *a->add_points() = Point("G 4.3", "Beslut till boende i Bostad först", "4 kap 2 § Socialtjänstlagen", "Enhetschef");
  *a->add_points() =
      Point("G 4.4", "Beslut till stöd i boende Bostad först", "4 kap 1 § Socialtjänstlagen", "Socialsekreterare");

  // Bad input, each refused and nothing written.
  const uint64_t before = WrittenSize(base);
  dv::RecordOrderRequest unknown_paragraph = amended;
  unknown_paragraph.mutable_amended()->mutable_decided_in()->set_paragraph(93);
  st = delegation->RecordOrder(Ctx("namndsekreterare").get(), unknown_paragraph, &out);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(st.error_message(), Catch::Contains("§ 93 is not recorded for the meeting sn-2024-05-22"));
  dv::RecordOrderRequest no_meeting = amended;
  no_meeting.mutable_amended()->mutable_decided_in()->set_meeting_id("sn-2024-05-23");
  st = delegation->RecordOrder(Ctx("namndsekreterare").get(), no_meeting, &out);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(st.error_message(), Catch::Contains("decided_in.meeting_id names no meeting recorded as held"));
  st = delegation->RecordDecision(Ctx("enhetschef.anna").get(), Taken("2024-0117", "G 4.3", "2024-06-10", "Enhetschef"),
                                  &out);
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);  // the point is not in force yet
  CHECK_THAT(st.error_message(), Catch::Contains("point G 4.3 is not in the delegation order in force on 2024-06-10"));
  CHECK(delegation->RecordOrder(Ctx("").get(), amended, &out).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(WrittenSize(base) == before);

  REQUIRE(delegation->RecordOrder(Ctx("namndsekreterare").get(), amended, &out).ok());
  st = delegation->RecordDecision(Ctx("socialsekreterare.erik").get(),
                                  Taken("2024-0118", "G 4.3", "2024-06-10", "Socialsekreterare"), &out);
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(st.error_message(), Catch::Contains("delegated to Enhetschef, not Socialsekreterare"));
  dv::RecordDecisionRequest first = Taken("2024-0117", "G 4.3", "2024-06-10", "Enhetschef");
  first.set_event_id("6f1c2a8e-5d0b-4c61-9a3e-2b7d8f4e1c90");
  REQUIRE(delegation->RecordDecision(Ctx("enhetschef.anna").get(), first, &out).ok());
  const uint64_t first_position = out.position();
  // A retry with the same event id is answered again and writes nothing; the same id for another step is refused.
  REQUIRE(delegation->RecordDecision(Ctx("enhetschef.anna").get(), first, &out).ok());
  CHECK(out.duplicate());
  CHECK(out.position() == first_position);
  dv::RecordDecisionRequest other = Taken("2024-0117", "G 4.3", "2024-06-11", "Enhetschef");
  other.set_event_id(first.event_id());
  CHECK(delegation->RecordDecision(Ctx("enhetschef.anna").get(), other, &out).error_code() ==
        grpc::StatusCode::ALREADY_EXISTS);
  REQUIRE(delegation
              ->RecordDecision(Ctx("socialsekreterare.erik").get(),
                               Taken("2024-0119", "G4.4", "2024-06-12", "socialsekreterare"), &out)
              .ok());
  const uint64_t after_decisions = WrittenSize(base);
  CHECK(delegation->RecordDecision(Ctx("namndsekreterare").get(), Reported("2024-0117", "sn-2024-05-22", 86), &out)
            .error_code() == grpc::StatusCode::INVALID_ARGUMENT);  // a meeting before the decision
  dv::RecordDecisionRequest stale = Reported("2024-0117", "sn-2024-06-19", 101);
  stale.set_expected_revision(1);
  CHECK(delegation->RecordDecision(Ctx("namndsekreterare").get(), stale, &out).error_code() ==
        grpc::StatusCode::ABORTED);
  // A retry of § 92's version after decisions were checked against it is still answered as a duplicate.
  REQUIRE(delegation->RecordOrder(Ctx("namndsekreterare").get(), amended, &out).ok());
  CHECK(out.duplicate());
  // A version cannot take effect on or before a decision recorded under the order.
  dv::RecordOrderRequest backdated;
  backdated.set_order_id("socialnamnden");
  backdated.mutable_amended()->set_version("2024-06-12 rättelse");
  backdated.mutable_amended()->set_valid_from("2024-06-12");
  backdated.mutable_amended()->add_removed("G 4.4");
  st = delegation->RecordOrder(Ctx("namndsekreterare").get(), backdated, &out);
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK_THAT(st.error_message(), Catch::Contains("a decision under the order was taken on 2024-06-12"));
  CHECK(WrittenSize(base) == after_decisions);
  REQUIRE(
      delegation->RecordDecision(Ctx("namndsekreterare").get(), Reported("2024-0117", "sn-2024-06-19", 101), &out).ok());

  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address(), "report"});
    return RunCli(args);
  };
  const CliResult order = cli({"delegationsordning", "--order", "socialnamnden", "--on", "2024-06-03"});
  INFO(order.err);
  REQUIRE(order.exit_code == 0);
  CHECK(order.out ==
        "punkt,arende,lagrum,delegat\r\n"
        "G 4.3,Beslut till boende i Bostad först,4 kap 2 § Socialtjänstlagen,Enhetschef\r\n"
        "G 4.4,Beslut till stöd i boende Bostad först,4 kap 1 § Socialtjänstlagen,Socialsekreterare\r\n"
        "I 1,Beslut om att inleda utredning,11 kap 1 § Socialtjänstlagen,Socialsekreterare\r\n");
  const CliResult older = cli({"delegationsordning", "--order", "socialnamnden", "--on", "2024-06-02"});
  REQUIRE(older.exit_code == 0);
  CHECK_THAT(older.err, Catch::Contains("version 2023-01-01"));
  const CliResult none = cli({"delegationsordning", "--order", "socialnamnden", "--on", "2022-01-01"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("NOT_FOUND: no version of the delegation order socialnamnden is in force"));

  const CliResult list = cli({"delegationsbeslut", "--year", "2024", "--format", "json"});
  INFO(list.err);
  REQUIRE(list.exit_code == 0);
  const auto json = nlohmann::json::parse(list.out);
  CHECK(json["decisions"] == "2");
  CHECK(json["reported"] == "1");
  CHECK(json["unreported"] == "1");
  REQUIRE(json["rows"].size() == 2);
  CHECK(json["rows"][0]["lagrum"] == "4 kap 2 § Socialtjänstlagen");
  CHECK(json["rows"][0]["reported_in"] == "sammantrade-sn-2024-06-19 § 101");
  CHECK(json["rows"][1]["point"] == "G 4.4");
  const CliResult unreported = cli({"delegationsbeslut", "--year", "2024", "--unreported"});
  REQUIRE(unreported.exit_code == 0);
  CHECK_THAT(unreported.out, Catch::Contains("delegationsbeslut-2024-0119,"));
  CHECK_THAT(unreported.out, !Catch::Contains("delegationsbeslut-2024-0117,"));
  const CliResult html = cli({"delegationsbeslut", "--year", "2024", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK_THAT(html.out, Catch::Contains("Redovisning av delegationsbeslut"));
}

TEST_CASE("Luleå's 21 requests for statements of 2025 recorded and counted back; the awaited ones listed",
          "[integration][delegation]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Client base(server.address());
  auto statements = sv::Statements::NewStub(base.channel);
  sv::RecordResponse out;
  int n = 0;
  auto request = [&](sv::Authority a, sv::Subject s, const std::string& received, bool answered) {
    const std::string id = "2025-" + std::to_string(++n);
    sv::RecordRequest r;
    r.set_request_id(id);
    auto* q = r.mutable_requested();
    q->set_authority(a);
    q->set_received_date(received);
    q->set_subject(s);
    q->set_responsible("Eva Berg");
    REQUIRE(statements->Record(Ctx("registrator").get(), r, &out).ok());
    if (!answered) return;
    sv::RecordRequest sent;
    sent.set_request_id(id);
    sent.mutable_sent()->set_sent_date(received.substr(0, 8) + "25");
    sent.mutable_sent()->set_decided_by("Socialchef");
    REQUIRE(statements->Record(Ctx("registrator").get(), sent, &out).ok());
  };
  for (int i = 0; i < 7; ++i) request(sv::AUTHORITY_PATIENTNAMNDEN, sv::SUBJECT_COMPLAINT, "2025-03-0" + std::to_string(1 + i), true);
  request(sv::AUTHORITY_IVO, sv::SUBJECT_INDIVIDUAL_CASE, "2025-04-01", true);
  request(sv::AUTHORITY_IVO, sv::SUBJECT_INDIVIDUAL_CASE, "2025-10-01", true);
  for (int i = 0; i < 11; ++i) request(sv::AUTHORITY_IVO, sv::SUBJECT_EJ_VERKSTALLT_BESLUT, "2025-11-0" + std::to_string(1 + i % 9), i < 9);
  request(sv::AUTHORITY_JO, sv::SUBJECT_INDIVIDUAL_CASE, "2025-11-20", false);

  // Bad input: nothing written.
  const uint64_t before = WrittenSize(base);
  sv::RecordRequest bad;
  bad.set_request_id("2025-99");
  bad.mutable_requested()->set_authority(sv::AUTHORITY_OTHER);
  bad.mutable_requested()->set_received_date("2025-05-05");
  bad.mutable_requested()->set_subject(sv::SUBJECT_TILLSYN);
  grpc::Status st = statements->Record(Ctx("registrator").get(), bad, &out);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(st.error_message(), Catch::Contains("authority_name is required"));
  sv::RecordRequest early;
  early.set_request_id("2025-1");
  early.mutable_sent()->set_sent_date("2025-03-26");
  early.mutable_sent()->set_decided_by("Socialchef");
  CHECK(statements->Record(Ctx("registrator").get(), early, &out).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);  // sent already
  CHECK(WrittenSize(base) == before);

  // JO's statement adopted by the committee, and the committee informed of IVO's first request: the
  // meetings they name are read and checked.
  auto committee = cv::Committee::NewStub(base.channel);
  Meeting(*committee, "sn-2025-11-26", "2025-11-26", {160, 161});
  sv::RecordRequest adopted;
  adopted.set_request_id("2025-21");
  adopted.mutable_sent()->set_sent_date("2025-11-27");
  adopted.mutable_sent()->mutable_adopted_in()->set_meeting_id("sn-2025-11-26");
  adopted.mutable_sent()->mutable_adopted_in()->set_paragraph(162);
  st = statements->Record(Ctx("registrator").get(), adopted, &out);
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(st.error_message(), Catch::Contains("adopted_in.paragraph: § 162 is not recorded"));
  CHECK(WrittenSize(base) == before + 3);  // the meeting and its two paragraphs
  adopted.mutable_sent()->mutable_adopted_in()->set_paragraph(160);
  st = statements->Record(Ctx("registrator").get(), adopted, &out);
  INFO(st.error_message());
  REQUIRE(st.ok());
  sv::RecordRequest informed;
  informed.set_request_id("2025-8");
  informed.mutable_reported()->mutable_reported_in()->set_meeting_id("sn-2025-11-26");
  informed.mutable_reported()->mutable_reported_in()->set_paragraph(161);
  REQUIRE(statements->Record(Ctx("registrator").get(), informed, &out).ok());

  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server.address(), "report"});
    return RunCli(args);
  };
  const CliResult json = cli({"yttranden", "--year", "2025", "--format", "json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  const auto r = nlohmann::json::parse(json.out);
  CHECK(r["requests"] == "21");
  CHECK(r["sent"] == "19");
  CHECK(r["open_at_period_end"] == "2");
  CHECK(r["reported_to_committee"] == "1");
  std::map<std::string, std::string> by;
  for (const auto& c : r["by_authority_subject"]) by[c["key"]] = c["count"];
  CHECK(by == std::map<std::string, std::string>{{"ivo/ej_verkstallt_beslut", "11"},
                                                 {"ivo/enskilt_arende", "2"},
                                                 {"jo/enskilt_arende", "1"},
                                                 {"patientnamnden/klagomal", "7"}});
  const CliResult due = cli({"yttranden-frister", "--on", "2025-12-05", "--as-of-position",
                             std::to_string(FreshSize(base)), "--authority", "ivo"});
  INFO(due.err);
  REQUIRE(due.exit_code == 0);
  CHECK(due.out ==
        "yttrande,myndighet,myndighetens_dnr,slag,mottagen,senast,dagar_kvar,ansvarig\r\n"
        "yttrande-2025-19,IVO,,ej verkställt beslut,2025-11-01,2025-11-29,-6,Eva Berg\r\n"
        "yttrande-2025-20,IVO,,ej verkställt beslut,2025-11-02,2025-11-30,-5,Eva Berg\r\n");
}
