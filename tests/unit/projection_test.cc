// The projection engine: folding, as-of reads, restarts, rebuilds with an
// identical result, version changes, failures, read-your-writes.

#include <catch2/catch.hpp>

#include <random>
#include <thread>

#include "projections/runner.h"
#include "unit/store_test_util.h"

using namespace sparbar;
using namespace sparbar::projections;
using namespace sparbar::testing;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

ProjectionRunner::Deadline Soon() { return std::chrono::steady_clock::now() + kWait; }

// Counts events per "case-" stream and remembers the last type; "test.close"
// deletes the last type; "test.poison" fails; version 2 keys by "n/" instead.
class CountingProjection final : public Projection {
 public:
  explicit CountingProjection(uint32_t version = 1, std::string prefix = "") : version_(version), prefix_(prefix) {}
  std::string name() const override { return "counting"; }
  std::string StreamPrefix() const override { return prefix_; }
  uint32_t version() const override { return version_; }
  bool Wants(const EventRecord& e) const override { return e.stream.starts_with("case-"); }
  Status Apply(const EventRecord& e, StateWriter& state) override {
    if (e.type == "test.poison") return Status::InvalidArgument("poison payload");
    if (e.type == "test.nul-key") return state.Put(std::string("bad\0key", 7), "x");
    const std::string count_key = (version_ == 1 ? "count/" : "n/") + e.stream;
    auto current = state.Get(count_key);
    if (!current.ok()) return current.status();
    const int n = current->has_value() ? std::stoi(**current) : 0;
    if (Status s = state.Put(count_key, std::to_string(n + 1)); !s.ok()) return s;
    if (e.type == "test.close") return state.Delete("last/" + e.stream);
    return state.Put("last/" + e.stream, e.type);
  }

 private:
  uint32_t version_;
  std::string prefix_;
};

std::unique_ptr<ProjectionRunner> OpenRunner(EventStore* store, const TempDir& dir, uint32_t version = 1,
                                             const std::string& sub = "counting", const std::string& prefix = "") {
  auto r = ProjectionRunner::Open(store, std::make_unique<CountingProjection>(version, prefix),
                                  (dir.path() / sub).string());
  if (!r.ok()) throw std::runtime_error(r.status().ToString());
  REQUIRE(r.value()->Start().ok());
  return std::move(r.value());
}

void Append(EventStore& store, const std::string& stream, const std::string& type, size_t n = 1) {
  auto r = store.Append(stream, ExpectedRevision::Any(), MakeEvents(n, type), "tester");
  REQUIRE(r.ok());
}

std::string Value(const Result<std::optional<std::string>>& r) {
  REQUIRE(r.ok());
  return r->value_or("<none>");
}

}  // namespace

TEST_CASE("a projection folds the events it wants and skips the others") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto runner = OpenRunner(store.get(), dir);
  Append(*store, "case-1", "test.opened");
  Append(*store, "other-1", "test.opened", 5);
  Append(*store, "case-1", "test.decided");
  Append(*store, "case-2", "test.opened");
  REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
  CHECK(runner->position() == 8);
  CHECK(Value(runner->Get("count/case-1")) == "2");
  CHECK(Value(runner->Get("last/case-1")) == "test.decided");
  CHECK(Value(runner->Get("count/case-2")) == "1");
  CHECK(Value(runner->Get("count/other-1")) == "<none>");
  auto counts = runner->Scan("count/");
  REQUIRE(counts.ok());
  REQUIRE(counts->size() == 2);
  CHECK(counts->at(0) == std::pair<std::string, std::string>{"count/case-1", "2"});
  CHECK(counts->at(1) == std::pair<std::string, std::string>{"count/case-2", "1"});
  // A continuation key that sorts before the prefix starts at the prefix.
  auto from_before = runner->Scan("count/", std::nullopt, 0, "aaa");
  REQUIRE(from_before.ok());
  CHECK(*from_before == *counts);
  auto from_within = runner->Scan("count/", std::nullopt, 0, "count/case-1");
  REQUIRE(from_within.ok());
  REQUIRE(from_within->size() == 1);
  CHECK(from_within->at(0).first == "count/case-2");
}

TEST_CASE("a projection that reads only its streams still reaches the end of the log, and resumes there") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto open = [&] { return OpenRunner(store.get(), dir, 1, "prefixed", "case-"); };
  auto runner = open();
  Append(*store, "case-1", "test.opened");
  Append(*store, "other-1", "test.opened", 5);  // the log ends with events it does not read
  REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
  CHECK(runner->position() == 6);
  CHECK(Value(runner->Get("count/case-1")) == "1");
  CHECK(Value(runner->Get("count/other-1")) == "<none>");

  runner.reset();
  Append(*store, "other-2", "test.opened", 3);
  Append(*store, "case-1", "test.decided");
  runner = open();
  REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
  CHECK(runner->position() == 10);
  CHECK(Value(runner->Get("count/case-1")) == "2");
  CHECK(Value(runner->Get("last/case-1")) == "test.decided");
}

TEST_CASE("a projection reads as of any position, deletes included") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto runner = OpenRunner(store.get(), dir);
  Append(*store, "case-1", "test.opened");  // position 0
  Append(*store, "case-1", "test.decided");  // 1
  Append(*store, "case-1", "test.close");    // 2
  Append(*store, "case-2", "test.opened");   // 3
  REQUIRE(runner->WaitFor(4, Soon()).ok());

  CHECK(Value(runner->Get("count/case-1", 0)) == "<none>");
  CHECK(Value(runner->Get("count/case-1", 1)) == "1");
  CHECK(Value(runner->Get("last/case-1", 2)) == "test.decided");
  CHECK(Value(runner->Get("last/case-1", 3)) == "<none>");  // deleted by position 2
  CHECK(Value(runner->Get("count/case-1", 3)) == "3");
  CHECK(Value(runner->Get("last/case-1")) == "<none>");

  auto at2 = runner->Scan("", 2);
  REQUIRE(at2.ok());
  CHECK(at2->size() == 2);  // count/case-1 = 2, last/case-1 = test.decided
  auto paged = runner->Scan("", std::nullopt, 1, "count/case-1");
  REQUIRE(paged.ok());
  REQUIRE(paged->size() == 1);
  CHECK(paged->at(0).first == "count/case-2");

  auto beyond = runner->Get("count/case-1", 5);
  CHECK(beyond.status().code() == Code::kOutOfRange);
}

TEST_CASE("a projection resumes from its stored position after a restart, and a rebuild is identical") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  merkle::Hash before{};
  {
    auto runner = OpenRunner(store.get(), dir);
    for (int i = 0; i < 30; ++i) Append(*store, "case-" + std::to_string(i % 7), "test.step", 3);
    REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
    auto d = runner->Digest();
    REQUIRE(d.ok());
    before = *d;
  }
  for (int i = 0; i < 10; ++i) Append(*store, "case-" + std::to_string(i % 3), "test.step");
  auto runner = OpenRunner(store.get(), dir);
  CHECK(runner->position() >= 90);  // resumed, not rebuilt
  REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
  auto old_view = runner->Digest(90);
  REQUIRE(old_view.ok());
  CHECK(*old_view == before);  // the state as of 90 did not change by going on

  auto incremental = runner->Digest();
  REQUIRE(incremental.ok());
  CHECK(*incremental != *old_view);  // the digest sees the ten later events
  auto fresh = OpenRunner(store.get(), dir, 1, "fresh");
  REQUIRE(fresh->WaitFor(store->Size(), Soon()).ok());
  CHECK(fresh->Digest().value() == *incremental);

  REQUIRE(runner->Rebuild().ok());
  REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
  CHECK(runner->Digest().value() == *incremental);
  CHECK(Value(runner->Get("count/case-0")) == std::to_string(5 * 3 + 4));
}

TEST_CASE("a projection opened with another version of its fold is rebuilt from position 0") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  Append(*store, "case-1", "test.opened", 4);
  {
    auto v1 = OpenRunner(store.get(), dir, 1);
    REQUIRE(v1->WaitFor(4, Soon()).ok());
    CHECK(Value(v1->Get("count/case-1")) == "4");
  }
  auto v2 = OpenRunner(store.get(), dir, 2);
  REQUIRE(v2->WaitFor(4, Soon()).ok());
  CHECK(Value(v2->Get("n/case-1")) == "4");
  CHECK(Value(v2->Get("count/case-1")) == "<none>");  // nothing of version 1 is left
}

TEST_CASE("a failing fold stops the projection at that event, named in every answer") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  Append(*store, "case-1", "test.opened", 2);  // 0, 1
  Append(*store, "case-1", "test.poison");     // 2
  Append(*store, "case-1", "test.opened");     // 3
  auto runner = OpenRunner(store.get(), dir);
  Status waited = runner->WaitFor(4, Soon());
  CHECK(waited.code() == Code::kInvalidArgument);
  CHECK(waited.message().find("projection counting stopped at position 2") != std::string::npos);
  CHECK(runner->position() == 2);  // the events before it are applied, nothing after
  CHECK(runner->Get("count/case-1").status().code() == Code::kInvalidArgument);
  CHECK(!runner->health().ok());
}

TEST_CASE("a key with a NUL byte is refused and stops the projection") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  Append(*store, "case-1", "test.nul-key");
  auto runner = OpenRunner(store.get(), dir);
  Status waited = runner->WaitFor(1, Soon());
  CHECK(waited.code() == Code::kInvalidArgument);
  CHECK(waited.message().find("NUL") != std::string::npos);
  CHECK(runner->position() == 0);
}

TEST_CASE("WaitFor gives read-your-writes, and a deadline when the log is not there yet") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto runner = OpenRunner(store.get(), dir);
  for (int i = 0; i < 20; ++i) {
    auto r = store->Append("case-9", ExpectedRevision::Any(), MakeEvents(1, "test.step"), "tester");
    REQUIRE(r.ok());
    REQUIRE(runner->WaitFor(r->last_position + 1, Soon()).ok());
    CHECK(Value(runner->Get("count/case-9")) == std::to_string(i + 1));
  }
  Status late = runner->WaitFor(1000, std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
  CHECK(late.code() == Code::kDeadlineExceeded);
  CHECK(late.message().find("at position 20") != std::string::npos);
}

TEST_CASE("PositionAtRecordedTime finds what the log had recorded by a time") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  CHECK(PositionAtRecordedTime(*store, NowMicros()).value() == 0);
  std::vector<TimestampMicros> recorded;
  for (int i = 0; i < 9; ++i) {
    Append(*store, "case-t", "test.step", 1 + i % 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  auto all = store->ReadAll({.from_position = 0, .max_count = 1000, .stream_prefix = {}, .event_types = {}});
  REQUIRE(all.ok());
  for (const auto& e : all->events) recorded.push_back(e.recorded_at);
  for (TimestampMicros t : {recorded.front() - 1, recorded.front(), recorded[5], recorded[5] + 1,
                            recorded.back(), recorded.back() + 1000}) {
    uint64_t linear = 0;
    while (linear < recorded.size() && recorded[linear] <= t) ++linear;
    CHECK(PositionAtRecordedTime(*store, t).value() == linear);
  }
}

TEST_CASE("property: following the log while it grows equals a rebuild, for random histories") {
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    CAPTURE(seed);
    TempDir dir;
    auto store = OpenStore(TestOptions(dir));
    std::mt19937 rng(seed);
    auto runner = OpenRunner(store.get(), dir);
    const char* types[] = {"test.opened", "test.step", "test.close"};
    const int appends = 40 + static_cast<int>(rng() % 40);
    for (int i = 0; i < appends; ++i) {
      const std::string stream = (rng() % 4 == 0 ? "other-" : "case-") + std::to_string(rng() % 6);
      Append(*store, stream, types[rng() % 3], 1 + rng() % 4);
      if (rng() % 5 == 0) {
        // Stop and start now and then, as a server restart would.
        runner->Stop();
        REQUIRE(runner->Start().ok());
      }
    }
    REQUIRE(runner->WaitFor(store->Size(), Soon()).ok());
    auto fresh = OpenRunner(store.get(), dir, 1, "fresh");
    REQUIRE(fresh->WaitFor(store->Size(), Soon()).ok());
    for (uint64_t at : {uint64_t{0}, store->Size() / 3, store->Size() / 2, store->Size()}) {
      CAPTURE(at);
      CHECK(runner->Digest(at).value() == fresh->Digest(at).value());
    }
  }
}

TEST_CASE("a dropped event's changes are forgotten, and the batch's earlier changes stay") {
  TempDir dir;
  auto state = VersionedState::Open((dir.path() / "state").string());
  REQUIRE(state.ok());
  auto batch = (*state)->NewBatch();
  batch.SetEvent(0);
  REQUIRE(batch.Put("a", "a0").ok());
  batch.SetEvent(1);  // this event writes, then fails
  REQUIRE(batch.Put("a", "a1").ok());
  REQUIRE(batch.Put("b", "b1").ok());
  REQUIRE(batch.Delete("a").ok());
  batch.DropEvent();
  CHECK(Value(batch.Get("a")) == "a0");
  CHECK(Value(batch.Get("b")) == "<none>");
  batch.SetEvent(2);
  REQUIRE(batch.Put("c", "c2").ok());
  REQUIRE(batch.Delete("a").ok());
  CHECK(Value(batch.Get("a")) == "<none>");
  REQUIRE((*state)->Commit(batch, 3).ok());

  CHECK(Value((*state)->Get("a", 1)) == "a0");
  CHECK(Value((*state)->Get("a", 2)) == "a0");  // event 1 left nothing
  CHECK(Value((*state)->Get("a", 3)) == "<none>");
  CHECK(Value((*state)->Get("b", 3)) == "<none>");
  CHECK(Value((*state)->Get("c", 2)) == "<none>");
  CHECK(Value((*state)->Get("c", 3)) == "c2");
}

TEST_CASE("a batch scans the stored state with its own changes over it, past keys with many versions") {
  TempDir dir;
  auto state = VersionedState::Open((dir.path() / "state").string());
  REQUIRE(state.ok());
  auto batch = (*state)->NewBatch();
  batch.SetEvent(0);
  REQUIRE(batch.Put("p/a", "a0").ok());
  REQUIRE(batch.Put("p/c", "c0").ok());
  REQUIRE(batch.Put("q/x", "x0").ok());
  REQUIRE((*state)->Commit(batch, 1).ok());
  // 20 versions of p/b (positions 1..20), more than a scan steps through before it seeks.
  for (uint64_t p = 1; p <= 20; ++p) {
    batch.SetEvent(p);
    REQUIRE(batch.Put("p/b", "b" + std::to_string(p)).ok());
    REQUIRE((*state)->Commit(batch, p + 1).ok());
  }
  auto joined = [](const std::vector<std::pair<std::string, std::string>>& kv) {
    std::string s;
    for (const auto& [k, v] : kv) s += k + "=" + v + " ";
    return s;
  };
  CHECK(joined((*state)->Scan("p/", 1).value()) == "p/a=a0 p/c=c0 ");
  CHECK(joined((*state)->Scan("p/", 2).value()) == "p/a=a0 p/b=b1 p/c=c0 ");
  CHECK(joined((*state)->Scan("p/", 10).value()) == "p/a=a0 p/b=b9 p/c=c0 ");
  CHECK(joined((*state)->Scan("p/", 21).value()) == "p/a=a0 p/b=b20 p/c=c0 ");
  CHECK(joined((*state)->Scan("p/", 21, 0, "p/a").value()) == "p/b=b20 p/c=c0 ");
  CHECK(joined((*state)->Scan("p/", 21, 2).value()) == "p/a=a0 p/b=b20 ");

  batch.SetEvent(21);
  REQUIRE(batch.Put("p/b", "b21").ok());
  REQUIRE(batch.Delete("p/c").ok());
  REQUIRE(batch.Put("p/d", "d21").ok());
  REQUIRE(batch.Put("q/y", "y21").ok());
  CHECK(joined(batch.Scan("p/").value()) == "p/a=a0 p/b=b21 p/d=d21 ");
  CHECK(joined(batch.Scan("q/").value()) == "q/x=x0 q/y=y21 ");
  CHECK(joined(batch.Scan("r/").value()).empty());
  // Not yet committed: the stored state does not have them.
  CHECK(joined((*state)->Scan("p/", 21).value()) == "p/a=a0 p/b=b20 p/c=c0 ");
}
