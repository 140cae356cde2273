// Behörigheter: an access right's steps and their rules (config/
// behorigheter.json; seed 003 L792-L795, L934-L937, L4001-L4006): ordered
// by the unit manager after the mandatory trainings, granted by another
// person in the specialist's role, reviewed, narrowed, removed; the rights
// in force at an instant; the statistics and the steps due; and the
// loggkontroll rule that flags an access outside the rights held then.

#include <catch2/catch.hpp>

#include "services/access/review_context.h"
#include "services/access/review_rules.h"
#include "services/access_rights/register.h"
#include "services/access_rights/right.h"
#include "services/access_rights/statistics.h"
#include "services/common/swedish_time.h"
#include "unit/decider_steps.h"
#include "unit/shipped_rules.h"

using namespace sparbar;
using namespace sparbar::access_rights;

namespace {

const AccessRightRules& Rules() { return testing::ShippedRules<AccessRightRules>("behorigheter.json"); }

constexpr int64_t kS = 1'000'000;
// 2025-03-03 09:00 in Sweden (08:00 UTC), a Monday.
constexpr int64_t kT0 = 1740988800;
constexpr int64_t kDay = 86400;

google::protobuf::Timestamp At(int64_t seconds_after_t0) {
  google::protobuf::Timestamp t;
  t.set_seconds(kT0 + seconds_after_t0);
  return t;
}
TimestampMicros Us(int64_t seconds_after_t0) { return (kT0 + seconds_after_t0) * kS; }

const std::string kUser = "SE2321000230-1A2B";

DecideContext Manager() { return DecideContext{CivilDate{2026, 6, 30}, "chef-ifo", {"enhetschef"}, &Rules()}; }
DecideContext Specialist() {
  return DecideContext{CivilDate{2026, 6, 30}, "objektspecialist", {"behorighetsadministrator"}, &Rules()};
}

pb::RightOrdered Ordered(const std::string& date = "2025-03-03") {
  pb::RightOrdered m;
  m.set_ordered_date(date);
  m.set_user(kUser);
  m.set_system("combine");
  m.set_role("socialsekreterare");
  m.add_units("ifo-barn");
  m.add_units("ifo-vuxen");
  m.set_justification("Handläggare inom IFO barn och vuxen; behöver läsa och dokumentera i ärenden");
  m.add_trainings("informationssakerhet");
  m.add_trainings("gdpr");
  return m;
}
pb::RightGranted Granted(int64_t at) {
  pb::RightGranted m;
  *m.mutable_granted_at() = At(at);
  return m;
}
pb::RightReviewed Reviewed(const std::string& date, pb::ReviewOutcome outcome, std::vector<std::string> units = {}) {
  pb::RightReviewed m;
  m.set_reviewed_date(date);
  m.set_outcome(outcome);
  for (auto& u : units) m.add_units(u);
  return m;
}
pb::NarrowingOrdered NarrowTo(const std::string& date, const std::string& unit) {
  pb::NarrowingOrdered m;
  m.set_ordered_date(date);
  m.add_units(unit);
  m.set_reason(pb::CHANGE_REASON_CHANGED_DUTIES);
  return m;
}
pb::RightNarrowed Narrowed(int64_t at) {
  pb::RightNarrowed m;
  *m.mutable_effective_at() = At(at);
  return m;
}
pb::RemovalOrdered RemoveOn(const std::string& date, const std::string& last_day = "") {
  pb::RemovalOrdered m;
  m.set_ordered_date(date);
  m.set_last_day(last_day);
  m.set_reason(pb::CHANGE_REASON_LEFT);
  return m;
}
pb::RightRemoved Removed(int64_t at) {
  pb::RightRemoved m;
  *m.mutable_removed_at() = At(at);
  return m;
}

// Each step decided in the role it needs: the manager's or the specialist's.
DecideContext RoleFor(const Payload& p) {
  return std::holds_alternative<pb::RightGranted>(p) || std::holds_alternative<pb::RightNarrowed>(p) ||
                 std::holds_alternative<pb::RightRemoved>(p)
             ? Specialist()
             : Manager();
}

RightState Run(const std::vector<Payload>& steps) {
  RightState s;
  for (const auto& p : steps) {
    auto e = Decide(s, p, RoleFor(p));
    INFO(TypeOf(p) << ": " << e.status().ToString());
    REQUIRE(e.ok());
    s = Evolve(std::move(s), *e);
  }
  return s;
}

Status Refused(const std::vector<Payload>& before, const Payload& step, std::optional<DecideContext> c = {}) {
  const RightState s = Run(before);
  auto e = Decide(s, step, c ? *c : RoleFor(step));
  REQUIRE_FALSE(e.ok());
  return e.status();
}

}  // namespace

TEST_CASE("a right is ordered by the manager, granted by another, narrowed and removed", "[accessrights]") {
  const RightState s = Run({Ordered(), Granted(kDay), NarrowTo("2025-06-02", "ifo-vuxen"), Narrowed(92 * kDay),
                            RemoveOn("2025-09-01", "2025-09-30"), Removed(211 * kDay)});
  CHECK(s.order->ordered_by() == "chef-ifo");
  CHECK(s.Removed());
  CHECK(s.UnitsAt(Us(0)) == nullptr);  // ordered, not yet granted
  REQUIRE(s.UnitsAt(Us(kDay)) != nullptr);
  CHECK(*s.UnitsAt(Us(kDay)) == std::vector<std::string>{"ifo-barn", "ifo-vuxen"});
  CHECK(*s.UnitsAt(Us(92 * kDay - 1)) == std::vector<std::string>{"ifo-barn", "ifo-vuxen"});
  CHECK(*s.UnitsAt(Us(92 * kDay)) == std::vector<std::string>{"ifo-vuxen"});
  CHECK(s.UnitsAt(Us(211 * kDay)) == nullptr);              // removed from that instant on
  CHECK(*s.RemovalDue(Rules()) == CivilDate{2025, 10, 1});  // the day after the last day
  CHECK_FALSE(s.ReviewDue(Rules()));
}

TEST_CASE("the roles, the trainings and separation of duties are enforced", "[accessrights]") {
  const Status role = Refused({}, Ordered(), Specialist());
  CHECK(role.code() == Code::kPermissionDenied);
  CHECK_THAT(role.message(), Catch::Contains("unit manager (role \"enhetschef\")"));
  CHECK(Refused({Ordered()}, Granted(kDay), Manager()).code() == Code::kPermissionDenied);
  // The specialist who ordered it (as manager too) does not grant it.
  DecideContext both{CivilDate{2026, 6, 30}, "chef-ifo", {"enhetschef", "behorighetsadministrator"}, &Rules()};
  const Status self = Refused({Ordered()}, Granted(kDay), both);
  CHECK(self.code() == Code::kPermissionDenied);
  CHECK_THAT(self.message(), Catch::Contains("does not grant it"));
  pb::RightOrdered untrained = Ordered();
  untrained.clear_trainings();
  untrained.add_trainings("informationssakerhet");
  CHECK_THAT(Refused({}, untrained).message(), Catch::Contains("the mandatory training \"gdpr\""));
  pb::RightOrdered unknown = Ordered();
  unknown.add_trainings("brandskydd");
  CHECK_THAT(Refused({}, unknown).message(), Catch::Contains("not a training of config/behorigheter.json"));
}

TEST_CASE("an access right's bad fields and steps out of order are refused", "[accessrights]") {
  CHECK_THAT(Refused({Ordered()}, Ordered()).message(), Catch::Contains("ordered once"));
  CHECK(Refused({Ordered()}, Ordered()).code() == Code::kFailedPrecondition);
  CHECK_THAT(Refused({}, Granted(0)).message(), Catch::Contains("after its order"));
  CHECK_THAT(Refused({Ordered("2025-03-04")}, Granted(0)).message(), Catch::Contains("before the day of the order"));
  CHECK_THAT(Refused({Ordered()}, Reviewed("2025-04-01", pb::REVIEW_OUTCOME_KEPT)).message(),
             Catch::Contains("granted right"));
  CHECK_THAT(Refused({Ordered(), Granted(kDay)}, Removed(2 * kDay)).message(),
             Catch::Contains("once its removal is ordered"));
  CHECK_THAT(Refused({Ordered(), Granted(kDay)}, Narrowed(2 * kDay)).message(), Catch::Contains("once ordered"));
  pb::RightOrdered no_units = Ordered();
  no_units.clear_units();
  CHECK_THAT(Refused({}, no_units).message(), Catch::Contains("units needs at least one unit"));
  pb::RightOrdered twice = Ordered();
  twice.add_units("ifo-barn");
  CHECK_THAT(Refused({}, twice).message(), Catch::Contains("twice"));
  pb::RightOrdered pnr_user = Ordered();
  pnr_user.set_user("19121212-1212");
  const Status pnr = Refused({}, pnr_user);
  CHECK_THAT(pnr.message(), Catch::Contains("user"));
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  pb::RightOrdered bad_system = Ordered();
  bad_system.set_system("combine/prod");
  CHECK(Refused({}, bad_system).code() == Code::kInvalidArgument);
  pb::RightOrdered future = Ordered("2026-07-01");
  CHECK_THAT(Refused({}, future).message(), Catch::Contains("ordered_date"));
  pb::RightOrdered no_why = Ordered();
  no_why.clear_justification();
  CHECK_THAT(Refused({}, no_why).message(), Catch::Contains("justification is required"));
  // A narrowing keeps some, not all, of the units in force, and widens nothing.
  const std::vector<Payload> granted = {Ordered(), Granted(kDay)};
  pb::NarrowingOrdered all = NarrowTo("2025-04-01", "ifo-barn");
  all.add_units("ifo-vuxen");
  CHECK_THAT(Refused(granted, all).message(), Catch::Contains("keeps every unit"));
  CHECK_THAT(Refused(granted, NarrowTo("2025-04-01", "ifo-aldre")).message(),
             Catch::Contains("a wider right is a new order"));
  pb::NarrowingOrdered left = NarrowTo("2025-04-01", "ifo-barn");
  left.set_reason(pb::CHANGE_REASON_LEFT);
  CHECK_THAT(Refused(granted, left).message(), Catch::Contains("removed, not narrowed"));
  pb::RemovalOrdered other = RemoveOn("2025-04-01");
  other.set_reason(pb::CHANGE_REASON_OTHER);
  CHECK_THAT(Refused(granted, other).message(), Catch::Contains("note is required"));
  CHECK_THAT(Refused(granted, RemoveOn("2025-04-01", "2025-03-01")).message(),
             Catch::Contains("last_day 2025-03-01 is before the order of the right"));
  CHECK_THAT(Refused(granted, Reviewed("2025-03-01", pb::REVIEW_OUTCOME_KEPT)).message(),
             Catch::Contains("is before the right's last step"));
  CHECK_THAT(Refused(granted, Reviewed("2025-04-01", pb::REVIEW_OUTCOME_KEPT, {"ifo-barn"})).message(),
             Catch::Contains("only when the review narrows"));
}

TEST_CASE("a review keeps, narrows or removes; a removal before the grant withdraws the order", "[accessrights]") {
  const RightState kept = Run({Ordered(), Granted(kDay), Reviewed("2026-02-02", pb::REVIEW_OUTCOME_KEPT)});
  CHECK(*kept.ReviewDue(Rules()) == CivilDate{2027, 2, 2});
  const RightState fresh = Run({Ordered(), Granted(kDay)});
  CHECK(*fresh.ReviewDue(Rules()) == CivilDate{2026, 3, 4});  // 365 days after the grant on 2025-03-04
  const RightState narrowing =
      Run({Ordered(), Granted(kDay), Reviewed("2026-02-02", pb::REVIEW_OUTCOME_NARROWED, {"ifo-barn"})});
  REQUIRE(narrowing.narrowing);
  CHECK(narrowing.narrowing->reason == pb::CHANGE_REASON_REVIEW);
  CHECK(*narrowing.NarrowingDue(Rules()) == CivilDate{2026, 2, 7});
  CHECK_FALSE(narrowing.ReviewDue(Rules()));  // the review waits for the narrowing (Decide refuses one)
  const RightState removing = Run({Ordered(), Granted(kDay), Reviewed("2026-02-02", pb::REVIEW_OUTCOME_REMOVED)});
  CHECK(*removing.RemovalDue(Rules()) == CivilDate{2026, 2, 3});
  CHECK_FALSE(removing.ReviewDue(Rules()));
  // A removal ordered after the last day is due from the order, not before it.
  const RightState after = Run({Ordered(), Granted(kDay), RemoveOn("2025-04-01", "2025-03-10")});
  CHECK(*after.RemovalDue(Rules()) == CivilDate{2025, 4, 2});
  const RightState ahead = Run({Ordered(), Granted(kDay), RemoveOn("2025-04-01", "2025-04-30")});
  CHECK(*ahead.RemovalDue(Rules()) == CivilDate{2025, 5, 1});
  const RightState withdrawn = Run({Ordered(), RemoveOn("2025-03-04")});
  CHECK(withdrawn.Withdrawn());
  CHECK_FALSE(withdrawn.GrantDue(Rules()));
  CHECK_THAT(Refused({Ordered(), RemoveOn("2025-03-04")}, Granted(kDay)).message(), Catch::Contains("withdrawn"));
}

TEST_CASE("access right statistics, steps due and rights in force come from the folded states", "[accessrights]") {
  AccessRightsView view;
  view.position = 20;
  // a: granted on time, narrowed, removed late (last day 2025-09-30, due 10-01, removed 10-10).
  view.rights["behorighet-a"] = Run({Ordered(), Granted(kDay), NarrowTo("2025-06-02", "ifo-vuxen"), Narrowed(92 * kDay),
                                     RemoveOn("2025-09-01", "2025-09-30"), Removed(221 * kDay)});
  // b: granted late (ordered 03-03, due 03-08, granted 03-13), in force at the year's end, review overdue then.
  view.rights["behorighet-b"] = Run({Ordered(), Granted(10 * kDay)});
  view.rights["behorighet-b"].order->set_user("SE2321000230-9Z9Z");
  // c: ordered and withdrawn.
  view.rights["behorighet-c"] = Run({Ordered("2025-05-05"), RemoveOn("2025-05-06")});
  // d: ordered in 2024 and granted then, reviewed and kept in 2025.
  view.rights["behorighet-d"] =
      Run({Ordered("2024-02-01"), Granted(-395 * kDay), Reviewed("2025-01-20", pb::REVIEW_OUTCOME_KEPT)});
  // e: ordered in December, not granted.
  view.rights["behorighet-e"] = Run({Ordered("2025-12-20")});
  const auto st = AccessRightsStatistics(view, Rules(), CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31});
  CHECK(st.ordered() == 4);
  CHECK(st.granted() == 2);
  CHECK(st.granted_within_deadline() == 1);
  CHECK(st.withdrawn() == 1);
  CHECK(st.reviews() == 1);
  CHECK(st.narrowed() == 1);
  CHECK(st.removed() == 1);
  CHECK(st.removed_late() == 1);
  CHECK(st.in_force_at_end() == 2);  // b and d
  CHECK(st.users_at_end() == 2);
  CHECK(st.reviews_overdue_at_end() == 0);  // b due 2026-03-13, d 2026-01-20
  REQUIRE(st.ordered_by_year_size() == 2);
  CHECK(st.ordered_by_year(0).count() == 1);
  REQUIRE(st.removed_by_reason_size() == 1);
  CHECK(st.removed_by_reason(0).key() == "CHANGE_REASON_LEFT");
  REQUIRE(st.in_force_by_unit_size() == 2);
  CHECK(st.in_force_by_unit(0).count() == 2);
  // A year later, with nothing recorded since: both reviews overdue.
  const auto next = AccessRightsStatistics(view, Rules(), CivilDate{2026, 1, 1}, CivilDate{2026, 12, 31});
  CHECK(next.reviews_overdue_at_end() == 2);
  CHECK(next.in_force_at_end() == 2);

  const auto due = BuildDue(view, Rules(), CivilDate{2025, 12, 31}, 30, "", "");
  REQUIRE(due.steps_size() == 2);  // e's grant (due 12-25), d's review (due 2026-01-20)
  CHECK(due.steps(0).stream() == "behorighet-e");
  CHECK(due.steps(0).awaits() == "tilldelning");
  CHECK(due.steps(0).days_left() == -6);
  CHECK(due.steps(1).stream() == "behorighet-d");
  CHECK(due.steps(1).awaits() == "kontroll");
  CHECK(due.steps(1).awaited_from() == "enhetschef");
  CHECK(BuildDue(view, Rules(), CivilDate{2025, 12, 31}, 0, "", "").steps_size() == 1);
  CHECK(BuildDue(view, Rules(), CivilDate{2025, 12, 31}, 30, "", "npo").steps_size() == 0);

  const auto in_force = RightsInForce(view, Rules(), Us(100 * kDay), "", "", "");
  REQUIRE(in_force.rights_size() == 3);  // a (narrowed), b, d
  CHECK(in_force.rights(0).stream() == "behorighet-a");
  CHECK(in_force.rights(0).units_size() == 1);
  CHECK(RightsInForce(view, Rules(), Us(100 * kDay), "", "", "ifo-barn").rights_size() == 2);
  CHECK(RightsInForce(view, Rules(), Us(100 * kDay), kUser, "combine", "").rights_size() == 2);
}

TEST_CASE("access right rules name what is wrong in the file", "[accessrights]") {
  auto error = [](const std::string& json) {
    auto r = AccessRightRules::FromJson(json);
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  const std::string trainings = R"("trainings": [{"code": "gdpr", "name": "GDPR"}])";
  CHECK(AccessRightRules::FromJson("{" + trainings + "}").ok());
  CHECK_THAT(error(R"({"review_interval_days": 0, )" + trainings + "}"), Catch::Contains("\"review_interval_days\""));
  CHECK_THAT(error(R"({"grant_within_days": -1, )" + trainings + "}"), Catch::Contains("\"grant_within_days\""));
  CHECK_THAT(error(R"({"trainings": []})"), Catch::Contains("\"trainings\""));
  CHECK_THAT(error("[]"), Catch::Contains("JSON object"));
}

TEST_CASE("loggkontroll flags an access outside the rights the user held then", "[accessrights][logreview][rules]") {
  AccessRightsView view;
  view.rights["behorighet-a"] =
      Run({Ordered(), Granted(kDay), NarrowTo("2025-06-02", "ifo-vuxen"), Narrowed(92 * kDay)});
  access::ReviewContext c;
  c.rights = RightsRegister::From(view);
  // Combine's rights are kept here from the first grant on: before it, nothing is judged.
  CHECK_FALSE(c.rights.Manages("combine", Us(0)));
  CHECK(c.rights.Manages("combine", Us(kDay)));
  // Another user's right granted earlier: from then on the system is managed.
  pb::RightOrdered other = Ordered("2025-02-01");
  other.set_user("SE2321000230-9Z9Z");
  view.rights["behorighet-b"] = Run({other, Granted(-20 * kDay)});
  c.rights = RightsRegister::From(view);
  CHECK(c.rights.Manages("combine", Us(0)));
  sparbar::v1::logreview::RuleSettings only;
  only.set_outside_rights(true);
  auto judge = [&](const std::string& system, const std::string& role, const std::string& unit, int64_t at) {
    const access::JudgedAccess a{kUser,  unit,      system, role, access::pb::PURPOSE_NORMAL_WORK,
                                 Us(at), "subject", nullptr};
    const auto hits = access::Judge(a, c, only);
    return hits.size() == 1 && hits[0].rule == "outside_rights";
  };
  CHECK_FALSE(judge("combine", "socialsekreterare", "ifo-barn", 2 * kDay));     // held then
  CHECK(judge("combine", "socialsekreterare", "ifo-barn", 0));                  // before the grant
  CHECK(judge("combine", "socialsekreterare", "ifo-barn", 100 * kDay));         // after the narrowing
  CHECK_FALSE(judge("combine", "socialsekreterare", "ifo-vuxen", 100 * kDay));  // kept
  CHECK(judge("combine", "enhetschef", "ifo-vuxen", 100 * kDay));               // another role
  CHECK_FALSE(judge("npo", "lakare", "hsl", 100 * kDay));  // a system whose rights are not kept here
  const access::JudgedAccess a{kUser, "ifo-barn", "combine", "socialsekreterare", access::pb::PURPOSE_NORMAL_WORK,
                               Us(0), "subject",  nullptr};
  const auto hits = access::Judge(a, c, only);
  REQUIRE(hits.size() == 1);
  CHECK_THAT(hits[0].explanation, Catch::Contains("held no right in combine as socialsekreterare for unit ifo-barn"));
  only.set_outside_rights(false);
  CHECK(access::Judge(a, c, only).empty());
}
