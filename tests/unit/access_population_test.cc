// Who a review's sample is drawn from (DrawPopulation over the access
// index's day and month keys): whole months and the days of partial ones,
// the scope, and the index as of an earlier log size.

#include <catch2/catch.hpp>

#include <google/protobuf/util/time_util.h>

#include <set>

#include "projections/runner.h"
#include "services/access/access_event.h"
#include "services/access/access_index.h"
#include "services/access/review_evaluation.h"
#include "services/common/swedish_time.h"
#include "unit/store_test_util.h"

using namespace sparbar;
using namespace sparbar::access;
using namespace sparbar::testing;
using google::protobuf::util::TimeUtil;

namespace {

// One access at 12:00 Swedish time on `day` (YYYY-MM-DD).
void Access(EventStore& store, const std::string& user, const std::string& unit, const std::string& system,
            const std::string& day) {
  static int n = 0;
  pb::AccessRecorded a;
  a.set_user_hsa_id(user);
  a.set_role("handläggare");
  a.set_unit(unit);
  a.set_action(pb::ACTION_READ);
  a.mutable_subject()->set_personal_identity_number("191212121212");
  a.set_source_system(system);
  a.set_source_event_id("e" + std::to_string(++n));
  const auto date = CivilDate::TryParse(day);
  REQUIRE(date);
  const int64_t noon = EndOfStockholmDay(CivilDate::FromDays(date->DaysSinceEpoch() - 1)) + 1 + 12 * 3600'000'000LL;
  *a.mutable_accessed_at() = TimeUtil::MicrosecondsToTimestamp(noon);
  a.set_outcome(pb::OUTCOME_ALLOWED);
  ProposedEvent e;
  e.id = EventIdOf(a);
  e.type = EventType();
  e.content_type = std::string(kContentType);
  e.payload = Serialize(a);
  REQUIRE(store.Append(StreamOf(a), ExpectedRevision::Any(), {e}, "tester").ok());
}

std::set<std::string> Population(const projections::ProjectionRunner& index, const std::string& from,
                                 const std::string& to, uint64_t as_of, const std::vector<std::string>& units = {}) {
  lr::ReviewOpened review;
  review.set_from_date(from);
  review.set_to_date(to);
  for (const auto& u : units) review.add_units(u);
  auto users = DrawPopulation(index, review, as_of);
  REQUIRE(users.ok());
  return {users->begin(), users->end()};
}

}  // namespace

TEST_CASE("A review's population: whole months from month keys, partial ones day by day", "[logreview][sample]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const SubjectKey key = SubjectKey::FromBytes({});
  auto runner = projections::ProjectionRunner::Open(store.get(), std::make_unique<AccessIndexProjection>(&key),
                                                    (dir.path() / "index").string());
  REQUIRE(runner.ok());
  auto& index = **runner;
  REQUIRE(index.Start().ok());

  Access(*store, "SE-anna", "unit-1", "procapita", "2025-06-30");  // the day before the quarter
  Access(*store, "SE-bo", "unit-1", "procapita", "2025-07-01");
  Access(*store, "SE-bo", "unit-1", "procapita", "2025-07-02");  // one key per day and month, read once
  Access(*store, "SE-cecilia", "unit-2", "lifecare", "2025-08-15");
  Access(*store, "SE-dora", "unit-2", "procapita", "2025-09-30");
  Access(*store, "SE-erik", "unit-1", "lifecare", "2025-10-01");  // the day after
  const uint64_t five_in_q3 = store->Size();
  Access(*store, "SE-frida", "unit-3", "procapita", "2025-08-01");
  REQUIRE(index.WaitFor(store->Size(), std::chrono::steady_clock::now() + std::chrono::seconds(10)).ok());

  using S = std::set<std::string>;
  // The quarter: three whole months.
  CHECK(Population(index, "2025-07-01", "2025-09-30", store->Size()) == S{"SE-bo", "SE-cecilia", "SE-dora", "SE-frida"});
  // Partial months at both ends, a whole one between.
  CHECK(Population(index, "2025-06-30", "2025-10-01", store->Size()) ==
        S{"SE-anna", "SE-bo", "SE-cecilia", "SE-dora", "SE-erik", "SE-frida"});
  CHECK(Population(index, "2025-07-02", "2025-09-29", store->Size()) == S{"SE-bo", "SE-cecilia", "SE-frida"});
  // Within one month, and one day.
  CHECK(Population(index, "2025-08-02", "2025-08-31", store->Size()) == S{"SE-cecilia"});
  CHECK(Population(index, "2025-08-01", "2025-08-01", store->Size()) == S{"SE-frida"});
  CHECK(Population(index, "2025-08-16", "2025-09-29", store->Size()).empty());
  // Across a year's end: December whole, January in part.
  CHECK(Population(index, "2024-12-01", "2025-01-15", store->Size()).empty());
  // The scope, and the index as it was before the last access.
  CHECK(Population(index, "2025-07-01", "2025-09-30", store->Size(), {"unit-2"}) == S{"SE-cecilia", "SE-dora"});
  CHECK(Population(index, "2025-07-01", "2025-09-30", five_in_q3) == S{"SE-bo", "SE-cecilia", "SE-dora"});
}
