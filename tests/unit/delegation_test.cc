// Delegation: the delegation order versioned by date and the decisions taken
// under it. Kalix's "Tillägg i delegationsordning" of 2024-05-22 § 92 (seed
// 002 B:762-819, notes kalix-protocols-000-002 §2.6) adds F 16.5, G 4.3,
// G 4.4, I 8 and P 12 to an order; the base order here is made up for the
// test (the seeds do not print one). Decisions are checked against the
// version in force on their day; the list the committee is informed of.
#include <catch2/catch.hpp>

#include "services/delegation/decision.h"
#include "services/delegation/order.h"
#include "services/delegation/report.h"
#include "services/delegation/report_render.h"
#include "unit/decider_steps.h"
#include "unit/shipped_rules.h"

using namespace sparbar;
using namespace sparbar::delegation;

namespace {

const committee::CommitteeRules& Rules() { return testing::ShippedRules<committee::CommitteeRules>("namnd.json"); }

const CivilDate kToday{2026, 6, 30};

pb::DelegationPoint Point(const std::string& code, const std::string& matter, const std::string& lagrum,
                          std::vector<std::string> delegates) {
  pb::DelegationPoint p;
  p.set_point(code);
  p.set_matter(matter);
  p.set_lagrum(lagrum);
  for (auto& d : delegates) p.add_delegates(d);
  return p;
}

pb::OrderAdopted Base() {
  pb::OrderAdopted m;
  m.set_version("2023-01-01");
  m.set_valid_from("2023-01-01");
  *m.add_points() = Point("F 1", "Beslut om bistånd i form av hemtjänst", "4 kap 1 § Socialtjänstlagen",
                          {"Socialsekreterare", "Enhetschef"});
  *m.add_points() = Point("I 1", "Beslut om att inleda utredning", "11 kap 1 § Socialtjänstlagen", {"Socialsekreterare"});
  return m;
}

// § 92 of 2024-05-22, B:795-799, in force once the protocol was attested on 2024-06-03.
pb::OrderAmended Section92() {
  pb::OrderAmended m;
  m.set_version("2024-05-22 § 92");
  m.set_valid_from("2024-06-03");
  m.mutable_decided_in()->set_meeting_id("sn-2024-05-22");
  m.mutable_decided_in()->set_paragraph(92);
  m.set_dnr("2024-00132 70");
  *m.add_points() = Point("F 16.5", "Beslut till hemutrustning i boende Bostad först", "4 kap 2 § Socialtjänstlagen",
                          {"Enhetschef"});
  *m.add_points() = Point("G 4.3", "Beslut till boende i Bostad först", "4 kap 2 § Socialtjänstlagen", {"Enhetschef"});
  *m.add_points() =
      Point("G 4.4", "Beslut till stöd i boende Bostad först", "4 kap 1 § Socialtjänstlagen", {"Socialsekreterare"});
  *m.add_points() = Point("I 8", "Beslut att utse socialsekreterare som ansvarar för kontakter med placerat barn",
                          "6 kap § 7c Socialtjänstlagen", {"Enhetschef"});
  *m.add_points() = Point("P 12",
                          "Beslut om att ett ombud eller bitrade är olämplig för uppdraget och inte längre får "
                          "medverka i ärendet",
                          "14 § Förvaltningslagen", {"Socialnämndens arbetsutskott"});
  return m;
}

// The meeting of 2024-05-22, which § 92 names.
OrderContext OrderCtx() { return OrderContext{kToday, CivilDate{2024, 5, 22}, {}}; }
const testing::DeciderFns<OrderState, OrderPayload, OrderContext> kOrderFns{&DecideOrder, &EvolveOrder, &TypeOf};

OrderState Order(const std::vector<OrderPayload>& steps) { return testing::DecideEach(steps, OrderCtx(), kOrderFns); }
Status OrderRefused(const std::vector<OrderPayload>& before, const OrderPayload& step,
                    OrderContext c = OrderCtx()) {
  return testing::DecideRefused(before, step, c, kOrderFns);
}

pb::DecisionTaken Taken(const std::string& point, const std::string& date, const std::string& role) {
  pb::DecisionTaken m;
  m.set_order_id("socialnamnden");
  m.set_point(point);
  m.set_decided_date(date);
  m.set_delegate("Anna Lind");
  m.set_delegate_role(role);
  m.set_matter("Boende i Bostad först beviljas");
  m.set_case_reference("beslut-2024-0117");
  m.set_outcome("bifall");
  return m;
}

pb::DecisionReported Reported(const std::string& meeting_id, uint32_t paragraph) {
  pb::DecisionReported m;
  m.mutable_reported_in()->set_meeting_id(meeting_id);
  m.mutable_reported_in()->set_paragraph(paragraph);
  return m;
}

Result<DecisionPayload> Decide(const OrderState& order, const DecisionState& s, const DecisionPayload& step,
                               std::optional<CivilDate> meeting = std::nullopt) {
  return DecideDecision(s, step, DecisionContext{kToday, &order, meeting});
}

DecisionState Apply(DecisionState s, const Result<DecisionPayload>& e) {
  INFO(e.status().ToString());
  REQUIRE(e.ok());
  return EvolveDecision(std::move(s), *e);
}

}  // namespace

TEST_CASE("the delegation order is versioned by date: § 92 of 2024-05-22 adds five points", "[delegation]") {
  const OrderState order = Order({Base(), Section92()});
  REQUIRE(order.versions.size() == 2);
  CHECK(order.On(CivilDate{2022, 12, 31}) == nullptr);
  CHECK(order.On(CivilDate{2024, 6, 2})->version == "2023-01-01");
  CHECK(order.On(CivilDate{2024, 6, 2})->points.size() == 2);
  const OrderVersion* v = order.On(CivilDate{2024, 6, 3});
  REQUIRE(v != nullptr);
  CHECK(v->version == "2024-05-22 § 92");
  CHECK(v->points.size() == 7);
  CHECK(v->decided_in == "sammantrade-sn-2024-05-22 § 92");
  CHECK(v->points.at("g4.4").delegates(0) == "Socialsekreterare");
  CHECK(v->points.at("p12").lagrum() == "14 § Förvaltningslagen");

  // An amendment replacing F 1 and removing I 8 from 2025-01-01.
  pb::OrderAmended next;
  next.set_version("2024-12-11 § 170");
  next.set_valid_from("2025-01-01");
  *next.add_points() = Point("f1", "Beslut om bistånd i form av hemtjänst", "4 kap 1 § Socialtjänstlagen", {"Enhetschef"});
  next.add_removed("I 8");
  const OrderState later = Order({Base(), Section92(), next});
  const OrderVersion* v3 = later.On(CivilDate{2025, 1, 1});
  CHECK(v3->points.size() == 6);
  CHECK_FALSE(v3->points.count("i8"));
  CHECK(v3->points.at("f1").delegates_size() == 1);
  CHECK(later.On(CivilDate{2024, 12, 31})->points.count("i8"));
}

TEST_CASE("a version of the order out of order or with bad points is refused", "[delegation]") {
  using testing::CheckStatus;
  CheckStatus(OrderRefused({}, Section92()), Code::kFailedPrecondition, "record the order adopted first");
  CheckStatus(OrderRefused({Base()}, Base()), Code::kInvalidArgument, "version 2023-01-01 is recorded already");
  pb::OrderAmended same_day = Section92();
  same_day.set_valid_from("2023-01-01");
  CheckStatus(OrderRefused({Base()}, same_day), Code::kInvalidArgument, "must come after the latest version's");
  pb::OrderAmended early = Section92();
  early.set_valid_from("2024-05-21");
  CheckStatus(OrderRefused({Base()}, early), Code::kInvalidArgument, "before the committee decided it, 2024-05-22");
  pb::OrderAmended twice = Section92();
  *twice.add_points() = Point("G4.3", "x", "y", {"Enhetschef"});
  CheckStatus(OrderRefused({Base()}, twice), Code::kInvalidArgument, "point G4.3 is listed twice");
  // Not on or before the day of a decision already recorded under the order.
  const OrderState base = Order({Base()});
  CheckStatus(DecideOrder(base, Section92(), OrderContext{kToday, CivilDate{2024, 5, 22}, {{"2023-01-01", CivilDate{2024, 6, 3}}}})
                  .status(),
              Code::kFailedPrecondition, "a decision under the order was taken on 2024-06-03");
  CHECK(DecideOrder(base, Section92(), OrderContext{kToday, CivilDate{2024, 5, 22}, {{"2023-01-01", CivilDate{2024, 6, 2}}}})
            .ok());
  // Decisions checked against a later version (one being retried) do not count.
  CHECK(DecideOrder(base, Section92(),
                    OrderContext{kToday, CivilDate{2024, 5, 22}, {{"2024-05-22 § 92", CivilDate{2024, 6, 10}}}})
            .ok());
  pb::OrderAmended nothing = Section92();
  nothing.clear_points();
  CheckStatus(OrderRefused({Base()}, nothing), Code::kInvalidArgument, "points or removed:");
  pb::OrderAmended nobody = Section92();
  nobody.mutable_points(0)->clear_delegates();
  CheckStatus(OrderRefused({Base()}, nobody), Code::kInvalidArgument, "needs at least one delegate");
  pb::OrderAmended gone = Section92();
  gone.add_removed("Z 9");
  CheckStatus(OrderRefused({Base()}, gone), Code::kInvalidArgument, "point Z 9 is not in the latest version");
  pb::OrderAmended both = Section92();
  both.add_removed("F 1");
  *both.add_points() = Point("F 1", "x", "y", {"Enhetschef"});
  CheckStatus(OrderRefused({Base()}, both), Code::kInvalidArgument, "also listed in points");
  pb::OrderAdopted empty = Base();
  empty.clear_points();
  CheckStatus(OrderRefused({}, empty), Code::kInvalidArgument, "at least one point");
  pb::OrderAmended bad_dnr = Section92();
  bad_dnr.set_dnr("19121212-1212");
  const Status pnr = OrderRefused({Base()}, bad_dnr);
  CHECK(pnr.code() == Code::kInvalidArgument);
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  pb::OrderAmended named = Section92();
  named.mutable_points(0)->set_matter("Hemutrustning till 19121212-1212");
  CheckStatus(OrderRefused({Base()}, named), Code::kInvalidArgument, "points.matter holds a personnummer");
  // The meeting the version names must have been checked by the service.
  CHECK(OrderRefused({Base()}, Section92(), OrderContext{kToday, std::nullopt, {}}).code() == Code::kInternal);
}

TEST_CASE("a delegation decision needs the point and the delegate in force on its day", "[delegation]") {
  using testing::CheckStatus;
  const OrderState order = Order({Base(), Section92()});
  // Enhetschef decides under G 4.3 a week after the points took effect; the lagrum is copied in.
  auto taken = Decide(order, {}, Taken("G 4.3", "2024-06-10", "Enhetschef"));
  REQUIRE(taken.ok());
  const auto& t = std::get<pb::DecisionTaken>(*taken);
  CHECK(t.order_version() == "2024-05-22 § 92");
  CHECK(t.lagrum() == "4 kap 2 § Socialtjänstlagen");
  CHECK(t.point_matter() == "Beslut till boende i Bostad först");
  // The code and the role compared without spaces and case; the order's spelling is kept.
  auto spelled = Decide(order, {}, Taken("g4.4", "2024-06-10", "socialsekreterare"));
  REQUIRE(spelled.ok());
  CHECK(std::get<pb::DecisionTaken>(*spelled).point() == "G 4.4");
  CHECK(std::get<pb::DecisionTaken>(*spelled).delegate_role() == "Socialsekreterare");
  // Å, Ä and Ö fold too.
  pb::OrderAmended elder;
  elder.set_version("2024-09-25 § 120");
  elder.set_valid_from("2024-10-01");
  *elder.add_points() = Point("H 2", "Beslut om korttidsvistelse", "4 kap 1 § Socialtjänstlagen", {"Äldreomsorgschef"});
  const OrderState with_elder = Order({Base(), Section92(), elder});
  auto folded = Decide(with_elder, {}, Taken("h 2", "2024-10-02", "ÄLDREOMSORGSCHEF"));
  REQUIRE(folded.ok());
  CHECK(std::get<pb::DecisionTaken>(*folded).delegate_role() == "Äldreomsorgschef");
  CHECK_FALSE(Decide(with_elder, {}, Taken("H 2", "2024-10-02", "Aldreomsorgschef")).ok());
  CHECK(Decide(order, {}, Taken("P 12", "2024-09-01", "Socialnämndens  arbetsutskott")).ok());

  CheckStatus(Decide(order, {}, Taken("G 4.3", "2024-06-10", "Socialsekreterare")).status(),
              Code::kFailedPrecondition, "point G 4.3 is delegated to Enhetschef, not Socialsekreterare");
  CheckStatus(Decide(order, {}, Taken("G 4.3", "2024-05-30", "Enhetschef")).status(), Code::kFailedPrecondition,
              "point G 4.3 is not in the delegation order in force on 2024-05-30 (version 2023-01-01)");
  CheckStatus(Decide(order, {}, Taken("F 1", "2022-06-01", "Enhetschef")).status(), Code::kFailedPrecondition,
              "no version of the delegation order socialnamnden is in force on 2022-06-01");
  CheckStatus(Decide(OrderState{}, {}, Taken("F 1", "2024-06-01", "Enhetschef")).status(), Code::kInvalidArgument,
              "order_id names no recorded delegation order");
  pb::DecisionTaken pnr_role = Taken("F 1", "2024-06-10", "191212121212");
  const Status role_pnr = Decide(order, {}, pnr_role).status();
  CheckStatus(role_pnr, Code::kInvalidArgument, "delegate_role holds a personnummer");
  CHECK_THAT(role_pnr.message(), !Catch::Contains("1212"));
  CheckStatus(Decide(order, {}, Taken("F 1", "2026-07-01", "Enhetschef")).status(), Code::kInvalidArgument,
              "decided_date 2026-07-01 is in the future");
  pb::DecisionTaken named = Taken("F 1", "2024-06-10", "Enhetschef");
  named.set_matter("Hemtjänst till 19121212-1212");
  const Status pnr = Decide(order, {}, named).status();
  CheckStatus(pnr, Code::kInvalidArgument, "matter holds a personnummer");
  CHECK_THAT(pnr.message(), !Catch::Contains("1212"));
  pb::DecisionTaken no_order = Taken("F 1", "2024-06-10", "Enhetschef");
  no_order.set_order_id("socialnämnden");
  CheckStatus(Decide(order, {}, no_order).status(), Code::kInvalidArgument, "order_id");

  // Reported to the committee once, at a meeting held on or after the decision.
  const DecisionState s = Apply({}, taken);
  CheckStatus(Decide(order, s, Reported("sn-2024-05-22", 86), CivilDate{2024, 5, 22}).status(),
              Code::kInvalidArgument, "was held before the decision of 2024-06-10");
  CheckStatus(Decide(order, {}, Reported("sn-2024-06-19", 101), CivilDate{2024, 6, 19}).status(),
              Code::kFailedPrecondition, "once it is taken");
  const DecisionState reported = Apply(s, Decide(order, s, Reported("sn-2024-06-19", 101), CivilDate{2024, 6, 19}));
  CHECK(reported.ReportedIn() == "sammantrade-sn-2024-06-19 § 101");
  CHECK(reported.reported->meeting_date() == "2024-06-19");
  CHECK_FALSE(reported.ReportedLate(Rules()));
  CheckStatus(Decide(order, reported, Reported("sn-2024-08-21", 110), CivilDate{2024, 8, 21}).status(),
              Code::kFailedPrecondition, "reported to the committee already, in sammantrade-sn-2024-06-19 § 101");
  CheckStatus(Decide(order, reported, Taken("F 1", "2024-06-10", "Enhetschef")).status(), Code::kFailedPrecondition,
              "taken once");
  // 60 days after the decision is in time, 61 is later than the rules allow.
  CHECK_FALSE(Apply(s, Decide(order, s, Reported("sn-2024-08-09", 110), CivilDate{2024, 8, 9})).ReportedLate(Rules()));
  const DecisionState late = Apply(s, Decide(order, s, Reported("sn-2024-08-10", 110), CivilDate{2024, 8, 10}));
  CHECK(late.ReportedLate(Rules()));
}

TEST_CASE("the delegation decisions the committee is informed of, and the order in force, as reports",
          "[delegation]") {
  const OrderState order = Order({Base(), Section92()});
  DelegationView view;
  view.position = 42;
  view.orders["delegationsordning-socialnamnden"] = order;
  auto add = [&](const std::string& id, const pb::DecisionTaken& t, std::optional<std::pair<std::string, CivilDate>> at) {
    DecisionState s = Apply({}, Decide(order, {}, t));
    if (at) s = Apply(s, Decide(order, s, Reported(at->first, 86), at->second));
    view.decisions["delegationsbeslut-" + id] = s;
  };
  add("1", Taken("G 4.3", "2024-06-10", "Enhetschef"), std::pair{"sn-2024-06-19", CivilDate{2024, 6, 19}});
  add("2", Taken("G 4.4", "2024-06-12", "Socialsekreterare"), std::pair{"sn-2024-08-21", CivilDate{2024, 8, 21}});
  add("3", Taken("G 4.4", "2024-07-01", "Socialsekreterare"), std::nullopt);
  add("4", Taken("F 1", "2025-01-15", "Enhetschef"), std::nullopt);

  const auto all = BuildDecisions(view, Rules(), CivilDate{2024, 1, 1}, CivilDate{2024, 12, 31}, false, "");
  CHECK(all.decisions() == 3);
  CHECK(all.reported() == 2);
  CHECK(all.reported_late() == 1);
  CHECK(all.unreported() == 1);
  REQUIRE(all.rows_size() == 3);
  CHECK(all.rows(0).stream() == "delegationsbeslut-1");
  CHECK(all.rows(0).reported_in() == "sammantrade-sn-2024-06-19 § 86");
  CHECK(all.rows(1).reported_late());
  REQUIRE(all.by_point_size() == 2);
  CHECK(all.by_point(1).key() == "G 4.4");
  CHECK(all.by_point(1).count() == 2);
  const auto open = BuildDecisions(view, Rules(), CivilDate{2024, 1, 1}, CivilDate{2024, 12, 31}, true, "");
  CHECK(open.decisions() == 3);  // the counts cover the period
  REQUIRE(open.rows_size() == 1);
  CHECK(open.rows(0).stream() == "delegationsbeslut-3");
  CHECK(BuildDecisions(view, Rules(), CivilDate{2024, 1, 1}, CivilDate{2025, 12, 31}, false, "annan").decisions() == 0);

  auto csv = RenderDecisions(all, v1::decisions::REPORT_FORMAT_CSV);
  REQUIRE(csv.ok());
  CHECK_THAT(*csv, Catch::Contains("delegationsbeslut-2,socialnamnden,2024-05-22 § 92,G 4.4,4 kap 1 § "
                                   "Socialtjänstlagen,2024-06-12,Anna Lind,Socialsekreterare"));
  CHECK_THAT(*csv, Catch::Contains("sammantrade-sn-2024-08-21 § 86,2024-08-21,ja\r\n"));
  auto html = RenderDecisions(all, v1::decisions::REPORT_FORMAT_HTML);
  REQUIRE(html.ok());
  CHECK_THAT(*html, Catch::Contains("<td>ej anmält</td>"));

  auto in_force = BuildOrderInForce(view, "socialnamnden", CivilDate{2024, 6, 3});
  REQUIRE(in_force.ok());
  CHECK(in_force->version() == "2024-05-22 § 92");
  CHECK(in_force->points_size() == 7);
  CHECK(in_force->versions_size() == 2);
  auto order_csv = RenderOrder(*in_force, v1::decisions::REPORT_FORMAT_CSV);
  REQUIRE(order_csv.ok());
  CHECK_THAT(*order_csv, Catch::Contains("P 12,Beslut om att ett ombud eller bitrade är olämplig för uppdraget och "
                                         "inte längre får medverka i ärendet,14 § Förvaltningslagen,Socialnämndens "
                                         "arbetsutskott\r\n"));
  CHECK(BuildOrderInForce(view, "socialnamnden", CivilDate{2022, 1, 1}).status().code() == Code::kNotFound);
  CHECK(BuildOrderInForce(view, "kommunstyrelsen", CivilDate{2024, 6, 3}).status().code() == Code::kNotFound);
}

TEST_CASE("the committee rules for delegation decisions and statements name what is wrong", "[delegation]") {
  CHECK(Rules().delegation_report_within_days() == 60);
  CHECK(Rules().StatementAnswerDays("ivo") == 28);
  auto r = committee::CommitteeRules::FromJson(R"({"statement_answer_days": {"ivo": 14}})");
  REQUIRE(r.ok());
  CHECK(r->StatementAnswerDays("ivo") == 14);
  CHECK(r->StatementAnswerDays("jo") == 28);
  auto zero = committee::CommitteeRules::FromJson(R"({"statement_answer_days": {"jo": 0}})");
  REQUIRE_FALSE(zero.ok());
  CHECK_THAT(zero.status().message(), Catch::Contains("\"jo\": must be a whole number from 1"));
  auto unknown = committee::CommitteeRules::FromJson(R"({"statement_answer_days": {"imy": 3}})");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.status().message(), Catch::Contains("\"imy\" is not an authority"));
  CHECK_FALSE(committee::CommitteeRules::FromJson(R"({"delegation_report_within_days": "60"})").ok());
}
