// The committee through the real server and CLI: Kalix's meeting of
// 2024-05-22 (seed 002 B:5-144: §§ 80-97, §§ 80-84 with plain numbers,
// § 88 attested at once, attested 2024-06-03, anslag 2024-06-03 to
// 2024-06-25) recorded over gRPC and counted back by `sparbar report
// sammantraden`; a meeting of 2025-11-05 awaiting attestation listed by
// `sammantraden-frister`; bad input refused with nothing written.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "integration/client_util.h"
#include "sparbar/v1/committee_service.grpc.pb.h"
#include "support/cli_process.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

namespace cv = sparbar::v1::committee;

struct Committee {
  explicit Committee(const std::string& address) : base(address), stub(cv::Committee::NewStub(base.channel)) {}
  Client base;
  std::unique_ptr<cv::Committee::Stub> stub;
  cv::RecordResponse out;

  grpc::Status Step(const std::string& id, const std::function<void(cv::RecordRequest&)>& fill) {
    cv::RecordRequest r;
    r.set_meeting_id(id);
    fill(r);
    return stub->Record(Ctx("namndsekreterare").get(), r, &out);
  }
  void Must(const std::string& id, const std::function<void(cv::RecordRequest&)>& fill) {
    const grpc::Status st = Step(id, fill);
    INFO(id << ": " << st.error_message());
    REQUIRE(st.ok());
  }
};

void Hold(Committee& c, const std::string& id, const std::string& date) {
  c.Must(id, [&](auto& r) {
    auto* m = r.mutable_held();
    m->set_body("Socialnämnden");
    m->set_meeting_date(date);
    m->set_place("Förvaltningsbyggnaden, Sessionssalen");
    m->set_chair("Inga-Lis Samuelsson (C)");
    m->set_secretary("Ann-Kristin Andersson");
    m->add_attesters("Stefan Granström (C)");
  });
}

void AddParagraph(Committee& c, const std::string& id, uint32_t number, const std::string& dnr) {
  c.Must(id, [&](auto& r) {
    auto* p = r.mutable_paragraph();
    p->set_number(number);
    p->set_dnr(dnr);
    p->set_title("Ärende § " + std::to_string(number));
    p->set_decision("Socialnämnden tar del av informationen.");
  });
}

void Attest(cv::RecordRequest& r, const std::string& date) {
  auto* a = r.mutable_protocol_attested();
  a->set_attested_date(date);
  a->add_attested_by("Inga-Lis Samuelsson (C)");
  a->add_attested_by("Stefan Granström (C)");
}

}  // namespace

TEST_CASE("Kalix's protocol of 2024-05-22 recorded and counted back; a protocol awaiting attestation listed",
          "[integration][committee]") {
  TempDir dir;
  ServerProcess server((dir.path() / "data").string());
  Committee c(server.address());

  Hold(c, "sn-2024-05-22", "2024-05-22");
  const std::vector<std::string> plain = {"9869", "9805", "9806", "9807", "10031"};
  for (uint32_t n = 80; n <= 97; ++n) {
    AddParagraph(c, "sn-2024-05-22", n, n <= 84 ? plain[n - 80] : "2024-00" + std::to_string(118 + n - 85) + " 70");
  }
  c.Must("sn-2024-05-22", [](auto& r) {
    auto* a = r.mutable_paragraph_attested();
    a->set_paragraph(88);
    a->set_attested_date("2024-05-22");
    a->add_attested_by("Inga-Lis Samuelsson (C)");
    a->add_attested_by("Stefan Granström (C)");
  });
  // Bad input: nothing written.
  const uint64_t before = WrittenSize(c.base);
  CHECK(c.Step("sn-2024-05-22", [](auto& r) { Attest(r, "2024-05-21"); }).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status st = c.Step("sn-2024-05-22", [](auto& r) {
    auto* p = r.mutable_paragraph();
    p->set_number(98);
    p->set_dnr("19121212-1212");
    p->set_title("Fel");
    p->set_decision("Fel");
  });
  CHECK(st.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK(st.error_message().find("1212") == std::string::npos);
  CHECK(c.Step("sn-2024-05-22", [](auto& r) {
           r.mutable_notice_posted()->set_posted_date("2024-06-03");
         }).error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(WrittenSize(c.base) == before);
  c.Must("sn-2024-05-22", [](auto& r) { Attest(r, "2024-06-03"); });
  c.Must("sn-2024-05-22", [](auto& r) {
    r.mutable_notice_posted()->set_posted_date("2024-06-03");
    r.mutable_notice_posted()->set_taken_down_date("2024-06-25");
    r.mutable_notice_posted()->set_storage_place("Socialförvaltningen");
  });
  Hold(c, "sn-2025-11-05", "2025-11-05");
  AddParagraph(c, "sn-2025-11-05", 132, "DIASOC-2025-0134270");
  AddParagraph(c, "sn-2025-11-05", 133, "");

  const std::vector<std::string> report = {"--server", server.address(), "report"};
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), report.begin(), report.end());
    return RunCli(args);
  };
  const CliResult json = cli({"sammantraden", "--year", "2024", "--format", "json"});
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  const auto stats = nlohmann::json::parse(json.out);
  CHECK(stats["meetings"] == "1");
  CHECK(stats["paragraphs"] == "18");
  CHECK(stats["paragraphs_with_dnr"] == "18");
  CHECK(stats["paragraphs_attested_at_once"] == "1");
  CHECK(stats["attested_within_deadline"] == "1");
  CHECK(stats["notices_within_deadline"] == "1");
  REQUIRE(stats["dnr_by_form"].size() == 2);
  const CliResult html = cli({"sammantraden", "--year", "2024", "--format", "html"});
  REQUIRE(html.exit_code == 0);
  CHECK_THAT(html.out, Catch::Contains("Justerade omedelbart"));

  const CliResult due =
      cli({"sammantraden-frister", "--on", "2025-11-25", "--as-of-position", std::to_string(FreshSize(c.base))});
  INFO(due.err);
  REQUIRE(due.exit_code == 0);
  CHECK(due.out ==
        "sammantrade,organ,datum,vantar_pa,senast,dagar_kvar\r\n"
        "sammantrade-sn-2025-11-05,Socialnämnden,2025-11-05,justering,2025-11-19,-6\r\n");
}
