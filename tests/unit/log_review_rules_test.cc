// The loggkontroll rules (services/access/review_rules.h): each rule flags
// the access it is about and leaves one alone that it is not, and can be
// switched off; surnames compare as keyed hashes, case-insensitively.

#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "services/access/review_context.h"
#include "services/access/review_rules.h"

using namespace sparbar;
using namespace sparbar::access;
using google::protobuf::util::TimeUtil;

namespace {

constexpr int64_t kS = 1'000'000;
const int64_t kTuesdayMorning = 1741076100 * kS;               // 2025-03-04 09:15 in Sweden
const int64_t kTuesdayNight = kTuesdayMorning + 47700 * kS;    // 2025-03-04 22:30
const int64_t kSaturday = kTuesdayMorning + 348300 * kS;       // 2025-03-08 10:00
const std::string kPerson = "191212121212", kColleague = "198112289874", kUserOwn = "197802102385";

SubjectKey Key() {
  std::array<uint8_t, 32> bytes{};
  bytes.fill(7);
  return SubjectKey::FromBytes(bytes);
}

pb::AccessRecorded Access(const std::string& person = kPerson) {
  pb::AccessRecorded e;
  e.set_user_hsa_id("SE2321000230-1A2B");
  e.set_role("socialsekreterare");
  e.set_unit("ifo-barn");
  e.set_action(pb::ACTION_READ);
  e.mutable_subject()->set_personal_identity_number(person);
  e.set_source_system("procapita");
  e.set_purpose(pb::PURPOSE_NORMAL_WORK);
  e.set_outcome(pb::OUTCOME_ALLOWED);
  return e;
}

// A context where the access above is unremarkable: an open case at the
// unit, a recorded person with another surname, a staff member.
ReviewContext Context(const SubjectKey& key) {
  ReviewContext c;
  c.cases[key.Of(kPerson)].push_back({"ifo-barn", CivilDate{2025, 1, 10}, std::nullopt});
  c.persons[key.Of(kPerson)].push_back({CivilDate{2020, 1, 1}, false, SurnameHashes(key, "Nilsson")});
  auto& staff = c.staff["SE2321000230-1A2B"];
  staff.surname = SurnameHashes(key, "Andersson");
  staff.own_subject = key.Of(kUserOwn);
  staff.units = {"ifo-barn"};
  c.staff_by_subject[key.Of(kUserOwn)].insert("SE2321000230-1A2B");
  return c;
}

std::vector<std::string> Rules(const pb::AccessRecorded& a, int64_t at, const ReviewContext& c,
                               const lr::RuleSettings& settings = DefaultRules(), const UserVolume* volume = nullptr) {
  const SubjectKey key = Key();
  std::vector<std::string> out;
  const std::string subject = key.Of(a.subject().personal_identity_number());
  for (const Hit& h :
       Judge({a.user_hsa_id(), a.unit(), a.source_system(), a.role(), a.purpose(), at, subject, volume}, c, settings)) {
    out.push_back(h.rule);
  }
  return out;
}

bool Has(const std::vector<std::string>& rules, const std::string& rule) {
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

}  // namespace

TEST_CASE("An ordinary access in working hours with an open case flags nothing", "[logreview][rules]") {
  const SubjectKey key = Key();
  CHECK(Rules(Access(), kTuesdayMorning, Context(key)).empty());
}

TEST_CASE("protected_identity flags accesses to a person with skyddad identitet from its day on",
          "[logreview][rules]") {
  const SubjectKey key = Key();
  ReviewContext c = Context(key);
  c.persons[key.Of(kPerson)].push_back({CivilDate{2025, 3, 1}, true, SurnameHashes(key, "Nilsson")});
  CHECK(Has(Rules(Access(), kTuesdayMorning, c), "protected_identity"));
  // The marking came after the access: not flagged.
  c.persons[key.Of(kPerson)].back().from = CivilDate{2025, 3, 5};
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c), "protected_identity"));
  CHECK(c.ProtectedDuring(CivilDate{2025, 3, 1}, CivilDate{2025, 3, 31}) == std::vector<std::string>{key.Of(kPerson)});
  CHECK(c.ProtectedDuring(CivilDate{2025, 1, 1}, CivilDate{2025, 3, 4}).empty());
}

TEST_CASE("no_open_case flags an access with no case of the person open at the unit", "[logreview][rules]") {
  const SubjectKey key = Key();
  ReviewContext c = Context(key);
  pb::AccessRecorded elsewhere = Access();
  elsewhere.set_unit("aldreomsorg-norr");
  CHECK(Has(Rules(elsewhere, kTuesdayMorning, c), "no_open_case"));
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c), "no_open_case"));
  // Ended 20 days before: open within the default 30 days' grace, not within 10.
  c.cases[key.Of(kPerson)][0].to = CivilDate{2025, 2, 12};
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c), "no_open_case"));
  lr::RuleSettings strict = DefaultRules();
  strict.set_case_grace_days(10);
  CHECK(Has(Rules(Access(), kTuesdayMorning, c, strict), "no_open_case"));
  // A case that starts after the access.
  c.cases[key.Of(kPerson)][0] = {"ifo-barn", CivilDate{2025, 3, 5}, std::nullopt};
  CHECK(Has(Rules(Access(), kTuesdayMorning, c), "no_open_case"));
}

TEST_CASE("same_surname compares keyed hashes of surname parts, ignoring case", "[logreview][rules]") {
  const SubjectKey key = Key();
  ReviewContext c = Context(key);
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c), "same_surname"));
  c.persons[key.Of(kPerson)][0].surname = SurnameHashes(key, "ANDERSSON-Öberg");
  CHECK(Has(Rules(Access(), kTuesdayMorning, c), "same_surname"));
  CHECK(SurnameHashes(key, "Öberg") == SurnameHashes(key, "öBERG"));
  CHECK(SurnameHashes(key, "Öberg") != SurnameHashes(key, "Oberg"));
  CHECK(SurnameHashes(key, "").empty());
  // Keyed: another key gives other hashes. Particles are not a shared surname.
  std::array<uint8_t, 32> other{};
  other.fill(8);
  CHECK(SurnameHashes(SubjectKey::FromBytes(other), "Andersson") != SurnameHashes(key, "Andersson"));
  CHECK(SurnameHashes(key, "von Essen").size() == 1);
  for (const auto& h : SurnameHashes(key, "von Essen")) CHECK_FALSE(SurnameHashes(key, "von Platen").count(h));
}

TEST_CASE("outside_working_hours uses the unit's hours, else the default weekdays 07-18", "[logreview][rules]") {
  const SubjectKey key = Key();
  ReviewContext c = Context(key);
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c), "outside_working_hours"));
  CHECK(Has(Rules(Access(), kTuesdayNight, c), "outside_working_hours"));
  CHECK(Has(Rules(Access(), kSaturday, c), "outside_working_hours"));
  // A unit recorded with no spans works around the clock.
  c.hours["ifo-barn"] = {};
  CHECK_FALSE(Has(Rules(Access(), kTuesdayNight, c), "outside_working_hours"));
  // Evenings only.
  lr::DaySpan evening;
  evening.set_weekday(2);
  evening.set_start_minute(20 * 60);
  evening.set_end_minute(24 * 60);
  c.hours["ifo-barn"] = {evening};
  CHECK_FALSE(Has(Rules(Access(), kTuesdayNight, c), "outside_working_hours"));
  CHECK(Has(Rules(Access(), kTuesdayMorning, c), "outside_working_hours"));
}

TEST_CASE("volume_above_baseline flags a day far above the user's own mean", "[logreview][rules]") {
  const SubjectKey key = Key();
  const ReviewContext c = Context(key);
  UserVolume v;
  v.baseline_mean = 40;
  v.per_day["2025-03-04"] = 130;  // above 300 % of 40 and above 50
  CHECK(Has(Rules(Access(), kTuesdayMorning, c, DefaultRules(), &v), "volume_above_baseline"));
  v.per_day["2025-03-04"] = 110;  // above 50 but not above 120
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c, DefaultRules(), &v), "volume_above_baseline"));
  // A new user without a baseline: the minimum alone decides.
  v.baseline_mean = 0;
  v.per_day["2025-03-04"] = 45;
  CHECK_FALSE(Has(Rules(Access(), kTuesdayMorning, c, DefaultRules(), &v), "volume_above_baseline"));
  v.per_day["2025-03-04"] = 51;
  CHECK(Has(Rules(Access(), kTuesdayMorning, c, DefaultRules(), &v), "volume_above_baseline"));
}

TEST_CASE("nodatkomst flags emergency access", "[logreview][rules]") {
  const SubjectKey key = Key();
  pb::AccessRecorded a = Access();
  CHECK_FALSE(Has(Rules(a, kTuesdayMorning, Context(key)), "nodatkomst"));
  a.set_purpose(pb::PURPOSE_NODATKOMST);
  a.set_emergency_reason("medvetslös vid hembesök");
  CHECK(Has(Rules(a, kTuesdayMorning, Context(key)), "nodatkomst"));
}

TEST_CASE("own_or_colleague flags the user's own record and a colleague's at the same unit", "[logreview][rules]") {
  const SubjectKey key = Key();
  ReviewContext c = Context(key);
  CHECK(Has(Rules(Access(kUserOwn), kTuesdayMorning, c), "own_or_colleague"));
  CHECK_FALSE(Has(Rules(Access(kColleague), kTuesdayMorning, c), "own_or_colleague"));
  auto& colleague = c.staff["SE2321000230-9Z9Z"];
  colleague.own_subject = key.Of(kColleague);
  colleague.units = {"hemtjanst-syd"};
  c.staff_by_subject[key.Of(kColleague)].insert("SE2321000230-9Z9Z");
  CHECK_FALSE(Has(Rules(Access(kColleague), kTuesdayMorning, c), "own_or_colleague"));  // another unit
  colleague.units.insert("ifo-barn");
  CHECK(Has(Rules(Access(kColleague), kTuesdayMorning, c), "own_or_colleague"));
}

TEST_CASE("A rule switched off flags nothing; parameters are checked", "[logreview][rules]") {
  const SubjectKey key = Key();
  ReviewContext c = Context(key);
  lr::RuleSettings off;  // every rule off
  auto completed = CompleteRules(off);
  REQUIRE(completed.ok());
  pb::AccessRecorded a = Access(kUserOwn);
  a.set_purpose(pb::PURPOSE_NODATKOMST);
  a.set_unit("aldreomsorg-norr");
  CHECK(Rules(a, kSaturday, c, *completed).size() == 0);
  CHECK(Rules(a, kSaturday, c).size() == 4);  // no_open_case, outside_working_hours, nodatkomst, own

  lr::RuleSettings bad = DefaultRules();
  bad.set_volume_factor_percent(50);
  CHECK(CompleteRules(bad).status().code() == Code::kInvalidArgument);
  bad = DefaultRules();
  bad.mutable_default_working_hours(0)->set_end_minute(1500);
  CHECK(CompleteRules(bad).status().code() == Code::kInvalidArgument);
}
