// The DeviationReports service and `sparbar report avvikelser|lex-sarah|
// lex-maria|overdue|stale-plans` through the real server and CLI: figures
// from steps recorded over gRPC, the same report again from an earlier log
// position, overdue steps per role and unit, stale follow-up plans, the link
// back from a deviation to its lex case, and bad input refused.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "integration/client_util.h"
#include "sparbar/v1/deviations_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace dv = sparbar::v1::deviations;

struct Recorder {
  explicit Recorder(const std::string& address) : base(address), stub(dv::Deviations::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<dv::Deviations::Stub> stub;
  dv::RecordResponse out;

  std::unique_ptr<grpc::ClientContext> Roles(const std::string& roles) {
    auto ctx = Ctx();
    if (!roles.empty()) ctx->AddMetadata("x-sparbar-roles", roles);
    return ctx;
  }
  void Deviation(const std::string& id, dv::Domain domain, const std::string& unit, const std::string& date,
                 std::vector<std::string> areas, uint32_t severity = 0) {
    dv::RecordRequest r;
    r.set_deviation_id(id);
    auto* m = r.mutable_reported();
    m->set_domain(domain);
    m->set_unit(unit);
    m->set_occurred_date(date);
    m->set_reported_date(date);
    if (domain == dv::DOMAIN_HSL) {
      m->set_hsl_area(areas.front());
      m->set_severity(severity);
    } else {
      for (const auto& a : areas) m->add_areas(a);
    }
    m->set_sex(sparbar::v1::decisions::SEX_KVINNA);
    m->set_direction(dv::DIRECTION_INTERNAL);
    m->set_description("Händelse");
    grpc::Status st = stub->Record(Ctx().get(), r, &out);
    INFO(st.error_message());
    REQUIRE(st.ok());
  }
  grpc::Status Step(const std::string& id, const std::function<void(dv::RecordRequest&)>& fill) {
    dv::RecordRequest r;
    r.set_deviation_id(id);
    fill(r);
    return stub->Record(Ctx().get(), r, &out);
  }
  grpc::Status Maria(const std::string& roles, const std::function<void(dv::RecordLexMariaRequest&)>& fill) {
    dv::RecordLexMariaRequest r;
    r.set_case_id("2025-1");
    fill(r);
    return stub->RecordLexMaria(Roles(roles).get(), r, &out);
  }
  grpc::Status Sarah(const std::string& id, const std::function<void(dv::RecordLexSarahRequest&)>& fill) {
    dv::RecordLexSarahRequest r;
    r.set_report_id(id);
    fill(r);
    return stub->RecordLexSarah(Ctx().get(), r, &out);
  }
  grpc::Status FollowUp(const std::function<void(dv::RecordFollowUpRequest&)>& fill) {
    dv::RecordFollowUpRequest r;
    r.set_case_id("2025-1");
    fill(r);
    return stub->RecordFollowUp(Ctx().get(), r, &out);
  }
};

// Deviations of 2024 and 2025, one closed as not a deviation, one taken up by
// lex Maria (reported to IVO, follow-up case without progress), one by lex Sarah.
void RecordYear(Recorder& c) {
  c.Deviation("d1", dv::DOMAIN_SOL, "Midskogen", "2025-03-10", {"hot_och_vald", "bemotande"});
  REQUIRE(c.Step("d1", [](auto& r) {
             r.mutable_closed_as_not_deviation()->set_closed_date("2025-03-12");
             r.mutable_closed_as_not_deviation()->set_reason("Ingen brist i verksamheten");
           }).ok());
  c.Deviation("d2", dv::DOMAIN_SOL, "Midskogen", "2025-04-11", {"hot_och_vald"});
  c.Deviation("d3", dv::DOMAIN_HSL, "Hemsjukvården", "2025-05-02", {"lakemedel"}, 3);
  c.Deviation("d4", dv::DOMAIN_LSS, "Gruppbostad", "2024-11-05", {"handlaggning"});
  c.Deviation("d5", dv::DOMAIN_LSS, "Gruppbostad", "2025-06-01", {"bemotande"});
  REQUIRE(c.Maria("", [](auto& r) {
             auto* m = r.mutable_opened();
             m->set_opened_date("2025-05-03");
             m->set_unit("Hemsjukvården");
             m->set_description("Insulin förväxlat");
             m->set_from_deviation("avvikelse-d3");
           }).ok());
  REQUIRE(c.Maria("mas", [](auto& r) { r.mutable_investigation_started()->set_started_date("2025-05-05"); }).ok());
  REQUIRE(c.Maria("mas", [](auto& r) {
             r.mutable_investigation_completed()->set_completed_date("2025-06-01");
             r.mutable_investigation_completed()->set_findings("Förväxlingsbara förpackningar");
           }).ok());
  REQUIRE(c.Maria("mas", [](auto& r) {
             r.mutable_reported_to_ivo()->set_reported_date("2025-06-05");
             r.mutable_reported_to_ivo()->set_ivo_reference("IVO 3.1.1-12345/2025");
           }).ok());
  REQUIRE(c.Maria("mas", [](auto& r) {
             r.mutable_follow_up_opened()->set_opened_date("2025-06-10");
             r.mutable_follow_up_opened()->set_follow_up_stream("uppfoljning-2025-1");
           }).ok());
  REQUIRE(c.FollowUp([](auto& r) {
             r.mutable_opened()->set_opened_date("2025-06-10");
             r.mutable_opened()->set_origin_stream("lexmaria-2025-1");
             r.mutable_opened()->set_responsible("MAS");
           }).ok());
  REQUIRE(c.Sarah("2025-9", [](auto& r) {
             auto* m = r.mutable_reported();
             m->set_reported_date("2025-06-02");
             m->set_occurred_date("2025-06-01");
             m->set_unit("Gruppbostad");
             m->set_description("Brukare lämnades utan tillsyn");
             m->set_from_deviation("avvikelse-d5");
           }).ok());
}

// `sparbar --server ADDRESS report ARGS...`
CliResult Report(const std::string& address, std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", address, "report"});
  return RunCli(args);
}

nlohmann::json Json(const CliResult& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("sparbar report avvikelser, lex-sarah and lex-maria count what was recorded, again from an earlier position",
          "[integration][deviations][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Recorder c(server.address());
  RecordYear(c);
  auto cli = [&](const std::vector<std::string>& args) { return Report(server.address(), args); };

  const CliResult first = cli({"avvikelser", "--year", "2025", "--format", "json"});
  const nlohmann::json av = Json(first);
  CHECK(av["deviations"] == "4");  // int64 prints as a string in proto JSON
  CHECK(av["closed_without_investigation"] == "1");
  CHECK(av["open_at_end"] == "3");
  CHECK(av["open_on_end_date"] == "4");  // and d4, reported in 2024
  CHECK(Json(cli({"avvikelser", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json"}))["open_on_end_date"] ==
        "1");
  CHECK(av["social_tags"] == "4");
  CHECK(av["social_tags_that_are_deviations"] == "2");
  CHECK(av["taken_up_by_lex_maria"] == "1");
  CHECK(av["taken_up_by_lex_sarah"] == "1");
  CHECK(av["reported_to_ivo"] == "1");
  REQUIRE(av["by_year"].size() == 2);
  CHECK(av["by_year"][0]["key"] == "2024");
  CHECK(av["by_year"][1]["count"] == "4");
  REQUIRE(av["hsl_areas"].size() == 1);
  CHECK(av["hsl_areas"][0]["name"] == "Läkemedel");
  const std::string position = av["as_of_position"];
  // Up to 1 June: d5 is reported that day, its lex Sarah report opened on 2 June is not counted.
  const nlohmann::json spring = Json(cli({"avvikelser", "--from", "2025-01-01", "--to", "2025-06-01", "--format", "json"}));
  CHECK(spring["deviations"] == "4");
  CHECK(spring["taken_up_by_lex_sarah"] == "0");
  CHECK(spring["taken_up_by_lex_maria"] == "1");
  CHECK(spring["reported_to_ivo"] == "0");  // lex Maria reported on 5 June

  const CliResult csv = cli({"avvikelser", "--year", "2025"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("sol_lss_omrade,hot_och_vald,Hot och våld,2,1\r\n") != std::string::npos);
  CHECK(csv.out.find("ar,2024,2024,1,\r\n") != std::string::npos);
  const CliResult html = cli({"avvikelser", "--year", "2025", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("<svg") != std::string::npos);
  CHECK(html.out.find("Per år: trenden") != std::string::npos);

  const nlohmann::json maria = Json(cli({"lex-maria", "--year", "2025", "--format", "json"}));
  CHECK(maria["opened"] == "1");
  CHECK(maria["from_deviation"] == "1");
  CHECK(maria["reported_to_ivo"] == "1");
  CHECK(maria["not_reported"] == "0");
  const nlohmann::json sarah = Json(cli({"lex-sarah", "--year", "2025", "--format", "json"}));
  CHECK(sarah["reported"] == "1");
  CHECK(sarah["undecided_at_end"] == "1");

  // A deviation recorded later changes the current report, not the one as of the earlier position.
  c.Deviation("d6", dv::DOMAIN_SOL, "Midskogen", "2025-07-01", {"samverkan"});
  CHECK(Json(cli({"avvikelser", "--year", "2025", "--format", "json"}))["deviations"] == "5");
  const CliResult again = cli({"avvikelser", "--year", "2025", "--format", "json", "--as-of-position", position});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == first.out);
  // Nothing was known at the end of 2020.
  CHECK(Json(cli({"avvikelser", "--year", "2025", "--format", "json", "--known-at", "2020-12-31"}))["deviations"] ==
        "0");

  // Bad input: a clear status, exit 1.
  CliResult bad = cli({"avvikelser"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("INVALID_ARGUMENT") != std::string::npos);
  CHECK(bad.err.find("year is required") != std::string::npos);
  bad = cli({"avvikelser", "--year", "2025", "--as-of-position", "100000"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("OUT_OF_RANGE") != std::string::npos);
  bad = cli({"avvikelser", "--from", "2025-05-01", "--to", "2025-04-01"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("to must not be before from") != std::string::npos);
}

TEST_CASE("sparbar report overdue lists steps past their configured deadline per role and unit; stale-plans the "
          "follow-up cases without progress",
          "[integration][deviations][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Recorder c(server.address());
  RecordYear(c);
  auto cli = [&](const std::vector<std::string>& args) { return Report(server.address(), args); };

  // On 2025-12-31: d2 and d5 await their investigation (two weeks, SoL/LSS),
  // d3 too (four weeks, HSL), the lex Sarah report its decision, and the
  // lex Maria case's follow-up case its action plan.
  // The steps were recorded today with dates in 2025: judged on what the log knows now.
  const std::string now = std::to_string(FreshSize(c.base));
  // On the day itself, the log knew nothing of them.
  CHECK(Json(cli({"overdue", "--on", "2025-12-31", "--format", "json"}))["steps"].empty());
  const nlohmann::json all = Json(cli({"overdue", "--on", "2025-12-31", "--as-of-position", now, "--format", "json"}));
  std::map<std::string, nlohmann::json> by_stream;
  for (const auto& s : all["steps"]) by_stream[s["stream"].get<std::string>() + "/" + s["step"].get<std::string>()] = s;
  REQUIRE(by_stream.count("avvikelse-d2/utredning") == 1);
  CHECK(by_stream["avvikelse-d2/utredning"]["due"] == "2025-04-25");
  CHECK(by_stream["avvikelse-d2/utredning"]["role"] == "enhetschef");
  CHECK(by_stream["avvikelse-d3/utredning"]["due"] == "2025-05-30");
  CHECK(by_stream["lexsarah-2025-9/beslut"]["role"] == "sas");
  CHECK(by_stream["uppfoljning-2025-1/atgardsplan"]["unit"] == "Hemsjukvården");
  CHECK(by_stream.count("avvikelse-d1/utredning") == 0);  // closed as not a deviation
  CHECK(by_stream.count("lexmaria-2025-1/avslut") == 1);

  const nlohmann::json sas =
      Json(cli({"overdue", "--on", "2025-12-31", "--as-of-position", now, "--role", "sas", "--format", "json"}));
  REQUIRE(sas["steps"].size() == 1);
  CHECK(sas["steps"][0]["stream"] == "lexsarah-2025-9");
  const CliResult unit = cli({"overdue", "--on", "2025-12-31", "--as-of-position", now, "--unit", "Midskogen"});
  REQUIRE(unit.exit_code == 0);
  CHECK(unit.out.find("avvikelse-d2,avvikelse,utredning,") != std::string::npos);
  CHECK(unit.out.find("avvikelse-d5") == std::string::npos);
  CHECK(unit.err.find("1 steps overdue on 2025-12-31") != std::string::npos);

  // Before d2's due date it is awaited, not overdue.
  const nlohmann::json early = Json(
      cli({"overdue", "--on", "2025-04-20", "--as-of-position", now, "--unit", "Midskogen", "--format", "json"}));
  CHECK(early["steps"].empty());
  const nlohmann::json pending = Json(cli(
      {"overdue", "--on", "2025-04-20", "--as-of-position", now, "--unit", "Midskogen", "--all", "--format", "json"}));
  REQUIRE(pending["steps"].size() == 1);
  CHECK(pending["steps"][0]["days_overdue"] == "-5");

  const CliResult stale = cli({"stale-plans", "--on", "2025-12-31", "--as-of-position", now});
  INFO(stale.err);
  REQUIRE(stale.exit_code == 0);
  CHECK(stale.out.find("uppfoljning-2025-1,lexmaria-2025-1,Hemsjukvården,2025-06-10,204,ja\r\n") != std::string::npos);
  CHECK(stale.err.find("1 of 1 open follow-up plans") != std::string::npos);
  const CliResult fresh = cli({"stale-plans", "--on", "2025-06-20", "--as-of-position", now});
  REQUIRE(fresh.exit_code == 0);
  CHECK(fresh.err.find("0 of 1 open follow-up plans") != std::string::npos);

  CliResult bad = cli({"overdue", "--on", "2025-13-01"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("INVALID_ARGUMENT") != std::string::npos);
}

TEST_CASE("a lex Sarah report opened from a deviation links back once, and one from an HSL deviation writes nothing",
          "[integration][deviations][reports]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Recorder c(server.address());
  c.Deviation("s1", dv::DOMAIN_SOL, "Midskogen", "2025-03-10", {"hot_och_vald"});
  c.Deviation("h1", dv::DOMAIN_HSL, "Hemsjukvården", "2025-03-10", {"fall"}, 4);
  auto open = [&](const std::string& id, const std::string& from, const std::string& date, const std::string& event_id) {
    return c.Sarah(id, [&](auto& r) {
      r.set_event_id(event_id);
      auto* m = r.mutable_reported();
      m->set_reported_date(date);
      m->set_occurred_date("2025-02-28");
      m->set_unit("Midskogen");
      m->set_description("Brukare slog personal");
      m->set_from_deviation(from);
    });
  };
  grpc::Status st = open("x", "avvikelse-h1", "2025-03-11", "");
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("lex Sarah takes up SoL/LSS deviations") != std::string::npos);
  CHECK(open("x", "avvikelse-nothing", "2025-03-11", "").error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  st = open("x", "avvikelse-s1", "2025-03-01", "");  // before the deviation was reported
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message() ==
        "from_deviation avvikelse-s1 cannot be taken up on 2025-03-01: linked_date 2025-03-01 is before the report 2025-03-10");
  CHECK(WrittenSize(c.base) == 2);

  const std::string id = "6f1c1b9e-3a52-4f0e-9a53-2d7c1e0b4a11";
  REQUIRE(open("x", "avvikelse-s1", "2025-03-11", id).ok());
  CHECK(WrittenSize(c.base) == 4);  // the report and the link back
  REQUIRE(open("x", "avvikelse-s1", "2025-03-11", id).ok());  // a retry
  CHECK(c.out.duplicate());
  CHECK(WrittenSize(c.base) == 4);
  v1::ReadStreamRequest read;
  read.set_stream("avvikelse-s1");
  v1::ReadStreamResponse events;
  REQUIRE(c.base.es->ReadStream(Ctx().get(), read, &events).ok());
  REQUIRE(events.events_size() == 2);
  dv::LinkedToCase link;
  REQUIRE(link.ParseFromString(events.events(1).payload()));
  CHECK(link.kind() == dv::LINK_KIND_LEX_SARAH);
  CHECK(link.case_stream() == "lexsarah-x");
}
