// The monthly särskilt boende list and the days from application to first offer.

#include <catch2/catch.hpp>

#include "services/decisions/waiting.h"

using namespace sparbar;
using namespace sparbar::decisions;

namespace {

pb::CaseFacts Case(const std::string& id, const std::string& received, const std::string& decided,
                   const std::string& insats = "sarskilt_boende", pb::Outcome outcome = pb::OUTCOME_BIFALL) {
  pb::CaseFacts c;
  c.set_case_id(id);
  c.set_sex(pb::SEX_KVINNA);
  c.set_insats(insats);
  c.set_outcome(outcome);
  c.set_received_date(received);
  c.set_decision_date(decided);
  return c;
}

void Step(pb::CaseFacts& c, pb::CaseFacts::StepKind kind, const std::string& date, const std::string& reason = "") {
  auto* s = c.add_steps();
  s->set_kind(kind);
  s->set_date(date);
  s->set_reason(reason);
  if (kind == pb::CaseFacts::STEP_OFFER_MADE && c.first_offer_date().empty()) c.set_first_offer_date(date);
}

}  // namespace

TEST_CASE("the monthly list holds favourable särskilt boende decisions not executed by the month's end") {
  auto waiting = Case("beslut-1", "2024-01-02", "2024-01-20");
  Step(waiting, pb::CaseFacts::STEP_OFFER_MADE, "2024-02-10");
  Step(waiting, pb::CaseFacts::STEP_OFFER_DECLINED, "2024-02-12", "tackat_nej");
  auto executed_in_march = Case("beslut-2", "2024-01-05", "2024-02-01");
  Step(executed_in_march, pb::CaseFacts::STEP_EXECUTED, "2024-03-10");
  auto decided_in_april = Case("beslut-3", "2024-03-20", "2024-04-02");
  auto refused = Case("beslut-4", "2024-01-05", "2024-01-25", "sarskilt_boende", pb::OUTCOME_AVSLAG);
  auto other_insats = Case("beslut-5", "2024-01-05", "2024-01-25", "hemtjanst");
  const std::vector<pb::CaseFacts> cases = {waiting, executed_in_march, decided_in_april, refused, other_insats};

  auto february = NotExecutedAtMonthEnd(cases, "sarskilt_boende", 2024, 2);
  REQUIRE(february.size() == 2);
  CHECK(february[0].case_id == "beslut-1");
  CHECK(february[0].days_waited == 40);  // 2024-01-20 to 2024-02-29
  CHECK(february[0].offers == 1);
  CHECK(february[0].reason == "tackat_nej");
  CHECK(february[1].case_id == "beslut-2");

  auto march = NotExecutedAtMonthEnd(cases, "sarskilt_boende", 2024, 3);
  REQUIRE(march.size() == 1);
  CHECK(march[0].case_id == "beslut-1");
  CHECK(NotExecutedAtMonthEnd(cases, "sarskilt_boende", 2024, 4).size() == 2);
}

TEST_CASE("days from application to first offer, per year of the offer") {
  auto a = Case("beslut-a", "2023-11-01", "2023-11-20");
  Step(a, pb::CaseFacts::STEP_OFFER_MADE, "2024-01-10");  // 70 days
  Step(a, pb::CaseFacts::STEP_OFFER_MADE, "2024-02-10");  // a second offer does not count
  auto b = Case("beslut-b", "2024-01-01", "2024-01-15");
  Step(b, pb::CaseFacts::STEP_OFFER_MADE, "2024-01-31");  // 30 days
  auto c = Case("beslut-c", "2024-02-01", "2024-02-10");
  Step(c, pb::CaseFacts::STEP_OFFER_MADE, "2024-06-09");  // 129 days
  auto d = Case("beslut-d", "2023-03-01", "2023-03-10");
  Step(d, pb::CaseFacts::STEP_OFFER_MADE, "2023-04-10");  // 40 days, in 2023
  auto no_offer = Case("beslut-e", "2024-01-01", "2024-01-15");
  const auto stats = DaysToFirstOffer({a, b, c, d, no_offer}, "sarskilt_boende");
  REQUIRE(stats.size() == 2);
  CHECK(stats[0].year == 2023);
  CHECK(stats[0].cases == 1);
  CHECK(stats[0].median_days == 40);
  CHECK(stats[1].year == 2024);
  CHECK(stats[1].cases == 3);
  CHECK(stats[1].mean_days == Approx((70 + 30 + 129) / 3.0));
  CHECK(stats[1].median_days == 70);
  CHECK(stats[1].max_days == 129);
}
