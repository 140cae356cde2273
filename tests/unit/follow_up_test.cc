// Uppföljningsärende: the action plan, progress entries and closing of a
// follow-up case, and the flagging of plans without documented progress
// (Luleå: two of three active plans without documentation, seed 003,
// L5203-L5204).

#include <catch2/catch.hpp>

#include "services/deviations/follow_up.h"
#include "unit/decider_steps.h"

using namespace sparbar;
using namespace sparbar::deviations::followup;

namespace {

const DecideContext kToday{CivilDate{2025, 12, 31}};
const testing::DeciderFns<FollowUpState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

pb::FollowUpCaseOpened Opened(const std::string& date = "2025-04-03", const std::string& origin = "lexsarah-2025-17") {
  pb::FollowUpCaseOpened m;
  m.set_opened_date(date);
  m.set_origin_stream(origin);
  m.set_responsible("Enhetschef Stöd och service");
  return m;
}

pb::ActionPlanned Planned(const std::string& id = "a1") {
  pb::ActionPlanned m;
  m.set_action_id(id);
  m.set_description("Ny rutin för nattillsyn");
  m.set_owner("Enhetschef");
  m.set_due_date("2026-01-31");
  return m;
}

pb::ProgressRecorded Progress(const std::string& date = "2025-05-10", const std::string& action = "a1") {
  pb::ProgressRecorded m;
  m.set_recorded_date(date);
  m.set_text("Rutinen är framtagen och genomgången på APT");
  m.set_action_id(action);
  return m;
}

pb::ActionCompleted Completed(const std::string& id = "a1") {
  pb::ActionCompleted m;
  m.set_action_id(id);
  m.set_completed_date("2025-05-11");
  return m;
}

pb::FollowUpCaseClosed Closed() {
  pb::FollowUpCaseClosed m;
  m.set_closed_date("2025-05-12");
  return m;
}

FollowUpState Run(const std::vector<Payload>& steps) { return testing::DecideEach(steps, kToday, kFns); }
Status Refused(const std::vector<Payload>& before, const Payload& step) {
  return testing::DecideRefused(before, step, kToday, kFns);
}
void CheckRule(const std::vector<Payload>& before, const Payload& step, const std::string& rule) {
  testing::CheckStatus(Refused(before, step), Code::kFailedPrecondition, rule);
}

}  // namespace

TEST_CASE("a follow-up case closes once its actions are completed and its progress documented") {
  const FollowUpState s = Run({Opened(), Planned(), Progress(), Completed(), Closed()});
  CHECK(s.closed);
  CHECK(s.HasProgress());
  CHECK(s.actions.at("a1"));
}

TEST_CASE("every follow-up step out of order is refused with the rule it breaks") {
  CheckRule({Opened()}, Opened(), "opened once");
  CheckRule({}, Planned(), "belongs to an open follow-up case");
  CheckRule({Opened(), Planned()}, Planned(), "has an action a1 already");
  CheckRule({Opened()}, Closed(), "plan an action first");
  CheckRule({Opened(), Planned(), Progress()}, Closed(), "action a1 of the plan is not completed");
  CheckRule({Opened(), Planned(), Completed()}, Closed(), "record a progress entry first");
  CheckRule({Opened(), Planned(), Completed()}, Completed(), "completed already");
  CheckRule({Opened(), Planned(), Progress(), Completed(), Closed()}, Progress("2025-06-01"),
            "belongs to an open follow-up case");
}

TEST_CASE("bad input on a follow-up step names the field") {
  CHECK_THAT(Refused({}, Opened("2025-04-03", "avvikelse-7")).message(), Catch::Contains("origin_stream"));
  const Status pnr = Refused({}, Opened("2025-04-03", "lexmaria-19121212-1212"));
  CHECK_THAT(pnr.message(), Catch::Contains("origin_stream holds a personnummer"));
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  CHECK_THAT(Refused({Opened()}, Planned("ab cd")).message(), Catch::Contains("action_id may hold only"));
  pb::ActionPlanned early = Planned();
  early.set_due_date("2025-04-01");
  CHECK_THAT(Refused({Opened()}, early).message(), Catch::Contains("due_date 2025-04-01 is before the opening"));
  CHECK(Refused({Opened(), Planned()}, Progress("2025-05-10", "a9")).code() == Code::kInvalidArgument);
  CHECK(Refused({Opened(), Planned()}, Completed("a9")).code() == Code::kInvalidArgument);
  CHECK_THAT(Refused({Opened(), Planned()}, Progress("2025-04-01")).message(), Catch::Contains("before the opening"));
}

TEST_CASE("plans without documented progress for too long are flagged, as in Luleå's two of three") {
  // Three plans from earlier years still active at the end of 2025; one has
  // documented progress this autumn, two have none since they were opened.
  std::map<std::string, FollowUpState> cases{
      {"uppfoljning-2023-4", Run({Opened("2023-10-02"), Planned()})},
      {"uppfoljning-2024-2", Run({Opened("2024-03-15"), Planned()})},
      {"uppfoljning-2024-9", Run({Opened("2024-09-01"), Planned(), Progress("2025-11-20")})},
      {"uppfoljning-2025-1", Run({Opened("2025-01-10"), Planned(), Progress("2025-02-01"), Completed(), Closed()})},
  };
  const auto stale = StalePlans(cases, CivilDate{2025, 12, 31}, 60);
  CHECK(stale == std::vector<std::string>{"uppfoljning-2023-4", "uppfoljning-2024-2"});
  // A plan opened within the window is not flagged yet.
  cases["uppfoljning-2025-30"] = Run({Opened("2025-12-01")});
  CHECK(StalePlans(cases, CivilDate{2025, 12, 31}, 60).size() == 2);
  CHECK(StalePlans(cases, CivilDate{2026, 3, 1}, 60).size() == 4);
}
