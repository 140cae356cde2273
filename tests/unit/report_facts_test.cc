// ReportFacts as a fold changes it: rows found or added by case id, steps
// added one at a time to interleaved cases (moved and compacted as the
// table goes), and rows read back as protobuf facts.

#include <catch2/catch.hpp>

#include "services/common/civil_date.h"
#include "services/decisions/report_facts.h"

using namespace sparbar;
using namespace sparbar::decisions;

namespace {

pb::CaseFacts Facts(const std::string& id, int steps) {
  pb::CaseFacts f;
  f.set_case_id(id);
  f.set_sex(pb::SEX_KVINNA);
  f.set_child(true);
  f.set_unit("Hemtjänst norr");
  f.set_insats("sarskilt_boende");
  f.set_lagrum("4 kap. 1 § SoL");
  f.set_law("SoL");
  f.set_outcome(pb::OUTCOME_BIFALL);
  f.set_decision_date("2023-11-28");
  f.set_received_date("2023-10-02");
  f.set_first_offer_date("2024-01-15");
  for (int i = 0; i < steps; ++i) {
    auto* s = f.add_steps();
    s->set_kind(i % 2 ? pb::CaseFacts::STEP_OFFER_DECLINED : pb::CaseFacts::STEP_OFFER_MADE);
    s->set_date(CivilDate{2024, 1, 1 + i % 28}.ToString());
    s->set_reason(i % 2 ? "vill bo kvar" : "");
  }
  return f;
}

}  // namespace

TEST_CASE("a row put as protobuf facts reads back as the same facts") {
  ReportFacts table;
  const pb::CaseFacts f = Facts("beslut-a", 3);
  const size_t row = table.Put(f);
  CHECK(table.ToProto(row).SerializeAsString() == f.SerializeAsString());
  CHECK(table.Row("beslut-a") == row);
  CHECK(table.size() == 1);
  pb::CaseFacts other = Facts("beslut-b", 0);
  other.set_insats("daglig_verksamhet");
  table.Put(other);
  REQUIRE(table.ToProtos("daglig_verksamhet").size() == 1);
  CHECK(table.ToProtos("daglig_verksamhet")[0].case_id() == "beslut-b");
  CHECK(table.ToProtos("sarskilt_boende").size() == 1);
  CHECK(table.ToProtos("ledsagarservice").empty());  // no case names it
  CHECK(table.ToProtos().size() == 2);
}

TEST_CASE("steps added one at a time to interleaved cases stay each case's own, in order") {
  ReportFacts table;
  const size_t a = table.Row("beslut-a");
  const size_t b = table.Row("beslut-b");
  CHECK(a != b);
  CHECK(table.Row("beslut-a") == a);
  // A case whose steps the other's follow moves them to the end of the
  // array, with as many free slots again: a case of n steps moves about
  // log2(n) times, not n times (and compactions move it too, now and then).
  constexpr int kSteps = 3000;
  int moves_of_a = 0;
  for (int i = 0; i < kSteps; ++i) {
    const uint32_t a_was_at = table.cases()[a].steps_begin;
    table.AddStep(a, {i, pb::CaseFacts::STEP_DELAY_REASON, table.Intern("a" + std::to_string(i % 7))});
    moves_of_a += table.cases()[a].steps_begin != a_was_at;
    table.AddStep(b, {-i, pb::CaseFacts::STEP_OFFER_MADE, 0});
  }
  CHECK(moves_of_a < 40);
  CHECK(table.steps().size() <= 4u * 2u * kSteps);  // free slots and gaps at most three times the steps
  const pb::CaseFacts fa = table.ToProto(a);
  const pb::CaseFacts fb = table.ToProto(b);
  REQUIRE(fa.steps_size() == kSteps);
  REQUIRE(fb.steps_size() == kSteps);
  for (int i = 0; i < kSteps; ++i) {
    CHECK(fa.steps(i).date() == CivilDate::FromDays(i).ToString());
    CHECK(fa.steps(i).reason() == "a" + std::to_string(i % 7));
    CHECK(fb.steps(i).date() == CivilDate::FromDays(-i).ToString());
    CHECK(fb.steps(i).kind() == pb::CaseFacts::STEP_OFFER_MADE);
  }
  // A row replaced whole keeps its place and drops its old steps.
  CHECK(table.Put(Facts("beslut-a", 2), a) == a);
  CHECK(table.ToProto(a).steps_size() == 2);
  CHECK(table.ToProto(b).steps_size() == kSteps);
  const auto all = table.ToProtos();
  REQUIRE(all.size() == 2);
  CHECK(all[0].case_id() == "beslut-a");
  CHECK(all[1].case_id() == "beslut-b");
}

TEST_CASE("a date that is missing or not a date reads back empty") {
  ReportFacts table;
  pb::CaseFacts f = Facts("beslut-x", 1);
  f.set_decision_date("2024-02-30");
  f.set_received_date("");
  const size_t row = table.Put(f);
  const pb::CaseFacts back = table.ToProto(row);
  CHECK(back.decision_date().empty());
  CHECK(back.received_date().empty());
  CHECK(back.first_offer_date() == "2024-01-15");
}
