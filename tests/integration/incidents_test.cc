// Personuppgiftsincidenter through the real server and CLI: Luleå's 36
// incidents of 2025 and 27 of 2024, none notified to IMY (seed 003
// L5412-L5414), recorded step by step over gRPC and counted back by
// `sparbar report personuppgiftsincidenter`; an incident notified to IMY
// with the data-protection coordinator's role, refused without it; the IMY
// deadlines listed; bad input refused with nothing written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "integration/client_util.h"
#include "sparbar/v1/incidents_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace iv = sparbar::v1::incidents;

constexpr int64_t kHour = 3600;
constexpr int64_t k2024 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr int64_t k2025 = 1735689600;  // 2025-01-01T00:00:00Z

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

struct Incidents {
  explicit Incidents(const std::string& address)
      : base(address), stub(iv::Incidents::NewStub(base.channel)), reports(iv::IncidentReports::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<iv::Incidents::Stub> stub;
  std::unique_ptr<iv::IncidentReports::Stub> reports;
  iv::RecordResponse out;

  grpc::Status Step(const std::string& id, const std::string& roles, const std::function<void(iv::RecordRequest&)>& fill) {
    iv::RecordRequest r;
    r.set_incident_id(id);
    fill(r);
    auto ctx = Ctx();
    if (!roles.empty()) ctx->AddMetadata("x-sparbar-roles", roles);
    return stub->Record(ctx.get(), r, &out);
  }
  void Must(const std::string& id, const std::string& roles, const std::function<void(iv::RecordRequest&)>& fill) {
    const grpc::Status st = Step(id, roles, fill);
    INFO(id << ": " << st.error_message());
    REQUIRE(st.ok());
  }
};

iv::IncidentReported Reported(int64_t discovered, int64_t reported, const std::string& kind = "felskick") {
  iv::IncidentReported m;
  *m.mutable_discovered_at() = At(discovered);
  *m.mutable_reported_at() = At(reported);
  m.set_unit("Individ- och familjeomsorg");
  m.set_kind(kind);
  m.add_categories("sociala-forhallanden");
  m.set_responsible("enhetschef-ifo");
  m.set_description("Handling skickad till fel mottagare");
  return m;
}

void NotNotified(Incidents& c, const std::string& id, int64_t at) {
  c.Must(id, "dataskyddssamordnare", [&](auto& r) {
    auto* a = r.mutable_assessed();
    *a->mutable_assessed_at() = At(at);
    a->set_risk(iv::RISK_UNLIKELY);
    a->set_notify_imy(false);
    a->set_reasons("Ingen risk för de registrerade: uppgifterna raderades hos mottagaren");
  });
}

CliResult Report(const std::string& address, std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", address, "report"});
  return RunCli(args);
}

}  // namespace

TEST_CASE("sparbar report personuppgiftsincidenter counts Luleå's 36 incidents of 2025, none notified to IMY",
          "[integration][incidents]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Incidents c(server.address());
  for (int i = 0; i < 36; ++i) {
    const std::string id = "2025-" + std::to_string(i);
    const int64_t discovered = k2025 + i * 9 * 24 * kHour + 8 * kHour;
    const int64_t reported = discovered + (i % 12 == 0 ? 30 : 2) * kHour;  // three reported late
    c.Must(id, "", [&](auto& r) { *r.mutable_reported() = Reported(discovered, reported, i % 3 ? "felskick" : "forlust"); });
    NotNotified(c, id, reported + 20 * kHour);
    c.Must(id, "", [&](auto& r) {
      *r.mutable_action_taken()->mutable_taken_at() = At(reported + 21 * kHour);
      r.mutable_action_taken()->set_description("Rutinen för utskick gicks igenom på APT");
    });
    c.Must(id, "", [&](auto& r) { *r.mutable_closed()->mutable_closed_at() = At(reported + 22 * kHour); });
  }
  for (int i = 0; i < 27; ++i) {
    const int64_t discovered = k2024 + i * 12 * 24 * kHour + 8 * kHour;
    c.Must("2024-" + std::to_string(i), "", [&](auto& r) { *r.mutable_reported() = Reported(discovered, discovered + kHour); });
  }

  const CliResult json = Report(server.address(), {"personuppgiftsincidenter", "--year", "2025", "--format", "json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  const auto st = nlohmann::json::parse(json.out);
  CHECK(st["incidents"] == "36");
  CHECK(st["notified_to_imy"] == "0");
  CHECK(st["not_notified"] == "36");
  CHECK(st["assessed"] == "36");
  CHECK(st["closed"] == "36");
  CHECK(st["reported_late"] == "3");
  CHECK(st["reported_within_deadline"] == "33");
  REQUIRE(st["by_year"].size() == 2);
  CHECK(st["by_year"][0]["count"] == "27");
  CHECK(st["by_year"][1]["count"] == "36");
  REQUIRE(st["by_kind"].size() == 2);
  CHECK(st["by_kind"][0]["key"] == "felskick");
  CHECK(st["by_kind"][0]["count"] == "24");

  const CliResult csv = Report(server.address(), {"personuppgiftsincidenter", "--year", "2025"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("summa,rapporterade_sent,Rapporterade senare,3,8.3\r\n") != std::string::npos);
  CHECK(csv.out.find("summa,anmalda_imy,Anmälda till IMY,0,0.0\r\n") != std::string::npos);
  const CliResult html = Report(server.address(), {"personuppgiftsincidenter", "--year", "2025", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("<h1>Personuppgiftsincidenter 2025-01-01 – 2025-12-31</h1>") != std::string::npos);
  CHECK(html.out.find("<svg") != std::string::npos);
}

TEST_CASE("an incident is notified to IMY by the data-protection coordinator; deadlines listed; refusals write nothing",
          "[integration][incidents]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Incidents c(server.address());
  const int64_t t0 = k2025 + 60 * 24 * kHour;  // 2025-03-02T00:00:00Z
  c.Must("imy", "", [&](auto& r) { *r.mutable_reported() = Reported(t0, t0 + 2 * kHour, "obehorig-atkomst"); });
  c.Must("open", "", [&](auto& r) { *r.mutable_reported() = Reported(t0, t0 + 30 * kHour); });
  auto assess = [&](auto& r) {
    auto* a = r.mutable_assessed();
    *a->mutable_assessed_at() = At(t0 + 10 * kHour);
    a->set_risk(iv::RISK_HIGH);
    a->set_notify_imy(true);
  };
  const uint64_t before = WrittenSize(c.base);
  grpc::Status st = c.Step("imy", "enhetschef", assess);
  CHECK(st.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(WrittenSize(c.base) == before);
  c.Must("imy", "dataskyddssamordnare", assess);

  // At hour 60: the notification is due at hour 74 (the report at hour 2 + 72), the other's assessment at 102.
  // Judged at a past instant on what the log knew that day: nothing (it was all recorded today).
  const CliResult then = Report(server.address(), {"personuppgiftsincidenter-frister", "--at", "2025-03-04T12:00:00Z"});
  REQUIRE(then.exit_code == 0);
  CHECK(then.out == "incident,enhet,vantar_pa,senast_utc,timmar_kvar,rapporterad_sent\r\n");
  const CliResult due = Report(server.address(), {"personuppgiftsincidenter-frister", "--at", "2025-03-04T12:00:00Z",
                                                  "--as-of-position", std::to_string(FreshSize(c.base))});
  INFO(due.err);
  REQUIRE(due.exit_code == 0);
  CHECK(due.out ==
        "incident,enhet,vantar_pa,senast_utc,timmar_kvar,rapporterad_sent\r\n"
        "puincident-imy,Individ- och familjeomsorg,anmälan till IMY,2025-03-05T02:00:00Z,14,nej\r\n"
        "puincident-open,Individ- och familjeomsorg,bedömning,2025-03-06T06:00:00Z,42,ja\r\n");
  CHECK(Report(server.address(), {"personuppgiftsincidenter-frister", "--at", "yesterday"}).exit_code == 2);

  // Late: the reasons for the delay are required.
  auto notify = [&](const std::string& delay) {
    return [&, delay](iv::RecordRequest& r) {
      auto* n = r.mutable_imy_notified();
      *n->mutable_notified_at() = At(t0 + 80 * kHour);
      n->set_imy_reference("IMY-2025-0042");
      n->set_delay_reasons(delay);
    };
  };
  st = c.Step("imy", "dataskyddssamordnare", notify(""));
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("delay_reasons") != std::string::npos);
  st = c.Step("imy", "dataskyddssamordnare", [&](auto& r) { *r.mutable_closed()->mutable_closed_at() = At(t0 + 90 * kHour); });
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  st = c.Step("ny", "", [&](auto& r) {
    *r.mutable_reported() = Reported(t0, t0 + kHour);
    r.mutable_reported()->set_description("Gällde 19121212-1212");
  });
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("1212") == std::string::npos);
  CHECK(c.Step("19121212-1212", "", [&](auto& r) { *r.mutable_reported() = Reported(t0, t0 + kHour); }).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  iv::DeadlinesRequest html;
  html.set_format(v1::decisions::REPORT_FORMAT_HTML);
  iv::DeadlinesResponse deadlines;
  CHECK(c.reports->Deadlines(Ctx().get(), html, &deadlines).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(WrittenSize(c.base) == before + 1);

  c.Must("imy", "dataskyddssamordnare", notify("Underlaget från leverantören kom efter helgen"));
  c.Must("imy", "", [&](auto& r) { *r.mutable_closed()->mutable_closed_at() = At(t0 + 90 * kHour); });
  const auto st2025 =
      nlohmann::json::parse(Report(server.address(), {"personuppgiftsincidenter", "--year", "2025", "--format", "json"}).out);
  CHECK(st2025["notified_to_imy"] == "1");
  CHECK(st2025["notified_within_deadline"] == "0");
  CHECK(st2025["reported_late"] == "1");
}
