// The deviation (avvikelse) decider: its lifecycle, every refused step, bad
// input naming the field, and the versioned taxonomy it checks codes against.

#include <catch2/catch.hpp>

#include "services/deviations/decider.h"
#include "services/deviations/report_build.h"
#include "services/deviations/statistics.h"
#include "unit/decider_steps.h"

using namespace sparbar;
using namespace sparbar::deviations;

namespace {

// Two versions: "vald_i_nara_relationer" is a SoL/LSS area only from 2025.
const char* kTaxonomy = R"({"versions": [
  {"version": "2024-03", "valid_from": "2024-03-01",
   "hsl_areas": [{"code": "fall", "name": "Fall"}, {"code": "lakemedel", "name": "Läkemedel"}],
   "social_areas": [{"code": "hot_och_vald", "name": "Hot och våld"}, {"code": "bemotande", "name": "Bemötande"}],
   "action_types": [{"code": "gruppsamtal", "name": "Gruppsamtal"}, {"code": "ny_rutin", "name": "Upprättat en ny rutin"}]},
  {"version": "2025-01", "valid_from": "2025-01-01",
   "hsl_areas": [{"code": "fall", "name": "Fall"}, {"code": "lakemedel", "name": "Läkemedel"}],
   "social_areas": [{"code": "hot_och_vald", "name": "Hot och våld"}, {"code": "bemotande", "name": "Bemötande"},
                    {"code": "vald_i_nara_relationer", "name": "Våld i nära relationer"}],
   "action_types": [{"code": "gruppsamtal", "name": "Gruppsamtal"}, {"code": "ny_rutin", "name": "Upprättat en ny rutin"}]}]})";

const DeviationTaxonomy& Taxonomy() {
  static const DeviationTaxonomy t = DeviationTaxonomy::FromJson(kTaxonomy).value();
  return t;
}

DecideContext Today() { return DecideContext{CivilDate{2025, 6, 30}, &Taxonomy()}; }

pb::DeviationReported Hsl(uint32_t severity = 2) {
  pb::DeviationReported m;
  m.set_domain(pb::DOMAIN_HSL);
  m.set_unit("Hemsjukvården Öst");
  m.set_occurred_date("2025-03-02");
  m.set_reported_date("2025-03-03");
  m.set_hsl_area("lakemedel");
  m.set_severity(severity);
  m.set_direction(pb::DIRECTION_INTERNAL);
  m.set_description("Utebliven dos kvällstid");
  return m;
}

pb::DeviationReported Social(std::vector<std::string> areas = {"hot_och_vald"}) {
  pb::DeviationReported m;
  m.set_domain(pb::DOMAIN_SOL);
  m.set_unit("Särskilt boende Midskogen");
  m.set_occurred_date("2025-04-10");
  m.set_reported_date("2025-04-11");
  for (auto& a : areas) m.add_areas(a);
  m.set_sex(::sparbar::v1::decisions::SEX_KVINNA);
  m.set_direction(pb::DIRECTION_INTERNAL);
  m.set_description("Brukare slog personal");
  return m;
}

pb::RootCausesDocumented Causes(const std::string& date = "2025-04-20") {
  pb::RootCausesDocumented m;
  m.set_documented_date(date);
  m.add_root_causes("Rutinen för överlämning följdes inte");
  return m;
}

pb::ActionTaken Action(const std::string& date = "2025-04-25", const std::string& type = "gruppsamtal") {
  pb::ActionTaken m;
  m.set_action_date(date);
  m.set_action_type(type);
  m.set_content("Genomgång av överlämningsrutinen med arbetsgruppen");
  return m;
}

pb::FollowedUp FollowUp(const std::string& date = "2025-05-20") {
  pb::FollowedUp m;
  m.set_followed_up_date(date);
  m.set_effect("Inga nya händelser sedan genomgången");
  return m;
}

pb::DeviationClosed Close(const std::string& date = "2025-05-21") {
  pb::DeviationClosed m;
  m.set_closed_date(date);
  return m;
}

pb::ClosedAsNotDeviation NotDeviation() {
  pb::ClosedAsNotDeviation m;
  m.set_closed_date("2025-04-12");
  m.set_reason("Ska registreras som tillbud och inte som en avvikelse");
  return m;
}

pb::LinkedToCase Link(pb::LinkKind kind, const std::string& stream) {
  pb::LinkedToCase m;
  m.set_kind(kind);
  m.set_case_stream(stream);
  m.set_linked_date("2025-04-15");
  return m;
}

const testing::DeciderFns<DeviationState, Payload, DecideContext> kFns{&Decide, &Evolve, &TypeOf};

DeviationState Run(const std::vector<Payload>& steps) { return testing::DecideEach(steps, Today(), kFns); }

Status Refused(const std::vector<Payload>& before, const Payload& step) {
  return testing::DecideRefused(before, step, Today(), kFns);
}

void CheckRule(const std::vector<Payload>& before, const Payload& step, const std::string& rule) {
  testing::CheckStatus(Refused(before, step), Code::kFailedPrecondition, rule);
}

void CheckField(const Payload& report, const std::string& field) {
  testing::CheckStatus(Refused({}, report), Code::kInvalidArgument, field);
}

}  // namespace

TEST_CASE("a deviation goes from report through investigation, action and follow-up to closed") {
  const DeviationState s = Run({Social(), Causes(), Action(), FollowUp(), Close()});
  CHECK(s.phase == Phase::kClosed);
  CHECK(s.actions == 1);
  CHECK(s.closed_on == CivilDate{2025, 5, 21});
  // Decide records the taxonomy version in force.
  auto reported = Decide(DeviationState{}, Social(), Today());
  REQUIRE(reported.ok());
  CHECK(std::get<pb::DeviationReported>(*reported).taxonomy_version() == "2025-01");
}

TEST_CASE("a deviation closed as not a deviation needs a reason, and nothing follows it") {
  const DeviationState s = Run({Social(), NotDeviation()});
  CHECK(s.phase == Phase::kClosedNotDeviation);
  pb::ClosedAsNotDeviation no_reason = NotDeviation();
  no_reason.clear_reason();
  const Status s2 = Refused({Social()}, no_reason);
  CHECK(s2.code() == Code::kInvalidArgument);
  CHECK_THAT(s2.message(), Catch::Contains("reason"));
  CheckRule({Social(), NotDeviation()}, Causes(), "open deviation");
  CheckRule({Social(), NotDeviation()}, Close(), "only an open deviation");
}

TEST_CASE("every step out of order is refused with the rule it breaks") {
  CheckRule({Social()}, Social(), "reported once");
  CheckRule({}, NotDeviation(), "only after it is reported");
  CheckRule({Social(), Causes()}, NotDeviation(), "before it is investigated");
  CheckRule({}, Causes(), "open deviation");
  CheckRule({Social()}, Action(), "document the root causes first");
  CheckRule({Social(), Causes()}, FollowUp(), "take an action first");
  CheckRule({Social(), Causes(), Action(), FollowUp()}, FollowUp("2025-05-21"), "take an action first");
  CheckRule({Social()}, Close(), "closing requires a documented root cause and a follow-up");
  CheckRule({Social(), Causes(), Action()}, Close(), "closing requires a documented root cause and a follow-up");
  // An action after the follow-up needs a follow-up of its own.
  CheckRule({Social(), Causes(), Action(), FollowUp(), Action("2025-05-20", "ny_rutin")}, Close(),
            "closing requires");
  CheckRule({Social(), Causes(), Action(), FollowUp(), Close()}, Close(), "only an open deviation");
  CheckRule({Social(), Causes(), Action(), FollowUp(), Close()}, Action("2025-05-22"), "root causes first");
  CheckRule({}, Link(pb::LINK_KIND_LEX_SARAH, "lexsarah-2025-1"), "needs a reported deviation");
}

TEST_CASE("links go to lex Maria for HSL deviations of severity 3-4 and to lex Sarah for SoL/LSS, once") {
  const DeviationState maria = Run({Hsl(3), Link(pb::LINK_KIND_LEX_MARIA, "lexmaria-2025-7")});
  CHECK(maria.linked_cases == std::vector<std::string>{"lexmaria-2025-7"});
  CheckRule({Hsl(2)}, Link(pb::LINK_KIND_LEX_MARIA, "lexmaria-2025-7"), "allvarlighetsgrad 3 or 4");
  CheckRule({Social()}, Link(pb::LINK_KIND_LEX_MARIA, "lexmaria-2025-7"), "allvarlighetsgrad 3 or 4");
  CheckRule({Hsl(4)}, Link(pb::LINK_KIND_LEX_SARAH, "lexsarah-2025-1"), "goes to lex Maria");
  CheckRule({Social(), Link(pb::LINK_KIND_LEX_SARAH, "lexsarah-2025-1")}, Link(pb::LINK_KIND_LEX_SARAH, "lexsarah-2025-1"),
            "linked to lexsarah-2025-1 already");
  // A closed deviation can still be taken up.
  Run({Social(), NotDeviation(), Link(pb::LINK_KIND_LEX_SARAH, "lexsarah-2025-2")});
  const Status prefix = Refused({Social()}, Link(pb::LINK_KIND_LEX_SARAH, "avvikelse-1"));
  CHECK(prefix.code() == Code::kInvalidArgument);
  CHECK_THAT(prefix.message(), Catch::Contains("lexsarah-"));
  const Status pnr = Refused({Social()}, Link(pb::LINK_KIND_LEX_SARAH, "lexsarah-19121212-1212"));
  CHECK_THAT(pnr.message(), Catch::Contains("case_stream holds a personnummer"));
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
}

TEST_CASE("bad input on a report names the field and is refused") {
  auto with = [](pb::DeviationReported m, auto change) {
    change(m);
    return m;
  };
  CheckField(with(Hsl(), [](auto& m) { m.set_severity(0); }), "severity");
  CheckField(with(Hsl(), [](auto& m) { m.set_severity(5); }), "severity");
  CheckField(with(Hsl(), [](auto& m) { m.set_hsl_area("trycksar"); }), "hsl_area: unknown HSL area \"trycksar\"");
  CheckField(with(Hsl(), [](auto& m) { m.add_areas("fall"); }), "areas are for SoL/LSS");
  CheckField(Social({}), "areas needs at least one area");
  CheckField(Social({"hot_och_vald", "hot_och_vald"}), "twice");
  CheckField(with(Social(), [](auto& m) { m.set_severity(2); }), "severity");
  CheckField(with(Social(), [](auto& m) { m.set_domain(pb::DOMAIN_UNSPECIFIED); }), "domain");
  CheckField(with(Social(), [](auto& m) { m.set_direction(pb::DIRECTION_UNSPECIFIED); }), "direction");
  CheckField(with(Social(), [](auto& m) { m.set_direction(pb::DIRECTION_SENT); }), "counterparty is required");
  CheckField(with(Social(), [](auto& m) { m.set_counterparty("Region Norrbotten"); }), "counterparty is for external");
  CheckField(with(Social(), [](auto& m) { m.set_reported_date("2025-07-01"); }), "in the future");
  CheckField(with(Social(), [](auto& m) { m.set_occurred_date("2025-04-12"); }), "before occurred_date");
  CheckField(with(Social(), [](auto& m) { m.set_reported_date("2025-02-30"); }), "reported_date");
  CheckField(with(Social(), [](auto& m) { m.clear_unit(); }), "unit is required");
  CheckField(with(Social(), [](auto& m) { m.clear_description(); }), "description is required");
  CheckField(with(Social(), [](auto& m) { m.set_sex(static_cast<::sparbar::v1::decisions::Sex>(9)); }), "sex");
  // External, with its counterparty: accepted.
  Run({with(Social(), [](auto& m) {
    m.set_direction(pb::DIRECTION_SENT);
    m.set_counterparty("Region Norrbotten");
  })});

  const Status s = Refused({Social(), Causes()}, Action("2025-04-25", "enskilt_samtal"));
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("action_type: unknown action type"));
  pb::ActionTaken empty = Action();
  empty.clear_content();
  CHECK_THAT(Refused({Social(), Causes()}, empty).message(), Catch::Contains("content is required"));
  CHECK_THAT(Refused({Social(), Causes()}, Action("2025-04-19")).message(), Catch::Contains("before the root causes"));
  // Dates do not go back: an action not before the last follow-up, a
  // follow-up not before the latest action (whatever order they came in).
  CHECK_THAT(Refused({Social(), Causes(), Action(), FollowUp()}, Action("2025-05-19")).message(),
             Catch::Contains("before the last follow-up"));
  CHECK_THAT(Refused({Social(), Causes(), Action("2025-05-25"), Action("2025-04-25")}, FollowUp("2025-05-20")).message(),
             Catch::Contains("before the latest action 2025-05-25"));
  pb::RootCausesDocumented none = Causes();
  none.clear_root_causes();
  CHECK_THAT(Refused({Social()}, none).message(), Catch::Contains("root_causes needs at least one"));
}

TEST_CASE("an area is checked against the taxonomy version in force on the report date") {
  pb::DeviationReported late = Social({"vald_i_nara_relationer"});
  Run({late});  // 2025: the area exists
  late.set_occurred_date("2024-11-01");
  late.set_reported_date("2024-11-02");
  const Status s = Refused({}, late);
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK_THAT(s.message(), Catch::Contains("unknown SoL/LSS area \"vald_i_nara_relationer\" in taxonomy version 2024-03"));
  late.set_reported_date("2024-01-15");
  late.set_occurred_date("2024-01-15");
  CHECK_THAT(Refused({}, late).message(), Catch::Contains("no deviation taxonomy version is in force on 2024-01-15"));
}

TEST_CASE("a taxonomy that cannot be used is refused with what is wrong") {
  CHECK_THAT(DeviationTaxonomy::FromJson("{").status().message(), Catch::Contains("not valid JSON"));
  CHECK_THAT(DeviationTaxonomy::FromJson(R"({"versions": []})").status().message(),
             Catch::Contains("non-empty \"versions\""));
  CHECK_THAT(DeviationTaxonomy::FromJson(
                 R"({"versions": [{"version": "a", "valid_from": "2024-01-01", "hsl_areas": [{"code": "f", "name": "F"}],
                     "social_areas": [{"code": "s", "name": "S"}]}]})")
                 .status()
                 .message(),
             Catch::Contains("\"action_types\""));
  CHECK_THAT(DeviationTaxonomy::FromJson(
                 R"({"versions": [{"version": "a", "valid_from": "2024-01-01", "hsl_areas": [{"code": "f", "name": "F"},
                     {"code": "f", "name": "G"}], "social_areas": [{"code": "s", "name": "S"}],
                     "action_types": [{"code": "t", "name": "T"}]}]})")
                 .status()
                 .message(),
             Catch::Contains("unique (\"f\")"));
  const std::string v = R"({"hsl_areas": [{"code": "f", "name": "F"}], "social_areas": [{"code": "s", "name": "S"}],
                           "action_types": [{"code": "t", "name": "T"}], "valid_from": "2024-01-01", "version": )";
  CHECK_THAT(DeviationTaxonomy::FromJson(R"({"versions": [)" + v + R"("a"}, )" + v + R"("b"}]})").status().message(),
             Catch::Contains("take effect on the same date"));
  CHECK(DeviationTaxonomy::LoadFile(SPARBAR_CONFIG_DIR "/avvikelse-taxonomi.json").ok());
}

TEST_CASE("statistics count a deviation as not a deviation, or as closed, only by the period's end") {
  std::vector<DeviationState> all{Run({Social(), NotDeviation()}), Run({Social()}),
                                  Run({Social(), Causes(), Action(), FollowUp(), Close()})};
  // Through April: the first was closed as not a deviation on 12 April; the
  // third closes in May.
  const auto april = ComputeStatistics(all, CivilDate{2025, 4, 1}, CivilDate{2025, 4, 30});
  CHECK(april.deviations == 3);
  CHECK(april.not_deviation == 1);
  CHECK(april.open_at_end == 2);
  CHECK(april.social_areas.at("hot_och_vald") == AreaCount{3, 1});
  // Only the day it was reported: nothing closed yet.
  const auto day = ComputeStatistics(all, CivilDate{2025, 4, 11}, CivilDate{2025, 4, 11});
  CHECK(day.not_deviation == 0);
  CHECK(day.open_at_end == 3);
  CHECK(day.social_areas.at("hot_och_vald") == AreaCount{3, 0});
  CHECK(ComputeStatistics(all, CivilDate{2025, 5, 1}, CivilDate{2025, 5, 31}).deviations == 0);
}

TEST_CASE("statistics across a change of taxonomy version count each area by its code, named by the latest version") {
  pb::DeviationReported before = Social({"hot_och_vald", "bemotande"});
  before.set_occurred_date("2024-11-01");
  before.set_reported_date("2024-11-02");
  const pb::DeviationReported after = Social({"hot_och_vald", "vald_i_nara_relationer"});
  DeviationsView view;
  view.deviations["avvikelse-1"] = Run({before});
  view.deviations["avvikelse-2"] = Run({after});
  CHECK(view.deviations["avvikelse-1"].report->taxonomy_version() == "2024-03");
  CHECK(view.deviations["avvikelse-2"].report->taxonomy_version() == "2025-01");
  const auto report = BuildAvvikelserReport(view, Taxonomy(), CivilDate{2024, 7, 1}, CivilDate{2025, 6, 30});
  CHECK(report.deviations() == 2);
  REQUIRE(report.social_areas_size() == 3);
  CHECK(report.social_areas(0).code() == "bemotande");
  CHECK(report.social_areas(1).code() == "hot_och_vald");
  CHECK(report.social_areas(1).tagged() == 2);  // one under each version
  CHECK(report.social_areas(2).name() == "Våld i nära relationer");
  CHECK(report.social_tags() == 4);
}

TEST_CASE("MAS or MAR decide not to open lex Maria for an offered deviation, with reasons; every other case is refused") {
  DecideContext mas = Today();
  mas.caller_roles = {"enhetschef", "mas"};
  auto declined = [](const std::string& reasons = "Händelsen är utredd som avvikelse; ingen vårdskada") {
    pb::LexMariaDeclined m;
    m.set_decided_date("2025-03-10");
    m.set_reasons(reasons);
    return m;
  };
  const DeviationState offered = testing::DecideEach<DeviationState, Payload, DecideContext>({Hsl(3)}, mas, kFns);
  CHECK(offered.OfferedForLexMaria());
  const DeviationState done =
      testing::DecideEach<DeviationState, Payload, DecideContext>({Hsl(3), declined()}, mas, kFns);
  CHECK(done.lex_maria_declined_on == CivilDate{2025, 3, 10});
  auto refused = [&](const std::vector<Payload>& before, const Payload& step) {
    return testing::DecideRefused<DeviationState, Payload, DecideContext>(before, step, mas, kFns);
  };
  testing::CheckStatus(refused({}, declined()), Code::kFailedPrecondition, "needs a reported deviation");
  testing::CheckStatus(refused({Hsl(2)}, declined()), Code::kFailedPrecondition, "allvarlighetsgrad 3 or 4");
  testing::CheckStatus(refused({Social()}, declined()), Code::kFailedPrecondition, "allvarlighetsgrad 3 or 4");
  testing::CheckStatus(refused({Hsl(4), Link(pb::LINK_KIND_LEX_MARIA, "lexmaria-2025-7")}, declined()),
                       Code::kFailedPrecondition, "took the deviation up already");
  testing::CheckStatus(refused({Hsl(4), declined()}, declined()), Code::kFailedPrecondition, "already");
  testing::CheckStatus(refused({Hsl(4)}, declined("")), Code::kInvalidArgument, "reasons");
  pb::LexMariaDeclined early = declined();
  early.set_decided_date("2025-03-01");
  testing::CheckStatus(refused({Hsl(4)}, early), Code::kInvalidArgument, "decided_date");
  // Without the role.
  testing::CheckStatus(Refused({Hsl(4)}, declined()), Code::kPermissionDenied, "only MAS");
  // A lex Maria case can still take it up afterwards.
  testing::DecideEach<DeviationState, Payload, DecideContext>(
      {Hsl(3), declined(), Link(pb::LINK_KIND_LEX_MARIA, "lexmaria-2025-8")}, mas, kFns);
}
