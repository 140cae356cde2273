// Lex Maria: the case, the MAS/MAR decisions and who may take them, the
// report to IVO or the mandatory reasons why not, the follow-up case; and
// Luleå's 2025 figures (seed 003, L4453-L4454: eleven cases, seven reported).

#include <catch2/catch.hpp>

#include "services/deviations/lex_maria.h"
#include "unit/decider_steps.h"

using namespace sparbar;
using namespace sparbar::deviations::lexmaria;

namespace {

DecideContext As(std::vector<std::string> roles) { return DecideContext{CivilDate{2025, 12, 31}, std::move(roles)}; }
const DecideContext kMas = As({"mas"});
const testing::DeciderFns<LexMariaState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

pb::LexMariaOpened Opened(const std::string& from = "avvikelse-2025-311") {
  pb::LexMariaOpened m;
  m.set_opened_date("2025-02-03");
  m.set_unit("Hemsjukvården");
  m.set_description("Insulin förväxlat");
  m.set_from_deviation(from);
  return m;
}
pb::InvestigationStarted Started() {
  pb::InvestigationStarted m;
  m.set_started_date("2025-02-04");
  return m;
}
pb::InvestigationCompleted Completed() {
  pb::InvestigationCompleted m;
  m.set_completed_date("2025-03-20");
  m.set_findings("Ordinationen lästes fel vid överlämning");
  return m;
}
pb::ReportedToIvo Reported() {
  pb::ReportedToIvo m;
  m.set_reported_date("2025-03-25");
  m.set_ivo_reference("3.5.2-4711/2025");
  return m;
}
pb::NotReported NotReportedBecause(const std::string& reasons = "Åtgärder har redan vidtagits som eliminerar risken") {
  pb::NotReported m;
  m.set_decided_date("2025-03-25");
  m.set_reasons(reasons);
  return m;
}
pb::FollowUpOpened FollowUp() {
  pb::FollowUpOpened m;
  m.set_opened_date("2025-03-26");
  m.set_follow_up_stream("uppfoljning-2025-40");
  return m;
}
pb::LexMariaClosed Closed() {
  pb::LexMariaClosed m;
  m.set_closed_date("2025-04-30");
  return m;
}

LexMariaState Run(const std::vector<Payload>& steps, const DecideContext& c = kMas) {
  return testing::DecideEach(steps, c, kFns);
}
Status Refused(const std::vector<Payload>& before, const Payload& step, const DecideContext& c = kMas) {
  const LexMariaState s = Run(before);
  auto e = Decide(s, step, c);
  REQUIRE_FALSE(e.ok());
  return e.status();
}
void CheckRule(const std::vector<Payload>& before, const Payload& step, const std::string& rule) {
  testing::CheckStatus(Refused(before, step), Code::kFailedPrecondition, rule);
}

}  // namespace

TEST_CASE("a lex Maria case is reported to IVO and closes with its follow-up case, or closes on the reasons not to") {
  const LexMariaState reported = Run({Opened(), Started(), Completed(), Reported(), FollowUp(), Closed()});
  CHECK(reported.phase == Phase::kClosed);
  CHECK(reported.reported);
  const LexMariaState not_reported = Run({Opened(""), Started(), Completed(), NotReportedBecause(), Closed()});
  CHECK(not_reported.phase == Phase::kClosed);
  CHECK_FALSE(not_reported.reported);
  auto started = Decide(Run({Opened()}), Started(), As({"sjukskoterska", "mar"}));
  REQUIRE(started.ok());
  CHECK(std::get<pb::InvestigationStarted>(*started).decided_in_role() == "mar");
}

TEST_CASE("only MAS or MAR start a lex Maria investigation and decide on reporting") {
  const DecideContext nurse = As({"sjukskoterska"});
  CHECK(Refused({Opened()}, Started(), nurse).code() == Code::kPermissionDenied);
  CHECK(Refused({Opened(), Started(), Completed()}, Reported(), nurse).code() == Code::kPermissionDenied);
  const Status s = Refused({Opened(), Started(), Completed()}, NotReportedBecause(), nurse);
  CHECK(s.code() == Code::kPermissionDenied);
  CHECK_THAT(s.message(), Catch::Contains("\"mas\""));
}

TEST_CASE("every lex Maria step out of order is refused with the rule it breaks") {
  CheckRule({Opened()}, Opened(), "opened once");
  CheckRule({}, Started(), "after the case is opened");
  CheckRule({Opened(), Started()}, Started(), "started once");
  CheckRule({Opened()}, Completed(), "only a started investigation");
  CheckRule({Opened(), Started()}, Reported(), "completed investigation");
  CheckRule({Opened(), Started(), Completed(), Reported()}, NotReportedBecause(), "completed investigation, once");
  CheckRule({Opened(), Started(), Completed(), NotReportedBecause()}, FollowUp(), "reported to IVO");
  CheckRule({Opened(), Started(), Completed(), Reported()}, Closed(), "open it first");
  CheckRule({Opened(), Started(), Completed()}, Closed(), "after the decision to report");
  CheckRule({Opened(), Started(), Completed(), Reported(), FollowUp()}, FollowUp(), "open already");
}

TEST_CASE("bad input on a lex Maria step names the field; the reasons not to report are mandatory") {
  const Status no_reasons = Refused({Opened(), Started(), Completed()}, NotReportedBecause(""));
  CHECK(no_reasons.code() == Code::kInvalidArgument);
  CHECK_THAT(no_reasons.message(), Catch::Contains("reasons is required"));
  pb::ReportedToIvo no_ref = Reported();
  no_ref.clear_ivo_reference();
  CHECK_THAT(Refused({Opened(), Started(), Completed()}, no_ref).message(), Catch::Contains("ivo_reference is required"));
  CHECK_THAT(Refused({}, Opened("lexsarah-1")).message(), Catch::Contains("from_deviation"));
  const Status pnr = Refused({}, Opened("avvikelse-19121212-1212"));
  CHECK_THAT(pnr.message(), Catch::Contains("from_deviation holds a personnummer"));
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
}

TEST_CASE("Luleå's eleven lex Maria cases of 2025: seven reported to IVO, four with documented reasons not to") {
  std::vector<LexMariaState> cases;
  for (int i = 0; i < 11; ++i) {
    std::vector<Payload> steps{Opened(), Started(), Completed()};
    if (i < 7) {
      steps.push_back(Reported());
      steps.push_back(FollowUp());
    } else {
      steps.push_back(NotReportedBecause());
    }
    cases.push_back(Run(steps));
  }
  CHECK(std::count_if(cases.begin(), cases.end(), [](const auto& s) { return s.reported; }) == 7);
  CHECK(std::count_if(cases.begin(), cases.end(), [](const auto& s) { return s.phase == Phase::kNotReported; }) == 4);
  // Each reported case has its follow-up case (L4456-L4457).
  CHECK(std::count_if(cases.begin(), cases.end(), [](const auto& s) { return !s.follow_up_stream.empty(); }) == 7);
}
