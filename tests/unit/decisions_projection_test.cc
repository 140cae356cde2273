// The decisions case-facts projection over a real event store: the report
// from the projection, its two time views, garbage on a case stream, rebuilds,
// and no personnummer in its files.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <random>
#include <thread>

#include "services/decisions/case_facts_projection.h"
#include "services/decisions/ej_verkstallda.h"
#include "unit/kalix_q1_2024.h"
#include "unit/store_test_util.h"

using namespace sparbar;
using namespace sparbar::decisions;
using namespace sparbar::decisions::testing;
using namespace sparbar::testing;

namespace {

constexpr auto kWait = std::chrono::seconds(20);

// Appends a case's events to its stream, each at the revision it expects.
void AppendCase(EventStore& store, const std::string& stream, const std::vector<Payload>& events, uint64_t first = 0) {
  uint64_t revision = first;
  for (const auto& p : events) {
    ProposedEvent e;
    e.id = Uuid::Random();
    e.type = TypeOf(p);
    e.content_type = std::string(kContentType);
    e.payload = Serialize(p);
    auto expected = revision == 0 ? ExpectedRevision::NoStream() : ExpectedRevision::Exact(revision - 1);
    auto r = store.Append(stream, expected, {e}, "handlaggare");
    INFO(stream << " " << e.type << ": " << r.status().ToString());
    REQUIRE(r.ok());
    ++revision;
  }
}

std::unique_ptr<projections::ProjectionRunner> OpenFacts(EventStore* store, const TempDir& dir,
                                                         const std::string& sub = "facts") {
  auto r = projections::ProjectionRunner::Open(store, std::make_unique<CaseFactsProjection>(store, &Catalogue()),
                                               (dir.path() / sub).string());
  REQUIRE(r.ok());
  REQUIRE(r.value()->Start().ok());
  return std::move(r.value());
}

EjVerkstalldaOptions Q1() { return QuarterOptions("2024Q1").value(); }

// The correction of the event at history index `target` of `s` into
// `replacement`, as the decider accepts it on the committee's meeting day.
Payload Correction(const CaseState& s, uint64_t target, const google::protobuf::MessageLite& replacement,
                   const std::string& reason) {
  pb::Corrected fix;
  fix.set_target_revision(target);
  fix.set_reason(reason);
  fix.set_replacement_payload(replacement.SerializeAsString());
  auto corrected = Decide(s, fix, DecideContext{CivilDate{2024, 5, 22}, &Catalogue()});
  INFO(corrected.status().ToString());
  REQUIRE(corrected.ok());
  return std::move(corrected.value());
}

// Whether any key or value of the projection's stored state holds `needle`
// (it only ever stores "skipped/" entries, which hold event types).
bool StateContains(const projections::ProjectionRunner& runner, const std::string& needle) {
  auto all = runner.Scan("");
  REQUIRE(all.ok());
  for (const auto& [key, value] : *all) {
    if (key.find(needle) != std::string::npos || value.find(needle) != std::string::npos) return true;
  }
  return false;
}

// The projection's in-memory facts of every case, once it has the whole log.
std::vector<pb::CaseFacts> Latest(const projections::ProjectionRunner& runner, const EventStore& store) {
  const auto& projection = dynamic_cast<const CaseFactsProjection&>(runner.projection());
  uint64_t at = 0;
  auto facts = projection.LatestFacts("", store.Size(), std::chrono::steady_clock::now() + kWait, &at);
  REQUIRE(facts.ok());
  CHECK(at == store.Size());
  return std::move(facts.value());
}

// CaseFactsAsOf as protobuf facts, in case id order.
Result<std::vector<pb::CaseFacts>> ProtosAsOf(const projections::ProjectionRunner& runner,
                                              std::optional<uint64_t> as_of = std::nullopt) {
  auto facts = CaseFactsAsOf(runner, as_of);
  if (!facts.ok()) return facts.status();
  return facts->ToProtos();
}

// Facts compared field by field, through their wire form.
std::vector<std::string> Wire(const std::vector<pb::CaseFacts>& facts) {
  std::vector<std::string> out;
  for (const auto& f : facts) out.push_back(f.SerializeAsString());
  return out;
}

bool AnyFileContains(const std::filesystem::path& dir, const std::string& needle) {
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (bytes.str().find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the report from the projection equals the report from the cases' own folds") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  std::vector<pb::CaseFacts> direct;
  for (const auto& r : kRows) {
    CaseState s;
    AppendCase(*store, KalixCaseId(r), KalixEvents(r, &s));
    direct.push_back(FactsOf(KalixCaseId(r), s, Catalogue()));
  }
  auto runner = OpenFacts(store.get(), dir);
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  auto facts = CaseFactsAsOf(*runner);
  REQUIRE(facts.ok());
  REQUIRE(facts->size() == std::size(kRows));
  const auto from_projection = ComputeEjVerkstallda(*facts, Q1());
  const auto from_folds = ComputeEjVerkstallda(direct, Q1());
  CHECK(from_projection.rows.size() == 22);
  CHECK(from_projection.total == from_folds.total);
  CHECK(from_projection.by_lagrum == from_folds.by_lagrum);
  REQUIRE(from_projection.rows.size() == from_folds.rows.size());
  for (size_t i = 0; i < from_folds.rows.size(); ++i) {
    CHECK(from_projection.rows[i].case_id == from_folds.rows[i].case_id);
    CHECK(from_projection.rows[i].days_waited == from_folds.rows[i].days_waited);
    CHECK(from_projection.rows[i].reason == from_folds.rows[i].reason);
  }

  // The in-memory table holds each case's own fold, and a rebuild from
  // position 0 holds the same.
  std::sort(direct.begin(), direct.end(), [](const auto& x, const auto& y) { return x.case_id() < y.case_id(); });
  const auto before = Latest(*runner, *store);
  CHECK(Wire(before) == Wire(direct));
  CHECK(Wire(facts->ToProtos()) == Wire(direct));
  REQUIRE(runner->Rebuild().ok());
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  CHECK(Wire(Latest(*runner, *store)) == Wire(before));
}

TEST_CASE("a fold as of a position asks before every page and stops with the status it is given") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  for (const auto& r : kRows) AppendCase(*store, KalixCaseId(r), KalixEvents(r));
  auto runner = OpenFacts(store.get(), dir);
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());

  int asked = 0;
  auto all = CaseFactsAsOf(*runner, std::nullopt, [&] {
    ++asked;
    return Status::Ok();
  });
  REQUIRE(all.ok());
  CHECK(all->size() == std::size(kRows));
  CHECK(asked >= 1);

  asked = 0;
  auto stopped = CaseFactsAsOf(*runner, std::nullopt, [&] {
    ++asked;
    return Status::DeadlineExceeded("the caller has gone");
  });
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().code() == Code::kDeadlineExceeded);
  CHECK(stopped.status().message() == "the caller has gone");
  CHECK(asked == 1);  // asked before the first page, and not read on
}

TEST_CASE("what we knew at the quarter's end differs from what was true, when an event is recorded late") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const KalixRow* late_case = nullptr;
  for (const auto& r : kRows) {
    AppendCase(*store, KalixCaseId(r), KalixEvents(r));
    if (r.line == 684) late_case = &r;  // decided 2023-11-28, still waiting in the printed table
  }
  REQUIRE(late_case != nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const TimestampMicros known_then = NowMicros();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));

  // Recorded now: the case had in fact been executed on 2024-02-20, within three months.
  CaseState s;
  const auto events = KalixEvents(*late_case, &s);
  pb::Executed executed;
  executed.set_start_date("2024-02-20");
  auto late = Decide(s, executed, DecideContext{CivilDate{2024, 5, 22}, &Catalogue()});
  REQUIRE(late.ok());
  AppendCase(*store, KalixCaseId(*late_case), {*late}, events.size());

  auto runner = OpenFacts(store.get(), dir);
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  const uint64_t then = projections::PositionAtRecordedTime(*store, known_then).value();
  CHECK(then == store->Size() - 1);

  const auto knew = ComputeEjVerkstallda(CaseFactsAsOf(*runner, then).value(), Q1());
  const auto was_true = ComputeEjVerkstallda(CaseFactsAsOf(*runner).value(), Q1());
  CHECK(knew.rows.size() == 22);
  CHECK(was_true.rows.size() == 21);
  auto has = [](const EjVerkstalldaReport& r, const std::string& id) {
    return std::any_of(r.rows.begin(), r.rows.end(), [&](const auto& row) { return row.case_id == id; });
  };
  CHECK(has(knew, "beslut-kalix-L684"));
  CHECK(!has(was_true, "beslut-kalix-L684"));
}

TEST_CASE("garbage on a case stream is recorded as skipped, and no personnummer reaches the projection's files") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  AppendCase(*store, KalixCaseId(kRows[0]), KalixEvents(kRows[0]));
  AppendCase(*store, KalixCaseId(kRows[12]), KalixEvents(kRows[12]));  // a child's case
  ProposedEvent junk = MakeEvent("sparbar.v1.decisions.Executed", "not protobuf \xff\xff");
  REQUIRE(store->Append("beslut-junk", ExpectedRevision::Any(), {junk}, "someone").ok());
  const uint64_t junk_position = store->Size() - 1;

  auto runner = OpenFacts(store.get(), dir);
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  CHECK(runner->health().ok());
  auto skipped = runner->Get("skipped/" + std::to_string(junk_position));
  REQUIRE(skipped.ok());
  CHECK(skipped->value_or("") == "sparbar.v1.decisions.Executed");
  CHECK(CaseFactsAsOf(*runner).value().size() == 2);

  // The store holds the numbers (that is the log); the projection must not.
  // Its files are compressed, so the check reads its state: every key and
  // every value it stored.
  CHECK(AnyFileContains(dir.path() / "data", "191212121212"));
  CHECK(StateContains(*runner, "skipped/"));
  CHECK(!StateContains(*runner, "191212121212"));
  CHECK(!StateContains(*runner, "201212121212"));
  CHECK(!StateContains(*runner, "1212121212"));  // nor the 10-digit form
}

TEST_CASE("a correction of the application is stored without the new personnummer, and its facts count") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const KalixRow& row = kRows[0];
  CaseState s;
  std::vector<Payload> events = KalixEvents(row, &s);
  // The application named the wrong person: the right one (born 1981, a man) replaces it.
  pb::ApplicationReceived right = std::get<pb::ApplicationReceived>(events[0]);
  right.mutable_subject()->set_personal_identity_number("811228-9874");
  right.mutable_subject()->set_sex(pb::SEX_MAN);
  const Payload corrected = Correction(s, 0, right, "fel person");

  // Another case in between: the correction folds its case again from the log.
  auto runner = OpenFacts(store.get(), dir, "facts");
  AppendCase(*store, KalixCaseId(row), events);
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  AppendCase(*store, KalixCaseId(kRows[1]), KalixEvents(kRows[1]));
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  AppendCase(*store, KalixCaseId(row), {corrected}, events.size());
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  auto facts = ProtosAsOf(*runner);
  REQUIRE(facts.ok());
  REQUIRE(facts->size() == 2);  // in case id order: L<row> sorts before L<kRows[1]>
  REQUIRE(facts->at(0).case_id() == KalixCaseId(row));
  CHECK(facts->at(0).sex() == pb::SEX_MAN);
  auto before = ProtosAsOf(*runner, store->Size() - 1);
  REQUIRE(before.ok());
  REQUIRE(before->size() == 2);
  CHECK(before->at(0).sex() == std::get<pb::ApplicationReceived>(events[0]).subject().sex());
  CHECK(before->at(0).sex() != pb::SEX_MAN);
  // The in-memory table has the corrected case too.
  const auto& latest = dynamic_cast<const CaseFactsProjection&>(runner->projection());
  uint64_t at = 0;
  auto report = latest.ReportLatest(Q1(), store->Size(), std::chrono::steady_clock::now() + kWait, &at);
  REQUIRE(report.ok());
  CHECK(report->total == ComputeEjVerkstallda(*facts, Q1()).total);

  CHECK(AnyFileContains(dir.path() / "data", "198112289874"));  // the log has it
  // The projection stores nothing of a case: nothing at all here.
  auto stored = runner->Scan("");
  REQUIRE(stored.ok());
  CHECK(stored->empty());
}

TEST_CASE("a correction after a foreign event on the case stream corrects the revision it names") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const KalixRow& row = kRows[0];
  CaseState s;
  std::vector<Payload> events = KalixEvents(row, &s);
  REQUIRE(std::holds_alternative<pb::DecisionMade>(events[2]));
  // The decision (history index 2) was dated wrongly.
  pb::DecisionMade right = std::get<pb::DecisionMade>(events[2]);
  right.set_decision_date(DaysFrom(row.decided, -10));
  Payload corrected = Correction(s, 2, right, "fel datum");

  // Through the raw API, a foreign event lands at revision 1, so the
  // decision is at revision 3 of the stream, and the correction names that.
  const std::string stream = KalixCaseId(row);
  AppendCase(*store, stream, {events[0]});
  REQUIRE(store->Append(stream, ExpectedRevision::Exact(0), {MakeEvent("other.module.note")}, "someone").ok());
  AppendCase(*store, stream, std::vector<Payload>(events.begin() + 1, events.end()), 2);
  std::get<pb::Corrected>(corrected).set_target_revision(3);
  AppendCase(*store, stream, {corrected}, events.size() + 1);

  auto runner = OpenFacts(store.get(), dir);
  REQUIRE(runner->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
  REQUIRE(runner->health().ok());
  auto facts = ProtosAsOf(*runner);  // folded from the log
  REQUIRE(facts.ok());
  REQUIRE(facts->size() == 1);
  CHECK(facts->at(0).decision_date() == right.decision_date());
  auto before = ProtosAsOf(*runner, store->Size() - 1);
  REQUIRE(before.ok());
  CHECK(before->at(0).decision_date() == row.decided);
}

TEST_CASE("property: the report from a projection followed incrementally equals one from a rebuild, for random histories") {
  const DecideContext context{CivilDate{2024, 6, 30}, &Catalogue()};
  for (uint32_t seed : {11u, 12u, 13u}) {
    CAPTURE(seed);
    TempDir dir;
    auto store = OpenStore(TestOptions(dir));
    auto incremental = OpenFacts(store.get(), dir, "incremental");
    std::mt19937 rng(seed);
    auto date_after = [&](const CivilDate& d, int max_days) {
      return CivilDate::FromDays(d.DaysSinceEpoch() + 1 + static_cast<int>(rng() % max_days)).ToString();
    };
    std::vector<pb::CaseFacts> direct;
    struct Pending {
      std::string id;
      std::vector<Payload> events;
      size_t next;
    };
    std::vector<Pending> pending;
    const int cases = 30 + static_cast<int>(rng() % 20);
    for (int c = 0; c < cases; ++c) {
      // Each case: the application and decision, then random steps; refused steps are not appended.
      const KalixRow& template_row = kRows[rng() % std::size(kRows)];
      CaseState s;
      std::vector<Payload> events = KalixEvents(template_row, &s);
      std::vector<Payload> kept(events.begin(), events.begin() + 3);  // application, investigation, decision
      s = Fold(kept);
      const CivilDate decided = *s.decided;
      for (int step = 0; step < 6; ++step) {
        Payload proposal;
        switch (rng() % 6) {
          case 0: { pb::Executed m; m.set_start_date(date_after(decided, 500)); proposal = m; break; }
          case 1: { pb::Interrupted m; m.set_interrupted_date(date_after(decided, 700)); m.set_reason("ohalsa"); proposal = m; break; }
          case 2: { pb::Resumed m; m.set_resumed_date(date_after(decided, 900)); proposal = m; break; }
          case 3: { pb::DelayReasonNoted m; m.set_noted_date(date_after(decided, 200)); m.set_reason_code("saknar_plats"); proposal = m; break; }
          case 4: { pb::ClosedUnexecuted m; m.set_closed_date(date_after(decided, 600)); m.set_reason(pb::END_REASON_MOVED); proposal = m; break; }
          default: {
            pb::Corrected m;  // move the decision date
            m.set_target_revision(2);
            m.set_reason("fel datum");
            pb::DecisionMade d = std::get<pb::DecisionMade>(kept[2]);
            d.set_decision_date(CivilDate::FromDays(decided.DaysSinceEpoch() - static_cast<int>(rng() % 10)).ToString());
            m.set_replacement_payload(d.SerializeAsString());
            proposal = m;
          }
        }
        auto e = Decide(s, proposal, context);
        if (!e.ok()) continue;
        kept.push_back(*e);
        s = Evolve(std::move(s), *e);
      }
      const std::string id = "beslut-random-" + std::to_string(c);
      pending.push_back({id, kept, 0});
      direct.push_back(FactsOf(id, s, Catalogue()));
    }
    // The cases' events interleaved in the log, as they are over months.
    while (!pending.empty()) {
      const size_t i = rng() % pending.size();
      auto& p = pending[i];
      AppendCase(*store, p.id, {p.events[p.next]}, p.next);
      if (++p.next == p.events.size()) pending.erase(pending.begin() + static_cast<long>(i));
      if (rng() % 40 == 0) {  // stop and start the follower now and then
        incremental->Stop();
        REQUIRE(incremental->Start().ok());
      }
    }
    REQUIRE(incremental->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
    auto rebuilt = OpenFacts(store.get(), dir, "rebuilt");
    REQUIRE(rebuilt->WaitFor(store->Size(), std::chrono::steady_clock::now() + kWait).ok());
    CHECK(incremental->Digest().value() == rebuilt->Digest().value());
    // Case by case, the facts folded event by event are those of each case's whole fold.
    std::sort(direct.begin(), direct.end(), [](const auto& x, const auto& y) { return x.case_id() < y.case_id(); });
    CHECK(Wire(Latest(*incremental, *store)) == Wire(direct));
    CHECK(Wire(Latest(*rebuilt, *store)) == Wire(direct));
    CHECK(Wire(CaseFactsAsOf(*incremental).value().ToProtos()) == Wire(direct));

    size_t reported = 0;
    for (const char* quarter : {"2023Q3", "2023Q4", "2024Q1", "2024Q2"}) {
      CAPTURE(quarter);
      const auto options = QuarterOptions(quarter).value();
      const auto a = ComputeEjVerkstallda(CaseFactsAsOf(*incremental).value(), options);
      const auto b = ComputeEjVerkstallda(CaseFactsAsOf(*rebuilt).value(), options);
      const auto c = ComputeEjVerkstallda(direct, options);
      CHECK(a.total == b.total);
      CHECK(a.total == c.total);
      REQUIRE(a.rows.size() == b.rows.size());
      REQUIRE(a.rows.size() == c.rows.size());
      for (size_t i = 0; i < a.rows.size(); ++i) {
        CHECK(a.rows[i].case_id == b.rows[i].case_id);
        CHECK(a.rows[i].case_id == c.rows[i].case_id);
        CHECK(a.rows[i].days_waited == c.rows[i].days_waited);
      }
      // The in-memory table gives the same report as the fold of the log,
      // both for the follower (restored at each restart) and for the rebuild.
      for (const auto* runner : {incremental.get(), rebuilt.get()}) {
        const auto& latest = dynamic_cast<const CaseFactsProjection&>(runner->projection());
        uint64_t at = 0;
        const auto m = latest.ReportLatest(options, store->Size(), std::chrono::steady_clock::now() + kWait, &at);
        REQUIRE(m.ok());
        CHECK(at == store->Size());
        CHECK(m->total == a.total);
        CHECK(m->by_lagrum == a.by_lagrum);
        REQUIRE(m->rows.size() == a.rows.size());
        for (size_t i = 0; i < a.rows.size(); ++i) {
          CHECK(m->rows[i].case_id == a.rows[i].case_id);
          CHECK(m->rows[i].days_waited == a.rows[i].days_waited);
          CHECK(m->rows[i].reason == a.rows[i].reason);
          CHECK(m->rows[i].executed_date == a.rows[i].executed_date);
        }
      }
      reported += a.rows.size();
    }
    CHECK(reported > 10);  // the histories do produce reports to compare

    // A follower opened again at its stored position restores the same table.
    incremental.reset();
    auto reopened = OpenFacts(store.get(), dir, "incremental");
    CHECK(Wire(Latest(*reopened, *store)) == Wire(direct));
    const auto options = QuarterOptions("2024Q1").value();
    uint64_t at = 0;
    const auto& latest = dynamic_cast<const CaseFactsProjection&>(reopened->projection());
    const auto restored = latest.ReportLatest(options, store->Size(), std::chrono::steady_clock::now() + kWait, &at);
    REQUIRE(restored.ok());
    CHECK(restored->total == ComputeEjVerkstallda(CaseFactsAsOf(*rebuilt).value(), options).total);
    CHECK(restored->rows.size() == ComputeEjVerkstallda(CaseFactsAsOf(*rebuilt).value(), options).rows.size());
  }
}
