// Personuppgiftsincidenter: an incident's steps and their rules, the
// 24-hour report and the 72-hour IMY deadlines from
// config/personuppgiftsincidenter.json (seed 003 L826-L832; GDPR art. 33),
// the role of the data-protection coordinator, and the statistics and
// deadline list.

#include <catch2/catch.hpp>

#include "services/incidents/incident.h"
#include "services/incidents/statistics.h"
#include "unit/decider_steps.h"
#include "unit/shipped_rules.h"

using namespace sparbar;
using namespace sparbar::incidents;

namespace {

const IncidentRules& Rules() { return testing::ShippedRules<IncidentRules>("personuppgiftsincidenter.json"); }

constexpr int64_t kHour = 3600;
// 2025-03-03T08:00:00Z
constexpr int64_t kT0 = 1740988800;

google::protobuf::Timestamp At(int64_t hours_after_t0) {
  google::protobuf::Timestamp t;
  t.set_seconds(kT0 + hours_after_t0 * kHour);
  return t;
}

DecideContext Ctx(std::vector<std::string> roles = {"dataskyddssamordnare"}) {
  return DecideContext{CivilDate{2025, 12, 31}, std::move(roles), &Rules()};
}
const testing::DeciderFns<IncidentState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

pb::IncidentReported Reported(int64_t discovered = 0, int64_t reported = 2) {
  pb::IncidentReported m;
  *m.mutable_discovered_at() = At(discovered);
  *m.mutable_reported_at() = At(reported);
  m.set_unit("Individ- och familjeomsorg");
  m.set_kind("felskick");
  m.add_categories("sociala-forhallanden");
  m.add_categories("identitet");
  m.set_data_subjects(1);
  m.set_system("e-post");
  m.set_responsible("enhetschef-ifo");
  m.set_description("Ett beslut skickades till fel mottagare");
  return m;
}

pb::IncidentAssessed Assessed(int64_t at, bool notify, pb::Risk risk) {
  pb::IncidentAssessed m;
  *m.mutable_assessed_at() = At(at);
  m.set_risk(risk);
  m.set_notify_imy(notify);
  if (!notify) m.set_reasons("Mottagaren raderade brevet och bekräftade det");
  return m;
}

pb::ImyNotified Notified(int64_t at, const std::string& delay = "") {
  pb::ImyNotified m;
  *m.mutable_notified_at() = At(at);
  m.set_imy_reference("IMY-2025-1234");
  m.set_delay_reasons(delay);
  return m;
}

pb::IncidentClosed Closed(int64_t at) {
  pb::IncidentClosed m;
  *m.mutable_closed_at() = At(at);
  return m;
}

IncidentState Run(const std::vector<Payload>& steps) { return testing::DecideEach(steps, Ctx(), kFns); }
Status Refused(const std::vector<Payload>& before, const Payload& step, const DecideContext& c = Ctx()) {
  return testing::DecideRefused(before, step, c, kFns);
}

}  // namespace

TEST_CASE("an incident is reported, assessed not to notify with reasons, and closed", "[incidents]") {
  const IncidentState s = Run({Reported(), Assessed(20, false, pb::RISK_UNLIKELY), Closed(30)});
  CHECK(s.Closed());
  CHECK_FALSE(s.ReportedLate(Rules()));
  CHECK(s.aware_at == (kT0 + 2 * kHour) * 1000000);  // aware from the report on
  CHECK(s.assessment->assessed_in_role() == "dataskyddssamordnare");
  CHECK(*s.ImyDue(Rules()) == (kT0 + 74 * kHour) * 1000000);
}

TEST_CASE("an incident to notify closes only after IMY is notified; late needs the reasons", "[incidents]") {
  const std::vector<Payload> assessed = {Reported(), Assessed(10, true, pb::RISK_LIKELY)};
  CHECK_THAT(Refused(assessed, Closed(20)).message(), Catch::Contains("record the notification before closing"));
  // Due 72 hours after the report (hour 2): hour 74 is on time, hour 75 late.
  CHECK(Run({Reported(), Assessed(10, true, pb::RISK_LIKELY), Notified(74)}).notified_at);
  CHECK_THAT(Refused(assessed, Notified(75)).message(), Catch::Contains("delay_reasons"));
  const IncidentState late =
      Run({Reported(), Assessed(10, true, pb::RISK_HIGH), Notified(75, "Helg; underlaget kom in sent"), Closed(80)});
  CHECK(late.Closed());
  CHECK_THAT(Refused({Reported(), Assessed(10, false, pb::RISK_UNLIKELY)}, Notified(20)).message(),
             Catch::Contains("not to notify IMY"));
  CHECK_THAT(Refused({Reported()}, Notified(20)).message(), Catch::Contains("assessed before IMY is notified"));
  // Not before the assessment, and the closing not before the last action.
  CHECK_THAT(Refused(assessed, Notified(9)).message(), Catch::Contains("notified_at lies before the assessment"));
  pb::IncidentActionTaken action;
  *action.mutable_taken_at() = At(40);
  action.set_description("Rutinen ändrad");
  CHECK_THAT(Refused({Reported(), Assessed(10, false, pb::RISK_UNLIKELY), action}, Closed(30)).message(),
             Catch::Contains("closed_at lies before"));
}

TEST_CASE("only the data-protection coordinator assesses and notifies; a risk must be notified", "[incidents]") {
  const Status role = Refused({Reported()}, Assessed(10, false, pb::RISK_UNLIKELY), Ctx({"enhetschef"}));
  CHECK(role.code() == Code::kPermissionDenied);
  CHECK_THAT(role.message(), Catch::Contains("dataskyddssamordnare"));
  const auto unnotified = Decide(Run({Reported(), Assessed(10, true, pb::RISK_LIKELY)}), Notified(20), Ctx({}));
  REQUIRE_FALSE(unnotified.ok());
  CHECK(unnotified.status().code() == Code::kPermissionDenied);
  CHECK_THAT(Refused({Reported()}, Assessed(10, false, pb::RISK_LIKELY)).message(), Catch::Contains("GDPR art. 33"));
  pb::IncidentAssessed no_reasons = Assessed(10, false, pb::RISK_UNLIKELY);
  no_reasons.clear_reasons();
  CHECK_THAT(Refused({Reported()}, no_reasons).message(), Catch::Contains("reasons is required"));
  CHECK_THAT(Refused({Reported()}, Assessed(10, true, pb::RISK_UNSPECIFIED)).message(),
             Catch::Contains("risk must be unlikely, likely or high"));
  CHECK_THAT(Refused({Reported(), Assessed(10, true, pb::RISK_LIKELY)}, Assessed(11, true, pb::RISK_LIKELY)).message(),
             Catch::Contains("assessed once"));
  // Awareness given explicitly: not before the discovery, not after the assessment.
  pb::IncidentAssessed aware = Assessed(10, true, pb::RISK_LIKELY);
  *aware.mutable_aware_at() = At(12);
  CHECK_THAT(Refused({Reported()}, aware).message(), Catch::Contains("aware_at lies after the assessment"));
  *aware.mutable_aware_at() = At(1);
  CHECK(*Run({Reported(), aware}).ImyDue(Rules()) == (kT0 + 73 * kHour) * 1000000);
}

TEST_CASE("an incident's bad fields and steps out of order are refused", "[incidents]") {
  CHECK_THAT(Refused({Reported()}, Reported()).message(), Catch::Contains("reported once"));
  CHECK_THAT(Refused({}, Closed(5)).message(), Catch::Contains("belongs to a reported incident"));
  CHECK_THAT(Refused({Reported()}, Closed(5)).message(), Catch::Contains("assesses the incident before it closes"));
  CHECK_THAT(Refused({}, Reported(5, 2)).message(), Catch::Contains("reported_at lies before the discovery"));
  pb::IncidentReported missing = Reported();
  missing.clear_discovered_at();
  CHECK_THAT(Refused({}, missing).message(), Catch::Contains("discovered_at is required"));
  pb::IncidentReported future = Reported();
  future.mutable_reported_at()->set_seconds(kT0 + 400 * 24 * kHour);
  CHECK_THAT(Refused({}, future).message(), Catch::Contains("reported_at lies after today"));
  pb::IncidentReported huge = Reported();
  huge.mutable_discovered_at()->set_seconds(int64_t{1} << 60);  // would overflow as microseconds
  CHECK_THAT(Refused({}, huge).message(), Catch::Contains("discovered_at is not a valid instant"));
  pb::IncidentReported nanos = Reported();
  nanos.mutable_discovered_at()->set_nanos(-1);
  CHECK_THAT(Refused({}, nanos).message(), Catch::Contains("discovered_at is not a valid instant"));
  pb::IncidentReported kind = Reported();
  kind.set_kind("19121212-1212");
  const Status k = Refused({}, kind);
  CHECK_THAT(k.message(), Catch::Contains("kind: the value"));
  CHECK_THAT(k.message(), !Catch::Contains("1212"));
  pb::IncidentReported category = Reported();
  category.add_categories("identitet");
  CHECK_THAT(Refused({}, category).message(), Catch::Contains("twice"));
  pb::IncidentReported text = Reported();
  text.set_description("Gällde 19121212-1212");
  CHECK_THAT(Refused({}, text).message(), Catch::Contains("description holds a personnummer"));
}

TEST_CASE("incident statistics count late reports and notifications; deadlines list what still binds",
          "[incidents]") {
  IncidentsView view;
  view.position = 9;
  view.incidents["puincident-a"] = Run({Reported(0, 2), Assessed(10, false, pb::RISK_UNLIKELY), Closed(20)});
  view.incidents["puincident-b"] = Run({Reported(0, 30)});                                    // late, not assessed
  view.incidents["puincident-c"] = Run({Reported(0, 1), Assessed(5, true, pb::RISK_LIKELY)});  // to notify
  view.incidents["puincident-d"] = Run({Reported(0, 1), Assessed(5, true, pb::RISK_LIKELY), Notified(90, "Sent")});
  view.incidents["puincident-e"] = Run({Reported(-24 * 365, -24 * 365 + 1)});                 // 2024
  const auto st = IncidentsStatistics(view, Rules(), CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31});
  CHECK(st.incidents() == 4);
  CHECK(st.reported_late() == 1);
  CHECK(st.reported_within_deadline() == 3);
  CHECK(st.assessed() == 3);
  CHECK(st.not_notified() == 1);
  CHECK(st.notified_to_imy() == 1);
  CHECK(st.notified_within_deadline() == 0);
  CHECK(st.closed() == 1);
  REQUIRE(st.by_year_size() == 2);
  CHECK(st.by_year(0).key() == "2024");
  REQUIRE(st.by_category_size() == 2);
  CHECK(st.by_category(0).key() == "identitet");  // the configuration's order
  CHECK(st.by_category(0).count() == 5 - 1);

  const auto d = BuildDeadlines(view, Rules(), (kT0 + 60 * kHour) * 1000000, "");
  REQUIRE(d.deadlines_size() == 3);  // b not assessed, c to notify, e not assessed; a and d done
  CHECK(d.deadlines(0).stream() == "puincident-e");
  CHECK(d.deadlines(0).hours_left() == 73 - 24 * 365 - 60);  // a year past
  CHECK(d.deadlines(1).stream() == "puincident-c");
  CHECK(d.deadlines(1).awaits() == "anmälan till IMY");
  CHECK(d.deadlines(1).hours_left() == 13);  // due at hour 73
  CHECK(d.deadlines(2).stream() == "puincident-b");
  CHECK(d.deadlines(2).reported_late());
  CHECK(BuildDeadlines(view, Rules(), (kT0 + 60 * kHour) * 1000000, "Annan enhet").deadlines_size() == 0);
  // Before b's report (hour 30) b is not listed; a minute past c's due time is an hour past.
  CHECK(BuildDeadlines(view, Rules(), (kT0 + 20 * kHour) * 1000000, "").deadlines_size() == 2);
  const auto past = BuildDeadlines(view, Rules(), (kT0 + 73 * kHour + 60) * 1000000, "");
  REQUIRE(past.deadlines_size() == 3);
  CHECK(past.deadlines(1).hours_left() == -1);
}

TEST_CASE("incident rules name what is wrong in the file", "[incidents]") {
  auto error = [](const std::string& json) {
    auto r = IncidentRules::FromJson(json);
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  const std::string codes = R"("kinds": [{"code": "a", "name": "A"}], "categories": [{"code": "x", "name": "X"}])";
  CHECK(IncidentRules::FromJson("{" + codes + "}").ok());
  CHECK_THAT(error(R"({"imy_within_hours": 0, )" + codes + "}"), Catch::Contains("\"imy_within_hours\""));
  CHECK_THAT(error(R"({"kinds": []})"), Catch::Contains("\"kinds\""));
  CHECK_THAT(error("[]"), Catch::Contains("JSON object"));
}
