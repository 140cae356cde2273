// The retention rules and the gallring plan (services/gallring/), with the
// figures of Luleå's guideline (seed 003 L1471-L1498): SoL/LSS files five
// years after the last entry, done by the end of the following calendar
// year, people born on the 5th, 15th and 25th kept for research, placed
// minors kept; private (enskild) services two years.
#include <catch2/catch.hpp>

#include "services/gallring/plan.h"
#include "services/gallring/rules.h"

using namespace sparbar;
using namespace sparbar::gallring;

namespace {

const RetentionRules& Shipped() {
  static const RetentionRules rules = [] {
    auto r = RetentionRules::LoadFile(std::string(SPARBAR_CONFIG_DIR) + "/gallring.json");
    REQUIRE(r.ok());
    return std::move(r.value());
  }();
  return rules;
}

PersonFile File(const std::string& pseudonym, CivilDate born, CivilDate last_entry,
                const std::string& file_class = "sol-lss") {
  PersonFile f;
  f.pseudonym = pseudonym;
  f.birth_date = born;
  f.last_entry = last_entry;
  f.file_class = file_class;
  return f;
}

PlanEntry One(const PersonFile& f, CivilDate as_of) {
  auto plan = Plan(Shipped(), {f}, as_of);
  INFO(plan.status().message());
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 1);
  return plan->front();
}

}  // namespace

TEST_CASE("a SoL/LSS file is disposed of five years after its last entry, by the end of the next year",
          "[gallring]") {
  const PersonFile f = File("p1", {1950, 3, 12}, {2020, 3, 10});
  PlanEntry e = One(f, {2025, 3, 9});
  CHECK(e.verdict == Verdict::kNotYetDue);
  CHECK(e.due == CivilDate{2025, 3, 10});
  CHECK(e.reason == "due on 2025-03-10");
  e = One(f, {2025, 3, 10});
  CHECK(e.verdict == Verdict::kDispose);
  CHECK(e.deadline == CivilDate{2026, 12, 31});
  CHECK_FALSE(e.overdue);
  CHECK(e.reason == "5 years after the last entry (2020-03-10) on 2025-03-10, to be done by 2026-12-31");
  CHECK(One(f, {2026, 12, 31}).overdue == false);
  CHECK(One(f, {2027, 1, 1}).overdue == true);
  // A last entry on 29 February: the duty arises on the last day of February.
  CHECK(One(File("p2", {1960, 1, 1}, {2024, 2, 29}), {2029, 3, 1}).due == CivilDate{2029, 2, 28});
}

TEST_CASE("people born on the 5th, 15th and 25th are kept for research; others are not", "[gallring]") {
  for (int day : {5, 15, 25}) {
    INFO("born on day " << day);
    const PlanEntry e = One(File("p", {1950, 7, day}, {2015, 1, 1}), {2025, 6, 1});
    CHECK(e.verdict == Verdict::kKeptForResearch);
    CHECK(e.reason == "born on day " + std::to_string(day) + " of a month: kept for research");
  }
  for (int day : {4, 6, 14, 16, 24, 26, 31}) {
    INFO("born on day " << day);
    CHECK(One(File("p", {1950, 7, day}, {2015, 1, 1}), {2025, 6, 1}).verdict == Verdict::kDispose);
  }
}

TEST_CASE("exemptions: placed minors, legal hold, data still in a register, classes kept for ever", "[gallring]") {
  PersonFile placed = File("p", {2008, 4, 2}, {2015, 1, 1});
  placed.placed_minor = true;
  CHECK(One(placed, {2025, 6, 1}).verdict == Verdict::kKeptPlacedMinor);
  // Private services have no such exemption, and two years.
  PersonFile enskild = File("p", {2008, 4, 2}, {2022, 1, 1}, "enskild-verksamhet");
  enskild.placed_minor = true;
  const PlanEntry e = One(enskild, {2024, 1, 1});
  CHECK(e.verdict == Verdict::kDispose);
  CHECK(e.due == CivilDate{2024, 1, 1});
  // Legal hold comes first, even before research.
  PersonFile held = File("p", {1950, 7, 15}, {2015, 1, 1});
  held.legal_hold = true;
  CHECK(One(held, {2025, 6, 1}).verdict == Verdict::kLegalHold);
  PersonFile registered = File("p", {1950, 7, 2}, {2015, 1, 1});
  registered.in_register = true;
  CHECK(One(registered, {2025, 6, 1}).verdict == Verdict::kInRegister);
  const PlanEntry kept = One(File("p", {1950, 7, 2}, {1990, 1, 1}, "bevaras"), {2025, 6, 1});
  CHECK(kept.verdict == Verdict::kKeptForEver);
  CHECK_FALSE(kept.due.has_value());
  // A class the rules do not know is an error, naming it.
  auto unknown = Plan(Shipped(), {File("p", {1950, 7, 2}, {2015, 1, 1}, "hsl-journal")}, {2025, 6, 1});
  CHECK(unknown.status().code() == Code::kInvalidArgument);
  CHECK_THAT(unknown.status().message(), Catch::Contains("no class \"hsl-journal\""));
}

TEST_CASE("retention rules with a contradiction or a bad figure are refused, naming the entry", "[gallring]") {
  auto error = [](const char* json) { return RetentionRules::FromJson(json).status().message(); };
  CHECK_THAT(error("{"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error(R"({"classes": {}})"), Catch::Contains("one rule per file class"));
  CHECK_THAT(error(R"({"classes": {"a": {}}})"), Catch::Contains("classes.a needs either"));
  CHECK_THAT(error(R"({"classes": {"a": {"keep": true, "years_after_last_entry": 5}}})"),
             Catch::Contains("not both"));
  CHECK_THAT(error(R"({"classes": {"a": {"years_after_last_entry": 0}}})"), Catch::Contains("1 to 200"));
  CHECK_THAT(error(R"({"classes": {"a": {"years_after_last_entry": 5, "research_birth_days": [32]}}})"),
             Catch::Contains("days 1-31"));
  const FileClass* sol = Shipped().Find("sol-lss");
  REQUIRE(sol != nullptr);
  CHECK(sol->years_after_last_entry == 5);
  CHECK(sol->research_birth_days == std::set<int>{5, 15, 25});
  CHECK(sol->exempt_placed_minors);
  CHECK(Shipped().Find("enskild-verksamhet")->years_after_last_entry == 2);
}
