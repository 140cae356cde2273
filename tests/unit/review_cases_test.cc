// ReviewCasesProjection: each person's decisions cases for loggkontroll, as
// the log stood at a size, the same whether followed event by event or
// restored from the log at start.

#include <catch2/catch.hpp>

#include "projections/runner.h"
#include "services/access/review_cases.h"
#include "services/decisions/payload.h"
#include "unit/store_test_util.h"

using namespace sparbar;
using namespace sparbar::access;
using namespace sparbar::testing;

namespace {

namespace dp = sparbar::v1::decisions;

constexpr char kP1[] = "191212121212", kP2[] = "193903125676";

void Record(EventStore& store, const std::string& stream, const decisions::Payload& payload) {
  ProposedEvent e = MakeEvent(decisions::TypeOf(payload), decisions::Serialize(payload));
  e.content_type = std::string(decisions::kContentType);
  REQUIRE(store.Append(stream, ExpectedRevision::Any(), {e}, "tester").ok());
}

std::unique_ptr<projections::ProjectionRunner> Open(EventStore* store, const SubjectKey* key, const TempDir& dir) {
  auto r = projections::ProjectionRunner::Open(store, std::make_unique<ReviewCasesProjection>(store, key),
                                               (dir.path() / "cases").string());
  REQUIRE(r.ok());
  REQUIRE(r.value()->Start().ok());
  REQUIRE(r.value()->WaitFor(store->Size(), std::chrono::steady_clock::now() + std::chrono::seconds(10)).ok());
  return std::move(r.value());
}

// "unit from..to" for each of the person's cases as of `as_of`, and the unreadable count.
std::pair<std::vector<std::string>, uint64_t> Spans(const projections::ProjectionRunner& runner, const SubjectKey& key,
                                                    uint64_t as_of) {
  const auto& cases = static_cast<const ReviewCasesProjection&>(runner.projection());
  auto known = cases.CasesAsOf(as_of, {key.Of(kP1)});
  CHECK(known.cases.size() <= 1);  // only the person asked about
  std::vector<std::string> out;
  for (const auto& s : known.cases[key.Of(kP1)]) {
    out.push_back(s.unit + " " + s.from.ToString() + ".." + (s.to ? s.to->ToString() : ""));
  }
  return {out, known.unreadable};
}

}  // namespace

TEST_CASE("A review's cases: each as the log stood, followed or restored", "[logreview][context]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const SubjectKey key = SubjectKey::FromBytes({});
  dp::ApplicationReceived app;
  app.mutable_subject()->set_personal_identity_number(kP1);
  app.set_received_date("2025-01-10");
  app.set_unit("unit-1");
  dp::DecisionMade refused;
  refused.set_outcome(dp::OUTCOME_AVSLAG);
  refused.set_decision_date("2025-02-01");
  dp::ApplicationReceived other = app;
  other.set_unit("unit-2");
  other.set_received_date("2025-03-01");

  Record(*store, "beslut-a", app);                                     // position 0
  Record(*store, "loggkontext-personer", app);                         // 1: not a case stream
  Record(*store, "beslut-a", refused);                                 // 2: case a ends
  REQUIRE(store->Append("beslut-x", ExpectedRevision::Any(), {MakeEvent("beslut.okand", "?")}, "tester").ok());  // 3
  Record(*store, "beslut-b", other);                                   // 4
  dp::ApplicationReceived someone_else = app;
  someone_else.mutable_subject()->set_personal_identity_number(kP2);
  Record(*store, "beslut-c", someone_else);                            // 5
  REQUIRE(store->Size() == 6);

  using V = std::vector<std::string>;
  auto check = [&](const projections::ProjectionRunner& runner) {
    CHECK(Spans(runner, key, 0) == std::pair<V, uint64_t>{{}, 0});
    CHECK(Spans(runner, key, 1) == std::pair<V, uint64_t>{{"unit-1 2025-01-10.."}, 0});
    CHECK(Spans(runner, key, 3) == std::pair<V, uint64_t>{{"unit-1 2025-01-10..2025-02-01"}, 0});
    CHECK(Spans(runner, key, 4) == std::pair<V, uint64_t>{{"unit-1 2025-01-10..2025-02-01"}, 1});
    CHECK(Spans(runner, key, 6) ==
          std::pair<V, uint64_t>{{"unit-1 2025-01-10..2025-02-01", "unit-2 2025-03-01.."}, 1});
    const auto& cases = static_cast<const ReviewCasesProjection&>(runner.projection());
    auto both = cases.CasesAsOf(6, {key.Of(kP1), key.Of(kP2)});
    CHECK(both.cases.size() == 2);
    CHECK(both.cases[key.Of(kP2)].size() == 1);
    CHECK(cases.CasesAsOf(5, {key.Of(kP2)}).cases.empty());
  };
  {
    TempDir state;
    auto followed = Open(store.get(), &key, state);  // from position 0, event by event
    check(*followed);
  }
  TempDir state;
  Open(store.get(), &key, state).reset();  // its position stored: the next one restores from the log
  auto restored = Open(store.get(), &key, state);
  check(*restored);
}
