// Synpunkter och klagomål through the real server and CLI: Luleå's 168
// cases of 2025 and 99 of 2024 (seed 003 L5239-L5308) recorded step by
// step over gRPC, and `sparbar report klagomal` giving back the seed's
// shares; the same report again from an earlier position; reminders due on
// a day; and bad input refused with nothing written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "integration/client_util.h"
#include "sparbar/v1/complaints_service.grpc.pb.h"
#include "sparbar/v1/deviations_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace cv = sparbar::v1::complaints;
namespace dv = sparbar::v1::deviations;

struct Complaints {
  explicit Complaints(const std::string& address)
      : base(address), stub(cv::Complaints::NewStub(base.channel)), reports(cv::ComplaintReports::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<cv::Complaints::Stub> stub;
  std::unique_ptr<cv::ComplaintReports::Stub> reports;
  cv::RecordResponse out;

  grpc::Status Step(const std::string& id, const std::function<void(cv::RecordRequest&)>& fill) {
    cv::RecordRequest r;
    r.set_case_id(id);
    fill(r);
    return stub->Record(Ctx().get(), r, &out);
  }
  void Must(const std::string& id, const std::function<void(cv::RecordRequest&)>& fill) {
    const grpc::Status st = Step(id, fill);
    INFO(id << ": " << st.error_message());
    REQUIRE(st.ok());
  }
};

// "YYYY-MM-DD", `days` after 1 January of `year`.
std::string Day(int year, int days) {
  using namespace std::chrono;
  const year_month_day d{sys_days{std::chrono::year{year} / January / 1} + std::chrono::days{days}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return text;
}

cv::ComplaintReceived Received(const std::string& date, dv::Domain domain = dv::DOMAIN_SOL) {
  cv::ComplaintReceived m;
  m.set_received_date(date);
  m.set_channel(cv::CHANNEL_EMAIL);
  m.set_domain(domain);
  m.set_unit("Hemtjänst Centrum");
  return m;
}

// Position in a permutation of the 168 cases: (i * k) mod 168 with k prime
// to 168, so that each attribute is spread over the year independently.
int Slot(int i, int k) { return (i * k) % 168; }

// Luleå 2025 (seed 003 L5239-L5308): 168 cases; 67 % complaints, 26 %
// suggestions, questions and praise, 7 % not categorised; answered within
// two weeks 55 %, within four 18 % (a few after a larger investigation),
// later the rest; 30 % through the e-service; 28 % men, 34 % women, 38 % not
// stated; 39 % relatives, 21 % service users, 3 % employees, 37 % other;
// bemötande/kompetens in 33 %, information och kommunikation in 28 %;
// actions in 32 %; under 1 % became deviations. Eleven in health care
// (L4581). And 2024's 99, for the trend.
void RecordLulea(Complaints& c) {
  dv::RecordRequest dev;
  dev.set_deviation_id("k-1");
  auto* d = dev.mutable_reported();
  d->set_domain(dv::DOMAIN_SOL);
  d->set_unit("Hemtjänst Centrum");
  d->set_occurred_date("2025-01-16");
  d->set_reported_date("2025-01-16");
  d->add_areas("bemotande");
  d->set_direction(dv::DIRECTION_INTERNAL);
  d->set_description("Brist i bemötande");
  dv::RecordResponse dev_out;
  REQUIRE(dv::Deviations::NewStub(c.base.channel)->Record(Ctx().get(), dev, &dev_out).ok());

  for (int i = 0; i < 168; ++i) {
    const std::string id = "2025-" + std::to_string(i);
    const int received_day = 1 + 2 * i;
    cv::ComplaintReceived m = Received(Day(2025, received_day), Slot(i, 37) < 11 ? dv::DOMAIN_HSL : dv::DOMAIN_SOL);
    const int kind = Slot(i, 5);
    m.set_kind(kind < 113 ? cv::KIND_COMPLAINT
               : kind < 133 ? cv::KIND_SUGGESTION
               : kind < 145 ? cv::KIND_QUESTION
               : kind < 157 ? cv::KIND_PRAISE
                            : cv::KIND_UNSPECIFIED);
    const int channel = Slot(i, 11);
    m.set_channel(channel < 50 ? cv::CHANNEL_E_SERVICE
                  : channel < 90 ? cv::CHANNEL_EMAIL
                  : channel < 130 ? cv::CHANNEL_PHONE
                  : channel < 150 ? cv::CHANNEL_LETTER
                                  : cv::CHANNEL_VISIT);
    const int sex = Slot(i, 13);
    m.set_sex(sex < 47 ? v1::decisions::SEX_MAN : sex < 104 ? v1::decisions::SEX_KVINNA : v1::decisions::SEX_UNSPECIFIED);
    const int submitter = Slot(i, 17);
    m.set_submitter(submitter < 66    ? cv::SUBMITTER_RELATIVE
                    : submitter < 101 ? cv::SUBMITTER_SERVICE_USER
                    : submitter < 106 ? cv::SUBMITTER_EMPLOYEE_OR_REPRESENTATIVE
                                      : cv::SUBMITTER_OTHER);
    if (Slot(i, 19) < 55) m.add_areas("bemotande-kompetens");
    if (Slot(i, 23) < 47) m.add_areas("information-kommunikation");
    if (m.areas_size() == 0 && Slot(i, 25) < 40) m.add_areas("handlaggning-dokumentation");
    c.Must(id, [&](auto& r) { *r.mutable_received() = m; });
    c.Must(id, [&](auto& r) {
      r.mutable_assigned()->set_assigned_date(Day(2025, received_day + 1));
      r.mutable_assigned()->set_responsible("enhetschef-" + std::to_string(i % 6));
    });
    const int answer = Slot(i, 29);
    const int days = answer < 92 ? 1 + answer % 14 : answer < 122 ? 15 + answer % 14 : 29 + answer % 30;
    if (answer >= 92 && answer < 95) {
      c.Must(id, [&](auto& r) {
        r.mutable_investigation_extended()->set_decided_date(Day(2025, received_day + 1));
        r.mutable_investigation_extended()->set_reason("Flera verksamheter berörs");
      });
    }
    c.Must(id, [&](auto& r) { r.mutable_answered()->set_answered_date(Day(2025, received_day + days)); });
    if (Slot(i, 31) < 54) {
      c.Must(id, [&](auto& r) {
        auto* a = r.mutable_action_recorded();
        a->set_action_date(Day(2025, received_day + days));
        a->set_action_type(i % 2 ? "information" : "utbildning");
        a->set_content("Information på arbetsplatsträff");
      });
    }
    if (i == 7) {
      c.Must(id, [&](auto& r) {
        r.mutable_converted_to_deviation()->set_converted_date(Day(2025, received_day + days));
        r.mutable_converted_to_deviation()->set_deviation_stream("avvikelse-k-1");
      });
    }
    if (i % 10 != 0) c.Must(id, [&](auto& r) { r.mutable_closed()->set_closed_date(Day(2025, received_day + days + 2)); });
  }
  for (int i = 0; i < 99; ++i) {
    c.Must("2024-" + std::to_string(i), [&](auto& r) { *r.mutable_received() = Received(Day(2024, 3 * i)); });
  }
}

CliResult Report(const std::string& address, std::vector<std::string> args) {
  args.insert(args.begin(), {"--server", address, "report"});
  return RunCli(args);
}

// The CSV rows by "section,key": count and share in per cent.
std::map<std::string, std::pair<int64_t, double>> Rows(const std::string& csv) {
  std::map<std::string, std::pair<int64_t, double>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  REQUIRE(line == "avsnitt,nyckel,namn,antal,andel_procent\r");
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line.substr(0, line.size() - 1));
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    if (!line.empty() && line[line.size() - 2] == ',') f.push_back("");  // an empty last field (the trend's share)
    REQUIRE(f.size() == 5);
    rows[f[0] + "," + f[1]] = {std::stoll(f[3]), f[4].empty() ? -1.0 : std::stod(f[4])};
  }
  return rows;
}

}  // namespace

TEST_CASE("sparbar report klagomal gives back Luleå's 2025 figures from 168 cases recorded step by step",
          "[integration][complaints]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Complaints c(server.address());
  RecordLulea(c);
  auto cli = [&](const std::vector<std::string>& args) { return Report(server.address(), args); };

  const CliResult csv = cli({"klagomal", "--year", "2025"});
  INFO(csv.err);
  REQUIRE(csv.exit_code == 0);
  auto rows = Rows(csv.out);
  auto percent = [&](const std::string& key) {
    INFO(key);
    REQUIRE(rows.count(key));
    return std::lround(rows[key].second);
  };
  CHECK(rows["summa,arenden"].first == 168);
  CHECK(percent("typ,KIND_COMPLAINT") == 67);
  CHECK(std::lround(rows["typ,KIND_SUGGESTION"].second + rows["typ,KIND_QUESTION"].second +
                    rows["typ,KIND_PRAISE"].second) == 26);
  CHECK(percent("typ,KIND_UNSPECIFIED") == 7);
  CHECK(percent("svarstid,inom_14") == 55);
  CHECK(percent("svarstid,inom_28") == 18);
  CHECK(rows["svarstid,inom_28_omfattande"].first == 3);
  CHECK(percent("svarstid,senare") == 27);
  CHECK(rows["svarstid,ej_besvarade"].first == 0);
  CHECK(percent("summa,e_tjanst") == 30);
  CHECK(percent("kanal,CHANNEL_E_SERVICE") == 30);
  CHECK(percent("kon,SEX_MAN") == 28);
  CHECK(percent("kon,SEX_KVINNA") == 34);
  CHECK(percent("kon,SEX_UNSPECIFIED") == 38);
  CHECK(percent("avsandare,SUBMITTER_RELATIVE") == 39);
  CHECK(percent("avsandare,SUBMITTER_SERVICE_USER") == 21);
  CHECK(percent("avsandare,SUBMITTER_EMPLOYEE_OR_REPRESENTATIVE") == 3);
  CHECK(percent("avsandare,SUBMITTER_OTHER") == 37);
  CHECK(percent("omrade,bemotande-kompetens") == 33);
  CHECK(percent("omrade,information-kommunikation") == 28);
  CHECK(percent("summa,atgarder") == 32);
  CHECK(rows["summa,avvikelse"].first == 1);
  CHECK(rows["summa,avvikelse"].second < 1.0);
  CHECK(rows["lag,HSL"].first == 11);
  CHECK(rows["ar,2024"].first == 99);
  CHECK(csv.out.find("ar,2024,2024,99,\r\n") != std::string::npos);  // the trend has no share of 2025's cases
  CHECK(rows["ar,2025"].first == 168);
  CHECK(rows["summa,avslutade"].first == 151);  // all but every tenth

  const CliResult html = cli({"klagomal", "--year", "2025", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("<h1>Synpunkter och klagomål 2025-01-01 – 2025-12-31</h1>") != std::string::npos);
  CHECK(html.out.find("<svg") != std::string::npos);
  CHECK(html.out.find("<td>67,3 %</td>") != std::string::npos);
  CHECK(html.out.find("<th>Andel av ärendena</th>") != std::string::npos);

  // The same report again from the position it named, after another case.
  const CliResult json = cli({"klagomal", "--year", "2025", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  const std::string position = nlohmann::json::parse(json.out)["as_of_position"];
  c.Must("2025-extra", [](auto& r) { *r.mutable_received() = Received("2025-12-30"); });
  CHECK(nlohmann::json::parse(cli({"klagomal", "--year", "2025", "--format", "json"}).out)["cases"] == "169");
  const CliResult again = cli({"klagomal", "--year", "2025", "--format", "json", "--as-of-position", position});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == json.out);
  CHECK(nlohmann::json::parse(again.out)["not_answered"] == "0");
}

TEST_CASE("complaint reminders are listed when due, recorded only then, and bad input writes nothing",
          "[integration][complaints]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Complaints c(server.address());
  auto assign = [](auto& r) {
    r.mutable_assigned()->set_assigned_date("2025-03-04");
    r.mutable_assigned()->set_responsible("enhetschef-a");
  };
  c.Must("sol", [](auto& r) { *r.mutable_received() = Received("2025-03-03"); });
  c.Must("sol", assign);
  c.Must("hsl", [](auto& r) { *r.mutable_received() = Received("2025-03-03", dv::DOMAIN_HSL); });
  c.Must("svarat", [](auto& r) { *r.mutable_received() = Received("2025-03-01"); });
  c.Must("svarat", assign);
  c.Must("svarat", [](auto& r) { r.mutable_answered()->set_answered_date("2025-03-05"); });
  const uint64_t size = FreshSize(c.base);  // no read yet: the log holds what was written

  const CliResult due = Report(server.address(), {"klagomal-paminnelser", "--on", "2025-03-18", "--as-of-position",
                                                  std::to_string(size)});
  INFO(due.err);
  REQUIRE(due.exit_code == 0);
  CHECK(due.out ==
        "arende,skal,enhet,ansvarig,senast,dagar_sen,senaste_paminnelse,paminn_nu\r\n"
        "klagomal-svarat,Besvarad men inte avslutad,Hemtjänst Centrum,enhetschef-a,2025-03-12,6,,ja\r\n"
        "klagomal-sol,Inte besvarad i tid,Hemtjänst Centrum,enhetschef-a,2025-03-17,1,,ja\r\n");
  // Judged on that day by what the log knew then: nothing had been recorded.
  const CliResult then = Report(server.address(), {"klagomal-paminnelser", "--on", "2025-03-18"});
  REQUIRE(then.exit_code == 0);
  CHECK(then.out == "arende,skal,enhet,ansvarig,senast,dagar_sen,senaste_paminnelse,paminn_nu\r\n");

  // A reminder is recorded when due, and refused for the health-care case (four weeks).
  auto remind = [](const std::string& date) {
    return [date](cv::RecordRequest& r) {
      r.mutable_reminder_sent()->set_sent_date(date);
      r.mutable_reminder_sent()->set_reason(cv::REMINDER_REASON_NOT_ANSWERED);
    };
  };
  c.Must("sol", remind("2025-03-18"));
  const uint64_t reminded = FreshSize(c.base);  // the reminder is the newest event
  grpc::Status st = c.Step("hsl", remind("2025-03-18"));
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("the answer is due 2025-03-31") != std::string::npos);
  const CliResult after = Report(server.address(), {"klagomal-paminnelser", "--on", "2025-03-20", "--as-of-position",
                                                    std::to_string(reminded), "--responsible", "enhetschef-a",
                                                    "--format", "json"});
  REQUIRE(after.exit_code == 0);
  const auto list = nlohmann::json::parse(after.out)["reminders"];
  REQUIRE(list.size() == 2);
  CHECK(list[1]["stream"] == "klagomal-sol");
  CHECK(list[1]["last_reminded"] == "2025-03-18");
  CHECK(list[1]["remind_now"] == false);

  // Refusals: each with its status, and nothing written.
  const uint64_t before = WrittenSize(c.base);
  st = c.Step("ny", [](auto& r) {
    *r.mutable_received() = Received("2025-04-01");
    r.mutable_received()->add_areas("parkering");
  });
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("\"parkering\" is not an area") != std::string::npos);
  st = c.Step("19121212-1212", [](auto& r) { *r.mutable_received() = Received("2025-04-01"); });
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("1212") == std::string::npos);
  st = c.Step("sol", [](auto& r) { r.mutable_closed()->set_closed_date("2025-04-01"); });
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  st = c.Step("svarat", [](auto& r) {
    r.mutable_converted_to_deviation()->set_converted_date("2025-03-06");
    r.mutable_converted_to_deviation()->set_deviation_stream("avvikelse-saknas");
  });
  CHECK(st.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(st.error_message().find("holds no reported deviation") != std::string::npos);
  st = c.Step("sol", [](auto&) {});
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  cv::RecordRequest anonymous;
  anonymous.set_case_id("ny");
  *anonymous.mutable_received() = Received("2025-04-01");
  CHECK(c.stub->Record(Ctx("").get(), anonymous, &c.out).error_code() == grpc::StatusCode::UNAUTHENTICATED);
  dv::StatisticsRequest both;
  both.set_year(2025);
  both.set_from("2025-01-01");
  both.set_to("2025-12-31");
  cv::ComplaintStatistics stats;
  CHECK(c.reports->Statistics(Ctx().get(), both, &stats).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  cv::RemindersRequest html;
  html.set_format(v1::decisions::REPORT_FORMAT_HTML);
  cv::RemindersResponse reminders;
  CHECK(c.reports->Reminders(Ctx().get(), html, &reminders).error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(WrittenSize(c.base) == before);

  // A retry with the same event id writes nothing new.
  cv::RecordRequest retry;
  retry.set_case_id("ny");
  retry.set_event_id(Uuid::Random().ToString());
  *retry.mutable_received() = Received("2025-04-01");
  REQUIRE(c.stub->Record(Ctx().get(), retry, &c.out).ok());
  const uint64_t position = c.out.position();
  REQUIRE(c.stub->Record(Ctx().get(), retry, &c.out).ok());
  CHECK(c.out.duplicate());
  CHECK(c.out.position() == position);
  CHECK(WrittenSize(c.base) == before + 1);
}
