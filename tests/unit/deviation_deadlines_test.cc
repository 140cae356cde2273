// Deadlines as data (services/deviations/deadlines.h): the shipped rules
// load and cover every step; malformed rules are refused with the rule named;
// the step each open case awaits, its due date (per domain where a rule says
// so), and the overdue list per role and unit (report_build.h).

#include <catch2/catch.hpp>

#include "services/deviations/deadlines.h"
#include "services/deviations/report_build.h"

using namespace sparbar;
using namespace sparbar::deviations;

namespace {

const DeadlineRules& Shipped() {
  static const DeadlineRules r = DeadlineRules::LoadFile(SPARBAR_CONFIG_DIR "/frister.json").value();
  return r;
}

// Minimal rules: every step 10 days, role "r", with `extra` rules after.
std::string RulesJson(const std::string& extra = "", const std::string& skip = "") {
  std::string json = "{\"rules\": [";
  bool first = true;
  for (const DeadlineStep& s : kSteps) {
    if (std::string(s.workflow) + "/" + std::string(s.step) == skip) continue;
    json += (first ? "" : ",") + std::string("{\"workflow\":\"") + std::string(s.workflow) + "\",\"step\":\"" +
            std::string(s.step) + "\",\"days\":10,\"role\":\"r\"}";
    first = false;
  }
  return json + extra + "]}";
}

std::string Refusal(const std::string& json) {
  auto r = DeadlineRules::FromJson(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kInvalidArgument);
  return r.status().message();
}

pb::DeviationReported Report(pb::Domain domain, const std::string& unit, const std::string& date) {
  pb::DeviationReported m;
  m.set_domain(domain);
  m.set_unit(unit);
  m.set_reported_date(date);
  return m;
}

template <class State, class Evolve, class... Events>
State FoldEvents(Evolve evolve, const Events&... events) {
  State s;
  ((s = evolve(std::move(s), events)), ...);
  return s;
}

std::map<std::string, DueStep> ByKey(const std::vector<DueStep>& steps) {
  std::map<std::string, DueStep> out;
  for (const DueStep& s : steps) out.emplace(s.stream + "/" + s.step + (s.action_id.empty() ? "" : "/" + s.action_id), s);
  return out;
}

}  // namespace

TEST_CASE("the shipped deadline rules cover every step; social services answer in two weeks, health care in four",
          "[deviations][deadlines]") {
  const DeadlineRules& rules = Shipped();
  CHECK(rules.stale_plan_days() == 30);
  DeviationsView view;
  view.deviations["avvikelse-sol"] = Evolve({}, Report(pb::DOMAIN_SOL, "Midskogen", "2025-03-03"));
  view.deviations["avvikelse-hsl"] = Evolve({}, Report(pb::DOMAIN_HSL, "Hemsjukvården", "2025-03-03"));
  const auto steps = ByKey(rules.Awaited(view));
  CHECK(steps.at("avvikelse-sol/utredning").due == CivilDate{2025, 3, 17});
  CHECK(steps.at("avvikelse-hsl/utredning").due == CivilDate{2025, 3, 31});
  CHECK(steps.at("avvikelse-hsl/utredning").role == "enhetschef");
  CHECK(steps.at("avvikelse-hsl/utredning").unit == "Hemsjukvården");
  CHECK(steps.count("avvikelse-hsl/lex-maria-bedomning") == 0);  // allvarlighetsgrad unset: not offered
}

TEST_CASE("an HSL deviation of allvarlighetsgrad 3-4 awaits MAS/MAR until a lex Maria case takes it up or they "
          "decline",
          "[deviations][deadlines]") {
  const DeadlineRules& rules = Shipped();
  auto serious = Report(pb::DOMAIN_HSL, "Hemsjukvården", "2025-03-03");
  serious.set_severity(3);
  pb::LexMariaDeclined declined;
  declined.set_decided_date("2025-03-05");
  DeviationsView view;
  view.deviations["avvikelse-offered"] = Evolve({}, serious);
  view.deviations["avvikelse-declined"] = Evolve(Evolve({}, serious), declined);
  view.deviations["avvikelse-taken"] = Evolve({}, serious);
  pb::ClosedAsNotDeviation not_one;
  not_one.set_closed_date("2025-03-04");
  view.deviations["avvikelse-not-one"] = Evolve(Evolve({}, serious), not_one);
  lexmaria::pb::LexMariaOpened opened;
  opened.set_opened_date("2025-03-04");
  opened.set_from_deviation("avvikelse-taken");
  view.lex_maria["lexmaria-1"] = lexmaria::Evolve({}, opened);
  const auto steps = ByKey(rules.Awaited(view));
  CHECK(steps.at("avvikelse-offered/lex-maria-bedomning").due == CivilDate{2025, 3, 10});
  CHECK(steps.at("avvikelse-offered/lex-maria-bedomning").role == "mas");
  CHECK(steps.count("avvikelse-declined/lex-maria-bedomning") == 0);
  CHECK(steps.count("avvikelse-taken/lex-maria-bedomning") == 0);
  CHECK(steps.count("avvikelse-not-one/lex-maria-bedomning") == 0);  // closed as not a deviation
  CHECK(steps.count("avvikelse-declined/utredning") == 1);  // the deviation's own investigation still awaits
}

TEST_CASE("malformed deadline rules are refused, naming the rule", "[deviations][deadlines]") {
  CHECK(DeadlineRules::FromJson(RulesJson()).ok());
  CHECK(Refusal("not json").find("not valid JSON") != std::string::npos);
  CHECK(Refusal("{}").find("\"rules\" array") != std::string::npos);
  CHECK(Refusal(RulesJson("", "lex-sarah/anmalan-ivo")).find("lex-sarah/anmalan-ivo: has no rule") !=
        std::string::npos);
  CHECK(Refusal(RulesJson(",{\"workflow\":\"avvikelse\",\"step\":\"gissning\",\"days\":1,\"role\":\"r\"}"))
            .find("avvikelse/gissning: no such step") != std::string::npos);
  CHECK(Refusal(RulesJson(",{\"workflow\":\"avvikelse\",\"step\":\"atgard\",\"days\":1,\"role\":\"r\"}"))
            .find("appears twice") != std::string::npos);
  CHECK(Refusal(RulesJson(",{\"workflow\":\"lex-sarah\",\"step\":\"beslut\",\"domain\":\"HSL\",\"days\":1,"
                          "\"role\":\"r\"}"))
            .find("only deviation (avvikelse) steps take a domain") != std::string::npos);
  CHECK(Refusal(RulesJson(",{\"workflow\":\"avvikelse\",\"step\":\"atgard\",\"domain\":\"KL\",\"days\":1,"
                          "\"role\":\"r\"}"))
            .find("HSL, SoL or LSS") != std::string::npos);
  CHECK(Refusal(RulesJson(",{\"workflow\":\"avvikelse\",\"step\":\"atgard\",\"domain\":\"SoL\",\"days\":-1,"
                          "\"role\":\"r\"}"))
            .find("\"days\" must be") != std::string::npos);
  CHECK(Refusal(RulesJson(",{\"workflow\":\"avvikelse\",\"step\":\"atgard\",\"domain\":\"SoL\",\"days\":1}"))
            .find("needs the \"role\"") != std::string::npos);
  std::string stale = RulesJson();
  stale.insert(1, "\"stale_plan_days\": 0,");
  CHECK(Refusal(stale).find("stale_plan_days") != std::string::npos);
  CHECK(DeadlineRules::LoadFile("/nonexistent/frister.json").status().code() == Code::kNotFound);
}

TEST_CASE("each open case awaits the step its lifecycle is at, due the rule's days after the step before",
          "[deviations][deadlines]") {
  const DeadlineRules rules = DeadlineRules::FromJson(RulesJson()).value();
  DeviationsView view;
  pb::RootCausesDocumented causes;
  causes.set_documented_date("2025-04-01");
  pb::ActionTaken action;
  action.set_action_date("2025-04-05");
  pb::FollowedUp followed;
  followed.set_followed_up_date("2025-05-01");
  pb::DeviationClosed closed;
  closed.set_closed_date("2025-05-02");
  const auto report = Report(pb::DOMAIN_SOL, "U", "2025-03-01");
  view.deviations["avvikelse-a"] = FoldEvents<DeviationState>(&Evolve, report, causes);
  view.deviations["avvikelse-b"] = FoldEvents<DeviationState>(&Evolve, report, causes, action);
  view.deviations["avvikelse-c"] = FoldEvents<DeviationState>(&Evolve, report, causes, action, followed);
  view.deviations["avvikelse-d"] = FoldEvents<DeviationState>(&Evolve, report, causes, action, followed, closed);
  view.deviations["avvikelse-e"] = FoldEvents<DeviationState>(&Evolve, report, causes, action, followed, action);

  namespace ls = lexsarah;
  ls::pb::LexSarahReported sr;
  sr.set_reported_date("2025-03-01");
  sr.set_unit("G");
  ls::pb::SeverityDecided serious;
  serious.set_decided_date("2025-04-01");
  serious.set_level(ls::pb::LEVEL_ALLVARLIGT_MISSFORHALLANDE);
  ls::pb::SeverityDecided minor = serious;
  minor.set_level(ls::pb::LEVEL_MISSFORHALLANDE);
  ls::pb::FollowUpOpened fu;
  fu.set_opened_date("2025-04-03");
  fu.set_follow_up_stream("uppfoljning-s3");
  view.lex_sarah["lexsarah-s1"] = FoldEvents<ls::LexSarahState>(&ls::Evolve, sr);
  view.lex_sarah["lexsarah-s2"] = FoldEvents<ls::LexSarahState>(&ls::Evolve, sr, serious);
  view.lex_sarah["lexsarah-s3"] = FoldEvents<ls::LexSarahState>(&ls::Evolve, sr, minor, fu);

  namespace lm = lexmaria;
  lm::pb::LexMariaOpened mo;
  mo.set_opened_date("2025-03-01");
  mo.set_unit("H");
  lm::pb::NotReported nr;
  nr.set_decided_date("2025-06-01");
  view.lex_maria["lexmaria-m1"] = FoldEvents<lm::LexMariaState>(&lm::Evolve, mo);
  view.lex_maria["lexmaria-m2"] = FoldEvents<lm::LexMariaState>(&lm::Evolve, mo, nr);

  namespace fp = followup;
  fp::pb::FollowUpCaseOpened fo;
  fo.set_opened_date("2025-04-03");
  fo.set_origin_stream("lexsarah-s3");
  fp::pb::ActionPlanned a1;
  a1.set_action_id("a1");
  a1.set_due_date("2025-09-30");
  fp::pb::ActionPlanned a2 = a1;
  a2.set_action_id("a2");
  fp::pb::ActionCompleted done;
  done.set_action_id("a2");
  done.set_completed_date("2025-05-05");
  view.follow_ups["uppfoljning-s3"] = FoldEvents<fp::FollowUpState>(&fp::Evolve, fo, a1, a2, done);
  view.follow_ups["uppfoljning-empty"] = FoldEvents<fp::FollowUpState>(&fp::Evolve, fo);

  const auto steps = ByKey(rules.Awaited(view));
  CHECK(steps.at("avvikelse-a/atgard").due == CivilDate{2025, 4, 11});
  CHECK(steps.at("avvikelse-b/uppfoljning").due == CivilDate{2025, 4, 15});
  CHECK(steps.at("avvikelse-c/avslut").due == CivilDate{2025, 5, 11});
  CHECK(steps.count("avvikelse-d/avslut") == 0);
  CHECK(steps.at("avvikelse-e/uppfoljning").since == CivilDate{2025, 4, 5});  // an action after the follow-up
  CHECK(steps.at("lexsarah-s1/beslut").due == CivilDate{2025, 3, 11});
  CHECK(steps.at("lexsarah-s2/anmalan-ivo").due == CivilDate{2025, 4, 11});
  CHECK(steps.count("lexsarah-s2/uppfoljningsarende") == 1);
  CHECK(steps.count("lexsarah-s3/anmalan-ivo") == 0);  // not a serious level
  CHECK(steps.at("lexsarah-s3/avslut").since == CivilDate{2025, 4, 3});
  CHECK(steps.at("lexmaria-m1/utredning").unit == "H");
  CHECK(steps.at("lexmaria-m2/avslut").since == CivilDate{2025, 6, 1});
  CHECK(steps.at("uppfoljning-s3/atgard/a1").due == CivilDate{2025, 10, 10});  // its own due date + 10
  CHECK(steps.count("uppfoljning-s3/atgard/a2") == 0);
  CHECK(steps.at("uppfoljning-s3/atgard/a1").unit == "G");  // the unit of the case it follows up
  CHECK(steps.at("uppfoljning-empty/atgardsplan").due == CivilDate{2025, 4, 13});
  CHECK(steps.size() == 12);

  // The overdue on a day, per role and unit.
  const auto overdue = BuildOverdue(view, rules, CivilDate{2025, 4, 12}, "", "", false);
  int64_t listed = 0;
  for (const auto& s : overdue.steps()) {
    CHECK(s.days_overdue() > 0);
    ++listed;
  }
  // avvikelse-a (due 4-11), lexsarah-s1 (3-11), lexmaria-m1 (3-11), and
  // lexsarah-s2's IVO notification and follow-up case (both 4-11).
  CHECK(listed == 5);
  REQUIRE(overdue.overdue_by_unit_size() == 3);
  CHECK(overdue.overdue_by_unit(0).key() == "G");
  CHECK(overdue.overdue_by_unit(0).count() == 3);
  CHECK(BuildOverdue(view, rules, CivilDate{2025, 4, 12}, "H", "", false).steps_size() == 1);
  CHECK(BuildOverdue(view, rules, CivilDate{2025, 4, 12}, "", "nobody", false).steps_size() == 0);
  CHECK(BuildOverdue(view, rules, CivilDate{2025, 4, 12}, "", "", true).steps_size() == 12);
}
