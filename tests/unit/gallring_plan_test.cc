// The retention rules and the gallring plan (services/gallring/), with the
// figures of Luleå's guideline (seed 003 L1471-L1498): SoL/LSS files five
// years after the last entry, done by the end of the following calendar
// year, people born on the 5th, 15th and 25th kept for research, placed
// minors kept; private (enskild) services two years.
#include <catch2/catch.hpp>

#include "services/decisions/payload.h"
#include "services/gallring/person_files.h"
#include "services/gallring/plan.h"
#include "services/gallring/rules.h"
#include "unit/store_test_util.h"

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

namespace {

namespace dpb = sparbar::v1::decisions;

// Appends `payload` to `stream` as a decisions event that occurred at noon on `day` (UTC).
void AppendAt(EventStore& store, const std::string& stream, const decisions::Payload& payload, CivilDate day) {
  ProposedEvent e;
  e.id = Uuid::Random();
  e.type = decisions::TypeOf(payload);
  e.content_type = "application/x-protobuf";
  e.payload = decisions::Serialize(payload);
  e.occurred_at = (day.DaysSinceEpoch() * 86400 + 12 * 3600) * int64_t{1000000};
  auto r = store.Append(stream, ExpectedRevision::Any(), {e}, "handlaggare");
  INFO(r.status().ToString());
  REQUIRE(r.ok());
}

decisions::Payload ApplicationFor(const std::string& pnr) {
  dpb::ApplicationReceived a;
  a.mutable_subject()->set_personal_identity_number(pnr);
  a.set_received_date("2019-05-02");
  a.set_unit("Midskogen");
  return a;
}

}  // namespace

TEST_CASE("the person files are gathered from the decisions cases: one per person, its last entry, its birth day",
          "[gallring]") {
  sparbar::testing::TempDir dir;
  auto store = sparbar::testing::OpenStore(sparbar::testing::TestOptions(dir));
  const auto key = access::SubjectKey::FromBytes(std::array<uint8_t, 32>{1, 2, 3});
  dpb::InvestigationOpened opened;
  opened.set_opened_date("2020-03-10");
  AppendAt(*store, "beslut-a", ApplicationFor("191212121212"), {2019, 5, 2});
  AppendAt(*store, "beslut-a", opened, {2020, 3, 10});
  AppendAt(*store, "beslut-b", ApplicationFor("191212121212"), {2018, 1, 1});  // the same person, earlier
  AppendAt(*store, "beslut-c", ApplicationFor("193903151235"), {2019, 6, 1});  // born on the 15th
  ProposedEvent junk = sparbar::testing::MakeEvent("not.a.decision");
  REQUIRE(store->Append("beslut-junk", ExpectedRevision::Any(), {junk}, "someone").ok());

  auto gathered = GatherPersonFiles(*store, key, store->Size());
  REQUIRE(gathered.ok());
  CHECK(gathered->cases == 4);
  CHECK(gathered->unnamed_cases == 1);
  REQUIRE(gathered->files.size() == 2);
  const PersonFile* tolvan = nullptr;
  for (const auto& f : gathered->files) {
    CHECK(f.pseudonym.find("1212") == std::string::npos);
    CHECK(f.file_class == "sol-lss");
    if (f.pseudonym == key.Of("191212121212")) tolvan = &f;
  }
  REQUIRE(tolvan != nullptr);
  CHECK(tolvan->last_entry == CivilDate{2020, 3, 10});
  CHECK(tolvan->birth_date == CivilDate{1912, 12, 12});

  auto plan = Plan(Shipped(), gathered->files, {2025, 3, 10});
  REQUIRE(plan.ok());
  int disposed = 0, research = 0;
  for (const auto& e : *plan) {
    disposed += e.verdict == Verdict::kDispose;
    research += e.verdict == Verdict::kKeptForResearch;
  }
  CHECK(disposed == 1);
  CHECK(research == 1);
  // As the log stood before the investigation, the file's last entry was earlier.
  auto before = GatherPersonFiles(*store, key, 1);
  REQUIRE(before.ok());
  REQUIRE(before->files.size() == 1);
  CHECK(before->files[0].last_entry == CivilDate{2019, 5, 2});
}
