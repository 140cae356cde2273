// The decisions case decider: every transition, every refusal, bad input,
// corrections, and the insats catalogue it checks against.

#include <catch2/catch.hpp>

#include "services/decisions/decider.h"

using namespace sparbar;
using namespace sparbar::decisions;

namespace {

const CivilDate kToday{2024, 4, 30};

const InsatsCatalogue& Catalogue() {
  static const InsatsCatalogue c = InsatsCatalogue::LoadFile(std::string(SPARBAR_CONFIG_DIR) + "/insatser.json").value();
  return c;
}

DecideContext Context() { return {kToday, &Catalogue()}; }

pb::ApplicationReceived Application(const std::string& pnr = "19121212-1212") {
  pb::ApplicationReceived m;
  m.mutable_subject()->set_personal_identity_number(pnr);
  m.mutable_subject()->set_sex(pb::SEX_KVINNA);
  m.set_received_date("2023-05-02");
  m.set_unit("SE2321000233-E000000000123");
  m.set_insats_applied("sarskilt_boende");
  return m;
}

pb::InvestigationOpened Investigation() {
  pb::InvestigationOpened m;
  m.set_opened_date("2023-05-03");
  m.set_case_officer("handlaggare.anna");
  return m;
}

pb::DecisionMade Decision(pb::Outcome outcome = pb::OUTCOME_BIFALL, const std::string& date = "2023-05-25") {
  pb::DecisionMade m;
  m.set_outcome(outcome);
  m.set_insats("sarskilt_boende");
  m.set_lagrum("4 kap. 1 § SoL");
  m.set_reasons("Behovet kan inte tillgodoses på annat sätt.");
  m.set_appeal_information_given(outcome == pb::OUTCOME_AVSLAG);
  m.set_decision_maker("handlaggare.anna");
  m.set_delegation_point("3.1.2");
  m.set_decision_date(date);
  return m;
}

template <typename M, typename F>
M With(M m, F&& f) {
  f(m);
  return m;
}

pb::Executed Execution(const std::string& date = "2024-03-04") {
  pb::Executed m;
  m.set_start_date(date);
  return m;
}

// Decides and evolves each step, failing the test on the first refusal.
CaseState Run(const std::vector<Payload>& steps) {
  CaseState s;
  for (const auto& p : steps) {
    auto e = Decide(s, p, Context());
    INFO(TypeOf(p) << ": " << e.status().ToString());
    REQUIRE(e.ok());
    s = Evolve(std::move(s), *e);
  }
  return s;
}

CaseState Decided(pb::Outcome outcome = pb::OUTCOME_BIFALL) {
  return Run({Application(), Investigation(), Decision(outcome)});
}

// The step is refused with `code` and a message containing `text`.
void Refused(const CaseState& s, const Payload& step, Code code, const std::string& text) {
  auto r = Decide(s, step, Context());
  INFO(TypeOf(step) << " → " << (r.ok() ? std::string("accepted") : r.status().ToString()));
  REQUIRE(!r.ok());
  CHECK(r.status().code() == code);
  CHECK(r.status().message().find(text) != std::string::npos);
}

}  // namespace

TEST_CASE("the insats catalogue loads from configuration and is versioned by date") {
  CHECK(Catalogue().Find("daglig_verksamhet", kToday, "insats").value()->lagrum.at(0) == "9 § 10 LSS");
  auto unknown = Catalogue().Find("teleportering", kToday, "insats");
  CHECK(unknown.status().code() == Code::kInvalidArgument);
  CHECK(unknown.status().message().find("insats: unknown insats \"teleportering\"") == 0);

  auto two = InsatsCatalogue::FromJson(R"({"versions": [
    {"version": "new", "valid_from": "2025-07-01", "insatser": [{"code": "a", "name": "A", "law": "SoL", "lagrum": ["ny"]}]},
    {"version": "old", "valid_from": "2020-01-01", "insatser": [{"code": "a", "name": "A", "law": "SoL", "lagrum": ["gammal"]}]}]})");
  REQUIRE(two.ok());
  CHECK(two->VersionOn(CivilDate{2025, 6, 30}).value()->version == "old");
  CHECK(two->VersionOn(CivilDate{2025, 7, 1}).value()->version == "new");
  CHECK(two->VersionOn(CivilDate{2019, 12, 31}).status().code() == Code::kNotFound);

  CHECK(InsatsCatalogue::FromJson("{").status().message().find("not valid JSON") != std::string::npos);
  CHECK(InsatsCatalogue::FromJson(R"({"versions": [{"version": "x", "valid_from": "2020-01-01",
    "insatser": [{"code": "a", "name": "A", "law": "HSL", "lagrum": ["l"]}]}]})").status().message().find(
      "law must be") != std::string::npos);
  CHECK(InsatsCatalogue::FromJson(R"({"versions": [{"version": "x", "valid_from": "2020-01-01",
    "insatser": [{"code": "a", "name": "A", "law": "SoL", "lagrum": ["l"]},
                 {"code": "a", "name": "B", "law": "SoL", "lagrum": ["l"]}]}]})").status().message().find(
      "unique") != std::string::npos);
  CHECK(InsatsCatalogue::LoadFile("/nonexistent/insatser.json").status().code() == Code::kNotFound);
}

TEST_CASE("a case goes from application to decision, execution, interruption, resumption and end") {
  CaseState s = Run({Application(), Investigation()});
  CHECK(s.phase == Phase::kInvestigating);
  CHECK(s.application->subject().personal_identity_number() == "191212121212");  // normalized
  CHECK(!s.application->subject().child());

  s = Run({Application(), Investigation(), Decision()});
  CHECK(s.phase == Phase::kDecided);
  CHECK(s.decision->catalogue_version() == "sol-2001-453");  // set by Decide
  CHECK(s.Favourable());

  pb::OfferMade offer;
  offer.set_offered_date("2023-09-01");
  pb::OfferDeclined declined;
  declined.set_declined_date("2023-09-05");
  declined.set_reason("Vill vänta på boende nära dottern.");
  pb::DelayReasonNoted delay;
  delay.set_noted_date("2023-09-05");
  delay.set_reason_code("tackat_nej");
  pb::Interrupted interrupted;
  interrupted.set_interrupted_date("2024-03-20");
  interrupted.set_reason("Sjukhusvistelse");
  pb::Resumed resumed;
  resumed.set_resumed_date("2024-04-02");
  pb::Ended ended;
  ended.set_ended_date("2024-04-29");
  ended.set_reason(pb::END_REASON_DEATH);
  pb::Annotated note;
  note.set_annotated_date("2024-04-10");
  note.set_text("Jag vill att det antecknas att jag tackade nej av hälsoskäl.");

  s = Run({Application(), Investigation(), Decision(), offer, declined, delay, Execution(), interrupted, note,
           resumed, ended});
  CHECK(s.phase == Phase::kEnded);
  CHECK(s.history.size() == 11);
  CHECK(*s.executed_from == CivilDate{2024, 3, 4});
  CHECK(*s.ended_on == CivilDate{2024, 4, 29});
}

TEST_CASE("a favourable decision never executed is closed, not ended") {
  pb::ClosedUnexecuted closed;
  closed.set_closed_date("2024-04-22");
  closed.set_reason(pb::END_REASON_OWN_REQUEST);
  closed.set_note("Tackat nej. Beslutet har avslutats.");
  CaseState s = Run({Application(), Investigation(), Decision(), closed});
  CHECK(s.phase == Phase::kClosedUnexecuted);

  pb::Ended ended;
  ended.set_ended_date("2024-04-22");
  ended.set_reason(pb::END_REASON_OWN_REQUEST);
  Refused(Decided(), ended, Code::kFailedPrecondition, "a decision cannot end before execution");
  Refused(Decided(), With(closed, [](auto& m) { m.set_reason(pb::END_REASON_GOALS_MET); }),
          Code::kInvalidArgument, "reason must be own request, moved or death");
  Refused(s, Execution(), Code::kFailedPrecondition, "a decision is executed once");
  Refused(Run({Application(), Investigation(), Decision(), Execution()}), closed, Code::kFailedPrecondition,
          "only a decision that was never executed");
}

TEST_CASE("steps out of order are refused with the rule") {
  const CaseState empty;
  const CaseState applied = Run({Application()});
  const CaseState refused = Decided(pb::OUTCOME_AVSLAG);
  const CaseState executing = Run({Application(), Investigation(), Decision(), Execution()});

  Refused(applied, Application(), Code::kFailedPrecondition, "a case has one application");
  Refused(empty, Investigation(), Code::kFailedPrecondition, "after the application");
  Refused(Run({Application(), Investigation()}), Investigation(), Code::kFailedPrecondition,
          "an investigation is opened once");
  Refused(applied, Decision(), Code::kFailedPrecondition, "a decision follows an opened investigation");
  Refused(Decided(), Decision(), Code::kFailedPrecondition,
          "a case has one decision: to change it, correct the decision event");
  Refused(refused, Execution(), Code::kFailedPrecondition, "a refused decision (avslag) cannot be executed");
  Refused(Run({Application(), Investigation()}), Execution(), Code::kFailedPrecondition,
          "execution needs a decision first");
  Refused(executing, Execution(), Code::kFailedPrecondition, "a decision is executed once");

  pb::Interrupted interrupted;
  interrupted.set_interrupted_date("2024-03-20");
  interrupted.set_reason("x");
  Refused(Decided(), interrupted, Code::kFailedPrecondition, "only a running execution can be interrupted");
  const CaseState paused = Run({Application(), Investigation(), Decision(), Execution(), interrupted});
  Refused(paused, Execution(), Code::kFailedPrecondition, "resumed, not executed again");
  pb::Resumed resumed;
  resumed.set_resumed_date("2024-04-01");
  Refused(executing, resumed, Code::kFailedPrecondition, "only an interrupted execution can be resumed");

  pb::OfferMade offer;
  offer.set_offered_date("2023-09-01");
  Refused(refused, offer, Code::kFailedPrecondition, "only to a favourable decision");
  Refused(executing, offer, Code::kFailedPrecondition, "before execution, or during an interruption");
  pb::OfferDeclined declined;
  declined.set_declined_date("2023-09-05");
  declined.set_reason("x");
  Refused(Decided(), declined, Code::kFailedPrecondition, "only an outstanding offer can be declined");
  pb::DelayReasonNoted delay;
  delay.set_noted_date("2024-03-05");
  delay.set_reason_code("saknar_plats");
  Refused(executing, delay, Code::kFailedPrecondition, "only while not executed");

  pb::Ended ended;
  ended.set_ended_date("2024-04-29");
  ended.set_reason(pb::END_REASON_GOALS_MET);
  const CaseState done = Run({Application(), Investigation(), Decision(), Execution(), ended});
  Refused(done, ended, Code::kFailedPrecondition, "only an executed decision can end");
  Refused(done, offer, Code::kFailedPrecondition, "not possible once the decision is closed");

  pb::Annotated note;
  note.set_annotated_date("2024-04-10");
  note.set_text("x");
  Refused(empty, note, Code::kFailedPrecondition, "an annotation needs a case");
}

TEST_CASE("bad input is refused naming the field") {
  const CaseState investigating = Run({Application(), Investigation()});
  Refused(CaseState{}, Application("19121212-1213"), Code::kInvalidArgument,
          "subject.personal_identity_number is not a valid personnummer");
  Refused(CaseState{}, With(Application(), [](auto& m) { m.mutable_subject()->set_sex(pb::SEX_UNSPECIFIED); }),
          Code::kInvalidArgument, "subject.sex");
  Refused(CaseState{}, With(Application(), [](auto& m) { m.set_insats_applied("okand"); }),
          Code::kInvalidArgument, "insats_applied: unknown insats");
  Refused(CaseState{}, With(Application(), [](auto& m) { m.set_received_date("2023-02-30"); }),
          Code::kInvalidArgument, "received_date must be a date");
  Refused(investigating, With(Decision(), [](auto& m) { m.set_insats("okand"); }), Code::kInvalidArgument,
          "insats: unknown insats \"okand\"");
  Refused(investigating, With(Decision(), [](auto& m) { m.set_lagrum("9 § 10 LSS"); }), Code::kInvalidArgument,
          "lagrum \"9 § 10 LSS\" is not a legal basis for insats sarskilt_boende");
  Refused(investigating, Decision(pb::OUTCOME_BIFALL, "2024-05-01"), Code::kInvalidArgument,
          "decision_date 2024-05-01 is in the future");
  const CaseState old_case = Run({With(Application(), [](auto& m) { m.set_received_date("2019-06-01"); m.clear_insats_applied(); }),
                                  With(Investigation(), [](auto& m) { m.set_opened_date("2019-06-02"); })});
  Refused(old_case, Decision(pb::OUTCOME_BIFALL, "2019-06-10"), Code::kInvalidArgument,
          "insats: no insats catalogue version is in force on 2019-06-10");
  Refused(investigating, Decision(pb::OUTCOME_BIFALL, "2023-05-01"), Code::kInvalidArgument,
          "decision_date 2023-05-01 is before the application received 2023-05-02");
  Refused(investigating, With(Decision(pb::OUTCOME_AVSLAG), [](auto& m) { m.set_appeal_information_given(false); }),
          Code::kInvalidArgument, "appeal_information_given must be true for a refusal");
  Refused(investigating, With(Decision(), [](auto& m) { m.set_outcome(pb::OUTCOME_UNSPECIFIED); }),
          Code::kInvalidArgument, "outcome must be");
  Refused(investigating, With(Decision(), [](auto& m) { m.set_delegation_point(""); }), Code::kInvalidArgument,
          "delegation_point is required");
  Refused(Decided(), Execution("2023-05-24"), Code::kInvalidArgument,
          "start_date 2023-05-24 is before the decision 2023-05-25");
}

TEST_CASE("a child is recognized from the birth date on the application date") {
  CaseState s = Run({Application("121212-1212")});  // born 2012
  CHECK(s.application->subject().child());
  CHECK(s.application->subject().personal_identity_number() == "201212121212");
}

TEST_CASE("a correction replaces an earlier event's content, and must leave a valid history") {
  CaseState s = Run({Application(), Investigation(), Decision(), Execution()});
  pb::Corrected fix;
  fix.set_target_revision(2);
  fix.set_reason("Fel beslutsdatum angavs.");
  fix.set_replacement_payload(Decision(pb::OUTCOME_BIFALL, "2023-06-01").SerializeAsString());
  auto e = Decide(s, fix, Context());
  REQUIRE(e.ok());
  s = Evolve(std::move(s), *e);
  CHECK(*s.decided == CivilDate{2023, 6, 1});
  CHECK(s.decision->catalogue_version() == "sol-2001-453");  // the replacement was normalized
  CHECK(s.phase == Phase::kExecuting);
  CHECK(s.history.size() == 5);  // revisions line up with the stream

  // Folding the stream as stored (the original events, then the correction) gives the same state.
  std::vector<Payload> stored;
  CaseState replay;
  for (const Payload& step : std::vector<Payload>{Application(), Investigation(), Decision(), Execution()}) {
    stored.push_back(Decide(replay, step, Context()).value());
    replay = Evolve(std::move(replay), stored.back());
  }
  stored.push_back(*e);
  const CaseState folded = Fold(stored);
  CHECK(*folded.decided == CivilDate{2023, 6, 1});
  CHECK(folded.phase == s.phase);
  CHECK(folded.history.size() == s.history.size());

  auto to_refusal = fix;
  to_refusal.set_replacement_payload(Decision(pb::OUTCOME_AVSLAG).SerializeAsString());
  Refused(s, to_refusal, Code::kFailedPrecondition,
          "the correction would make revision 3 invalid: a refused decision (avslag) cannot be executed");

  auto wrong_type = fix;
  wrong_type.set_replacement_payload("\xff\xff");
  Refused(s, wrong_type, Code::kInvalidArgument, "not a valid sparbar.v1.decisions.DecisionMade");
  auto out_of_range = fix;
  out_of_range.set_target_revision(9);
  Refused(s, out_of_range, Code::kInvalidArgument, "target_revision 9 is not an event of this case");
  auto at_correction = fix;
  at_correction.set_target_revision(4);
  Refused(s, at_correction, Code::kInvalidArgument, "points at a correction");
  auto no_reason = fix;
  no_reason.set_reason("");
  Refused(s, no_reason, Code::kInvalidArgument, "reason is required");
}

TEST_CASE("decisions payloads round-trip through their event type") {
  Payload p = Decision();
  auto back = Parse(TypeOf(p), Serialize(p));
  REQUIRE(back.ok());
  CHECK(TypeOf(*back) == "sparbar.v1.decisions.DecisionMade");
  CHECK(std::get<pb::DecisionMade>(*back).decision_date() == "2023-05-25");
  CHECK(Parse("sparbar.v1.decisions.Nothing", "").status().code() == Code::kInvalidArgument);
  CHECK(IsDecisionsType("sparbar.v1.decisions.Executed"));
  CHECK(!IsDecisionsType("test.event"));
}

TEST_CASE("dates may not come before the step they follow: offer, latest resumption, interruption, application") {
  pb::OfferMade offer;
  offer.set_offered_date("2023-09-01");
  pb::OfferDeclined declined;
  declined.set_declined_date("2023-08-30");  // after the decision, before the offer
  declined.set_reason("x");
  Refused(Run({Application(), Investigation(), Decision(), offer}), declined, Code::kInvalidArgument,
          "declined_date 2023-08-30 is before the offer 2023-09-01");

  pb::Interrupted interrupted;
  interrupted.set_interrupted_date("2024-03-20");
  interrupted.set_reason("x");
  pb::Resumed resumed;
  resumed.set_resumed_date("2024-04-01");
  const CaseState resumed_case = Run({Application(), Investigation(), Decision(), Execution(), interrupted, resumed});
  pb::Interrupted again = interrupted;
  again.set_interrupted_date("2024-03-25");  // after the execution, before the resumption
  Refused(resumed_case, again, Code::kInvalidArgument, "interrupted_date 2024-03-25 is before the latest resumption");
  pb::Ended ended;
  ended.set_reason(pb::END_REASON_GOALS_MET);
  ended.set_ended_date("2024-03-25");
  Refused(resumed_case, ended, Code::kInvalidArgument, "ended_date 2024-03-25 is before the latest resumption");

  const CaseState paused = Run({Application(), Investigation(), Decision(), Execution(), interrupted});
  ended.set_ended_date("2024-03-10");  // after the execution, before the interruption
  Refused(paused, ended, Code::kInvalidArgument, "ended_date 2024-03-10 is before the interruption 2024-03-20");

  // During an interruption, an offer or a delay reason is not dated before it.
  pb::OfferMade early_offer;
  early_offer.set_offered_date("2024-03-15");
  Refused(paused, early_offer, Code::kInvalidArgument, "offered_date 2024-03-15 is before the interruption 2024-03-20");
  pb::DelayReasonNoted early_reason;
  early_reason.set_noted_date("2024-03-15");
  early_reason.set_reason_code("saknar_plats");
  Refused(paused, early_reason, Code::kInvalidArgument, "noted_date 2024-03-15 is before the interruption 2024-03-20");

  // An offer made during an interruption is no longer open once the decision has ended.
  pb::OfferMade during;
  during.set_offered_date("2024-03-22");
  ended.set_ended_date("2024-03-28");
  const CaseState closed = Run({Application(), Investigation(), Decision(), Execution(), interrupted, during, ended});
  declined.set_declined_date("2024-03-29");
  Refused(closed, declined, Code::kFailedPrecondition, "only an outstanding offer can be declined");

  pb::Annotated note;
  note.set_annotated_date("2023-05-01");  // the day before the application
  note.set_text("x");
  Refused(Run({Application()}), note, Code::kInvalidArgument, "annotated_date 2023-05-01 is before the application");
}
