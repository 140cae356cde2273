// Synpunkter och klagomål: a case's steps and the rules they must keep,
// the answer deadlines and reminders from config/klagomal.json (two weeks,
// four weeks in health care or after a larger investigation; seed 003
// L5224-L5226, L4580), the statistics' answer-time buckets, and the rules
// file's errors.

#include <catch2/catch.hpp>

#include "services/complaints/case.h"
#include "services/common/share_report.h"
#include "services/complaints/report_render.h"
#include "services/complaints/statistics.h"
#include "unit/decider_steps.h"
#include "unit/shipped_rules.h"

using namespace sparbar;
using namespace sparbar::complaints;

namespace {

namespace dpb = ::sparbar::v1::deviations;

const ComplaintRules& Rules() { return testing::ShippedRules<ComplaintRules>("klagomal.json"); }

DecideContext On(const std::string& day) { return DecideContext{*CivilDate::TryParse(day), &Rules()}; }
const testing::DeciderFns<ComplaintState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

pb::ComplaintReceived Received(const std::string& date = "2025-03-03", dpb::Domain domain = dpb::DOMAIN_SOL) {
  pb::ComplaintReceived m;
  m.set_received_date(date);
  m.set_channel(pb::CHANNEL_E_SERVICE);
  m.set_submitter(pb::SUBMITTER_RELATIVE);
  m.set_sex(::sparbar::v1::decisions::SEX_KVINNA);
  m.set_kind(pb::KIND_COMPLAINT);
  m.add_areas("bemotande-kompetens");
  m.add_areas("information-kommunikation");
  m.set_domain(domain);
  m.set_unit("Hemtjänst Centrum");
  m.set_summary("Personalen kom inte på avtalad tid");
  return m;
}

pb::ComplaintAssigned Assigned(const std::string& date = "2025-03-04") {
  pb::ComplaintAssigned m;
  m.set_assigned_date(date);
  m.set_responsible("enhetschef-hemtjanst-centrum");
  return m;
}

pb::ComplaintAnswered Answered(const std::string& date = "2025-03-10") {
  pb::ComplaintAnswered m;
  m.set_answered_date(date);
  m.set_summary("Ursäkt och ny planering");
  return m;
}

pb::InvestigationExtended Extended(const std::string& date = "2025-03-05") {
  pb::InvestigationExtended m;
  m.set_decided_date(date);
  m.set_reason("Flera enheter berörs");
  return m;
}

pb::ReminderSent Reminder(const std::string& date, pb::ReminderReason reason) {
  pb::ReminderSent m;
  m.set_sent_date(date);
  m.set_reason(reason);
  return m;
}

pb::ComplaintClosed Closed(const std::string& date = "2025-03-12") {
  pb::ComplaintClosed m;
  m.set_closed_date(date);
  return m;
}

ComplaintState Run(const std::vector<Payload>& steps, const std::string& today = "2025-12-31") {
  return testing::DecideEach(steps, On(today), kFns);
}
Status Refused(const std::vector<Payload>& before, const Payload& step, const std::string& today = "2025-12-31") {
  return testing::DecideRefused(before, step, On(today), kFns);
}

}  // namespace

TEST_CASE("a complaint is received, assigned, answered, given an action and closed", "[complaints]") {
  pb::ComplaintActionRecorded action;
  action.set_action_date("2025-03-11");
  action.set_action_type("rutin");
  action.set_content("Rutinen för planering ses över");
  const ComplaintState s = Run({Received(), Assigned(), Answered(), action, Closed()});
  CHECK(s.Closed());
  CHECK(s.responsible == "enhetschef-hemtjanst-centrum");
  CHECK(s.actions == 1);
  CHECK(s.action_types == std::set<std::string>{"rutin"});
  CHECK(s.answered_on == CivilDate{2025, 3, 10});
}

TEST_CASE("complaint steps out of order are refused, naming the rule", "[complaints]") {
  CHECK_THAT(Refused({Received()}, Received()).message(), Catch::Contains("received once"));
  CHECK_THAT(Refused({}, Assigned()).message(), Catch::Contains("belongs to a received case"));
  const Status unassigned = Refused({Received()}, Answered());
  CHECK(unassigned.code() == Code::kFailedPrecondition);
  CHECK_THAT(unassigned.message(), Catch::Contains("assign the case first"));
  // Every case is answered before it closes, also when the submitter wants no answer (seed 003 L5225).
  CHECK_THAT(Refused({Received(), Assigned()}, Closed()).message(), Catch::Contains("answered before it closes"));
  CHECK_THAT(Refused({Received(), Assigned(), Answered()}, Extended()).message(),
             Catch::Contains("before the answer"));
  CHECK_THAT(Refused({Received(), Assigned(), Extended()}, Extended()).message(), Catch::Contains("decided once"));
  // Within the standard deadline (received 3 March: by 17 March), and the answer not before it.
  CHECK_THAT(Refused({Received(), Assigned()}, Extended("2025-03-18")).message(),
             Catch::Contains("within the answer's deadline, by 2025-03-17"));
  CHECK(Run({Received(), Assigned(), Extended("2025-03-17")}).Extended());
  CHECK_THAT(Refused({Received(), Assigned(), Extended("2025-03-12")}, Answered("2025-03-10")).message(),
             Catch::Contains("answered_date"));
  CHECK_THAT(Refused({Received(), Assigned(), Answered(), Closed()}, Answered()).message(),
             Catch::Contains("(the case is closed)"));
  CHECK_THAT(Refused({Received(), Assigned(), Answered()}, Closed("2025-03-09")).message(),
             Catch::Contains("closed_date"));
  CHECK_THAT(Refused({Received(), Assigned(), Answered()}, Assigned()).message(),
             Catch::Contains("not assigned again"));
}

TEST_CASE("a complaint's bad fields are refused, naming the field", "[complaints]") {
  auto refused = [](pb::ComplaintReceived m) { return Refused({}, m); };
  pb::ComplaintReceived area = Received();
  area.add_areas("parkering");
  CHECK_THAT(refused(area).message(), Catch::Contains("\"parkering\" is not an area"));
  pb::ComplaintReceived twice = Received();
  twice.add_areas("bemotande-kompetens");
  CHECK_THAT(refused(twice).message(), Catch::Contains("twice"));
  pb::ComplaintReceived channel = Received();
  channel.set_channel(pb::CHANNEL_UNSPECIFIED);
  CHECK_THAT(refused(channel).message(), Catch::Contains("channel"));
  pb::ComplaintReceived domain = Received();
  domain.set_domain(dpb::DOMAIN_UNSPECIFIED);
  CHECK_THAT(refused(domain).message(), Catch::Contains("domain"));
  pb::ComplaintReceived unit = Received();
  unit.clear_unit();
  CHECK_THAT(refused(unit).message(), Catch::Contains("unit"));
  pb::ComplaintReceived unit_pnr = Received();
  unit_pnr.set_unit("19121212-1212");
  CHECK_THAT(refused(unit_pnr).message(), Catch::Contains("unit holds a personnummer"));
  pb::ComplaintReceived area_pnr = Received();
  area_pnr.add_areas("19121212-1212");
  CHECK_THAT(refused(area_pnr).message(), Catch::Contains("areas: the value (it holds a personnummer, not repeated)"));
  CHECK_THAT(refused(area_pnr).message(), !Catch::Contains("1212"));
  CHECK_THAT(Refused({}, Received("2026-01-05"), "2025-12-31").message(), Catch::Contains("received_date"));
  // Free text naming someone by personnummer: refused without repeating it.
  pb::ComplaintReceived pnr = Received();
  pnr.set_summary("Gäller 19121212-1212 på avdelning 3");
  const Status s = refused(pnr);
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("summary holds a personnummer"));
  CHECK_THAT(s.message(), !Catch::Contains("1212"));
  // Fields not filled in are allowed: statistics count them as not stated.
  pb::ComplaintReceived sparse = Received();
  sparse.clear_areas();
  sparse.set_kind(pb::KIND_UNSPECIFIED);
  sparse.set_submitter(pb::SUBMITTER_UNSPECIFIED);
  sparse.set_sex(::sparbar::v1::decisions::SEX_UNSPECIFIED);
  sparse.clear_summary();
  CHECK(Run({sparse}).Received());
  pb::ComplaintActionRecorded action;
  action.set_action_date("2025-03-11");
  action.set_action_type("fika");
  action.set_content("x");
  CHECK_THAT(Refused({Received()}, action).message(), Catch::Contains("not an action type"));
  pb::ConvertedToDeviation converted;
  converted.set_converted_date("2025-03-11");
  converted.set_deviation_stream("lexsarah-1");
  CHECK(Refused({Received()}, converted).code() == Code::kInvalidArgument);
}

TEST_CASE("the answer is due in two weeks, four in health care or after a larger investigation", "[complaints]") {
  CHECK(Run({Received("2025-03-03")}).AnswerDue(Rules()) == CivilDate{2025, 3, 17});
  CHECK(Run({Received("2025-03-03", dpb::DOMAIN_HSL)}).AnswerDue(Rules()) == CivilDate{2025, 3, 31});
  CHECK(Run({Received("2025-03-03"), Assigned(), Extended()}).AnswerDue(Rules()) == CivilDate{2025, 3, 31});
  CHECK(Run({Received("2025-03-03"), Assigned(), Answered("2025-03-20")}).CloseDue(Rules()) ==
        CivilDate{2025, 3, 27});
}

TEST_CASE("a reminder is due only once the answer or the closing is overdue, and recorded only then",
          "[complaints]") {
  const ComplaintState open = Run({Received("2025-03-03"), Assigned()});
  CHECK_FALSE(ReminderDue(open, Rules(), CivilDate{2025, 3, 17}));  // the due date itself
  CHECK(ReminderDue(open, Rules(), CivilDate{2025, 3, 18}) == pb::REMINDER_REASON_NOT_ANSWERED);
  const ComplaintState hsl = Run({Received("2025-03-03", dpb::DOMAIN_HSL)});
  CHECK_FALSE(ReminderDue(hsl, Rules(), CivilDate{2025, 3, 18}));
  const ComplaintState answered = Run({Received("2025-03-03"), Assigned(), Answered("2025-03-10")});
  CHECK_FALSE(ReminderDue(answered, Rules(), CivilDate{2025, 3, 17}));
  CHECK(ReminderDue(answered, Rules(), CivilDate{2025, 3, 18}) == pb::REMINDER_REASON_ANSWERED_NOT_CLOSED);
  CHECK_FALSE(ReminderDue(Run({Received(), Assigned(), Answered(), Closed()}), Rules(), CivilDate{2025, 12, 1}));

  const Status early = Refused({Received("2025-03-03"), Assigned()},
                               Reminder("2025-03-17", pb::REMINDER_REASON_NOT_ANSWERED));
  CHECK_THAT(early.message(), Catch::Contains("no reminder is due on 2025-03-17: the answer is due 2025-03-17"));
  CHECK_THAT(Refused({Received(), Assigned(), Answered()}, Reminder("2025-12-01", pb::REMINDER_REASON_NOT_ANSWERED))
                 .message(),
             Catch::Contains("answered already"));
  const ComplaintState reminded =
      Run({Received("2025-03-03"), Assigned(), Reminder("2025-03-18", pb::REMINDER_REASON_NOT_ANSWERED),
           Answered("2025-03-19"), Reminder("2025-03-27", pb::REMINDER_REASON_ANSWERED_NOT_CLOSED)});
  CHECK(reminded.reminded_not_answered == CivilDate{2025, 3, 18});
  CHECK(reminded.reminded_not_closed == CivilDate{2025, 3, 27});
  // The same reason again only after remind_again_days (7).
  const std::vector<Payload> once = {Received("2025-03-03"), Assigned(),
                                     Reminder("2025-03-18", pb::REMINDER_REASON_NOT_ANSWERED)};
  CHECK_THAT(Refused(once, Reminder("2025-03-24", pb::REMINDER_REASON_NOT_ANSWERED)).message(),
             Catch::Contains("went out on 2025-03-18"));
  std::vector<Payload> twice = once;
  twice.push_back(Reminder("2025-03-25", pb::REMINDER_REASON_NOT_ANSWERED));
  CHECK(Run(twice).reminded_not_answered == CivilDate{2025, 3, 25});
}

TEST_CASE("complaint statistics: answer times at the deadlines' edges, answers after the period, other years",
          "[complaints]") {
  ComplaintsView view;
  view.position = 42;
  auto add = [&](const std::string& id, std::vector<Payload> steps) { view.cases["klagomal-" + id] = Run(steps, "2026-06-30"); };
  add("a", {Received("2025-03-03"), Assigned(), Answered("2025-03-17")});                     // 14 days
  add("b", {Received("2025-03-03"), Assigned(), Answered("2025-03-18")});                     // 15 days
  add("c", {Received("2025-03-03"), Assigned(), Extended(), Answered("2025-03-31")});         // 28, extended
  add("d", {Received("2025-03-03"), Assigned(), Answered("2025-04-01")});                     // 29 days
  add("e", {Received("2025-12-20", dpb::DOMAIN_HSL), Assigned("2025-12-21"), Answered("2026-01-10")});  // 21, HSL
  add("f", {Received("2025-06-01")});                                                         // not answered
  add("g", {Received("2024-06-01")});                                                         // another year
  const auto st = ComplaintsStatistics(view, Rules(), CivilDate{2025, 1, 1}, CivilDate{2025, 12, 31});
  CHECK(st.as_of_position() == 42);
  CHECK(st.cases() == 6);
  CHECK(st.answered_within_standard() == 1);
  CHECK(st.answered_within_extended() == 3);  // b, c, e
  CHECK(st.answered_within_extended_after_extension() == 1);
  CHECK(st.answered_later() == 1);
  CHECK(st.not_answered() == 1);
  CHECK(st.answered_on_time() == 3);  // a; c by its extended deadline; e by health care's four weeks
  CHECK(st.via_e_service() == 6);
  REQUIRE(st.by_year_size() == 2);
  CHECK(st.by_year(0).key() == "2024");
  CHECK(st.by_year(1).count() == 6);
  REQUIRE(st.by_area_size() == 2);
  CHECK(st.by_area(0).name() == "Bemötande/kompetens");
  CHECK(st.by_area(0).count() == 6);
  REQUIRE(st.by_domain_size() == 2);
  CHECK(st.by_domain(0).key() == "HSL");
  CHECK(st.by_domain(0).count() == 1);
}

TEST_CASE("complaint reminders list the overdue cases by due date, filtered by unit and officer", "[complaints]") {
  ComplaintsView view;
  view.cases["klagomal-late"] = Run({Received("2025-03-01"), Assigned()});
  view.cases["klagomal-answered"] =
      Run({Received("2025-02-01"), Assigned("2025-02-02"), Answered("2025-02-05"),
           Reminder("2025-02-20", pb::REMINDER_REASON_ANSWERED_NOT_CLOSED)});
  view.cases["klagomal-fresh"] = Run({Received("2025-03-25")});
  view.cases["klagomal-closed"] = Run({Received("2025-01-01"), Assigned("2025-01-02"), Answered("2025-01-03"),
                                       Closed("2025-01-04")});
  const auto r = BuildReminders(view, Rules(), CivilDate{2025, 3, 25}, "", "");
  const auto early = BuildReminders(view, Rules(), CivilDate{2025, 2, 22}, "", "");
  REQUIRE(early.reminders_size() == 1);
  CHECK_FALSE(early.reminders(0).remind_now());  // reminded two days before
  REQUIRE(r.reminders_size() == 2);
  CHECK(r.reminders(0).stream() == "klagomal-answered");
  CHECK(r.reminders(0).reason() == pb::REMINDER_REASON_ANSWERED_NOT_CLOSED);
  CHECK(r.reminders(0).due() == "2025-02-12");
  CHECK(r.reminders(0).last_reminded() == "2025-02-20");
  CHECK(r.reminders(0).remind_now());  // 33 days since, more than remind_again_days
  CHECK(r.reminders(1).stream() == "klagomal-late");
  CHECK(r.reminders(1).days_overdue() == 10);
  CHECK(BuildReminders(view, Rules(), CivilDate{2025, 3, 25}, "Annan enhet", "").reminders_size() == 0);
}

TEST_CASE("shares are printed in per cent with one decimal, rounded half up", "[complaints]") {
  CHECK(SharePercent(113, 168) == "67.3");
  CHECK(SharePercent(1, 168) == "0.6");
  CHECK(SharePercent(1, 8) == "12.5");
  CHECK(SharePercent(2, 3) == "66.7");
  CHECK(SharePercent(168, 168) == "100.0");
  CHECK(SharePercent(0, 0) == "0.0");
}

TEST_CASE("complaint rules name what is wrong in the file", "[complaints]") {
  auto error = [](const std::string& json) {
    auto r = ComplaintRules::FromJson(json);
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  };
  const std::string codes = R"("areas": [{"code": "a", "name": "A"}], "action_types": [{"code": "x", "name": "X"}])";
  CHECK(ComplaintRules::FromJson("{" + codes + "}").ok());
  CHECK_THAT(error("{"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error(R"({"answer_days": -1, )" + codes + "}"), Catch::Contains("\"answer_days\""));
  CHECK_THAT(error(R"({"remind_again_days": 0, )" + codes + "}"), Catch::Contains("from 1 to 3650"));
  CHECK_THAT(error(R"({"answer_days_by_domain": {"IVO": 3}, )" + codes + "}"), Catch::Contains("not HSL, SoL or LSS"));
  CHECK_THAT(error(R"({"areas": [{"code": "a", "name": "A"}, {"code": "a", "name": "B"}], "action_types": [{"code": "x", "name": "X"}]})"),
             Catch::Contains("code a appears twice"));
  CHECK_THAT(error(R"({"areas": []})"), Catch::Contains("\"areas\""));
  CHECK_THAT(error(R"({"answer_days": 28, )" + codes + "}"), Catch::Contains("must be more than \"answer_days\""));
  auto lss = ComplaintRules::FromJson(R"({"answer_days_by_domain": {"LSS": 21}, )" + codes + "}");
  REQUIRE(lss.ok());
  CHECK(lss->AnswerDays(dpb::DOMAIN_LSS, false) == 21);
  CHECK(lss->AnswerDays(dpb::DOMAIN_LSS, true) == 28);
  CHECK(lss->AnswerDays(dpb::DOMAIN_SOL, false) == 14);
}
