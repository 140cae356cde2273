// EventStore appends: positions, revisions, expected revisions, idempotency,
// validation, deadlines. Each failure case checks that nothing was written.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "store_test_util.h"

using namespace sparbar;
using namespace sparbar::testing;

TEST_CASE("positions are gap-free across the log and revisions per stream", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto a = store->Append("beslut-1", ExpectedRevision::Any(), MakeEvents(3), "handlaggare-1");
  REQUIRE(a.ok());
  CHECK(a->first_position == 0);
  CHECK(a->last_position == 2);
  CHECK(a->first_revision == 0);
  CHECK(a->last_revision == 2);
  CHECK_FALSE(a->duplicate);
  CHECK(a->log_size == 3);
  auto b = store->Append("beslut-2", ExpectedRevision::Any(), MakeEvents(2), "handlaggare-1");
  REQUIRE(b.ok());
  CHECK(b->first_position == 3);
  CHECK(b->first_revision == 0);
  auto c = store->Append("beslut-1", ExpectedRevision::Any(), MakeEvents(1), "handlaggare-2");
  REQUIRE(c.ok());
  CHECK(c->first_position == 5);
  CHECK(c->first_revision == 3);
  CHECK(store->Size() == 6);

  auto all = store->ReadAll({});
  REQUIRE(all.ok());
  REQUIRE(all->events.size() == 6);
  for (size_t i = 0; i < 6; ++i) CHECK(all->events[i].position == i);
  CHECK(all->events[5].metadata.actor == "handlaggare-2");
  CHECK(all->end_of_log);
}

TEST_CASE("event records carry what was proposed plus server-set fields", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  ProposedEvent e = MakeEvent("avvikelse.rapporterad", "{\"allvarlighetsgrad\":3}");
  e.correlation_id = "corr-9";
  e.causation_id = "cause-8";
  e.occurred_at = 1704067200000000;  // the client's claim: 2024-01-01
  ProposedEvent f = MakeEvent();     // no occurred_at: defaults to recorded_at
  const TimestampMicros before = NowMicros();
  REQUIRE(store->Append("avvikelse-1", ExpectedRevision::NoStream(), {e, f}, "sas-1").ok());
  auto page = store->ReadStream("avvikelse-1", {});
  REQUIRE(page.ok());
  REQUIRE(page->events.size() == 2);
  const EventRecord& r = page->events[0];
  CHECK(r.id == e.id);
  CHECK(r.type == "avvikelse.rapporterad");
  CHECK(r.content_type == "application/json");
  CHECK(r.payload == e.payload);
  CHECK(r.metadata.actor == "sas-1");
  CHECK(r.metadata.correlation_id == "corr-9");
  CHECK(r.metadata.causation_id == "cause-8");
  CHECK(r.occurred_at == 1704067200000000);
  CHECK(r.recorded_at >= before);
  CHECK(page->events[1].occurred_at == page->events[1].recorded_at);
}

TEST_CASE("recorded_at never decreases", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  for (int i = 0; i < 50; ++i) {
    REQUIRE(store->Append("s-" + std::to_string(i % 3), ExpectedRevision::Any(), MakeEvents(1), "a").ok());
  }
  auto all = store->ReadAll({});
  REQUIRE(all.ok());
  for (size_t i = 1; i < all->events.size(); ++i) {
    CHECK(all->events[i].recorded_at >= all->events[i - 1].recorded_at);
  }
}

TEST_CASE("expected revision: any, no stream, stream exists, exact", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  const std::string s = "arende-7";

  SECTION("stream exists fails on a new stream and writes nothing") {
    auto r = store->Append(s, ExpectedRevision::StreamExists(), MakeEvents(1), "a");
    CHECK(r.status().code() == Code::kAborted);
    CHECK(r.status().message().find("does not exist") != std::string::npos);
    CHECK(store->Size() == 0);
  }
  SECTION("exact fails on a new stream") {
    CHECK(store->Append(s, ExpectedRevision::Exact(0), MakeEvents(1), "a").status().code() ==
          Code::kAborted);
    CHECK(store->Size() == 0);
  }
  SECTION("no stream, then exact, then the conflicts") {
    REQUIRE(store->Append(s, ExpectedRevision::NoStream(), MakeEvents(2), "a").ok());
    auto again = store->Append(s, ExpectedRevision::NoStream(), MakeEvents(1), "a");
    CHECK(again.status().code() == Code::kAborted);
    CHECK(again.status().message().find("revision 1") != std::string::npos);
    CHECK(store->Append(s, ExpectedRevision::Exact(0), MakeEvents(1), "a").status().code() ==
          Code::kAborted);
    CHECK(store->Append(s, ExpectedRevision::Exact(2), MakeEvents(1), "a").status().code() ==
          Code::kAborted);
    CHECK(store->Size() == 2);
    auto ok = store->Append(s, ExpectedRevision::Exact(1), MakeEvents(1), "a");
    REQUIRE(ok.ok());
    CHECK(ok->first_revision == 2);
    REQUIRE(store->Append(s, ExpectedRevision::StreamExists(), MakeEvents(1), "a").ok());
    REQUIRE(store->Append(s, ExpectedRevision::Any(), MakeEvents(1), "a").ok());
    CHECK(store->Size() == 5);
  }
}

TEST_CASE("a retry with the same ids is idempotent", "[store]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  auto store = OpenStore(opts);
  REQUIRE(store->Append("other", ExpectedRevision::Any(), MakeEvents(2), "a").ok());
  auto events = MakeEvents(3);
  auto first = store->Append("lex-sarah-1", ExpectedRevision::NoStream(), events, "sas-1");
  REQUIRE(first.ok());
  // The retry's expected revision no longer holds, but it is recognised first.
  auto retry = store->Append("lex-sarah-1", ExpectedRevision::NoStream(), events, "sas-1");
  REQUIRE(retry.ok());
  CHECK(retry->duplicate);
  CHECK(retry->first_position == first->first_position);
  CHECK(retry->last_position == first->last_position);
  CHECK(retry->first_revision == 0);
  CHECK(retry->last_revision == 2);
  CHECK(store->Size() == 5);

  SECTION("also after a restart") {
    store.reset();
    store = OpenStore(opts);
    auto again = store->Append("lex-sarah-1", ExpectedRevision::Any(), events, "sas-1");
    REQUIRE(again.ok());
    CHECK(again->duplicate);
    CHECK(again->first_position == 2);
    CHECK(store->Size() == 5);
  }
  SECTION("an id reused for different content is rejected") {
    auto changed = events;
    changed[1].payload = "{\"changed\":true}";
    auto r = store->Append("lex-sarah-1", ExpectedRevision::Any(), changed, "sas-1");
    CHECK(r.status().code() == Code::kAlreadyExists);
    CHECK(r.status().message().find(events[1].id.ToString()) != std::string::npos);
    CHECK(store->Size() == 5);
  }
  SECTION("an id reused on another stream is rejected") {
    CHECK(store->Append("lex-sarah-2", ExpectedRevision::Any(), events, "sas-1").status().code() ==
          Code::kAlreadyExists);
    CHECK(store->Size() == 5);
  }
  SECTION("a partial retry is rejected") {
    std::vector<ProposedEvent> mixed = {events[0], MakeEvent()};
    CHECK(store->Append("lex-sarah-1", ExpectedRevision::Any(), mixed, "sas-1").status().code() ==
          Code::kAlreadyExists);
    CHECK(store->Size() == 5);
  }
}

TEST_CASE("concurrent identical appends are written once", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto events = MakeEvents(2);
  std::vector<std::thread> threads;
  std::vector<Result<AppendResult>> results(8, Status::Internal("not run"));
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { results[i] = store->Append("x", ExpectedRevision::Any(), events, "a"); });
  }
  for (auto& t : threads) t.join();
  int originals = 0;
  for (auto& r : results) {
    REQUIRE(r.ok());
    CHECK(r->first_position == 0);
    originals += !r->duplicate;
  }
  CHECK(originals == 1);
  CHECK(store->Size() == 2);
}

TEST_CASE("bad input is rejected with a message naming the problem", "[store]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  opts.limits.max_payload_bytes = 1024;
  auto store = OpenStore(opts);
  auto check = [&](const std::string& stream, std::vector<ProposedEvent> events, Code code,
                   const std::string& words, const std::string& actor = "a") {
    auto r = store->Append(stream, ExpectedRevision::Any(), std::move(events), actor);
    CHECK(r.status().code() == code);
    CHECK_THAT(r.status().message(), Catch::Contains(words));
  };
  check("", MakeEvents(1), Code::kInvalidArgument, "stream name is empty");
  check(std::string(257, 's'), MakeEvents(1), Code::kInvalidArgument, "stream name is 257 bytes");
  check("a\nb", MakeEvents(1), Code::kInvalidArgument, "control character");
  check(std::string("a\0b", 3), MakeEvents(1), Code::kInvalidArgument, "control character");
  check("bad-\xff-utf8", MakeEvents(1), Code::kInvalidArgument, "invalid UTF-8");
  check("s", {}, Code::kInvalidArgument, "no events");
  check("s", {MakeEvent("t", std::string(1025, 'x'))}, Code::kResourceExhausted, "payload is 1025 bytes");
  check("s", {MakeEvent("")}, Code::kInvalidArgument, "event 0: type is empty");
  auto e = MakeEvent();
  check("s", {e, e}, Code::kInvalidArgument, "appears twice");
  check("s", MakeEvents(1), Code::kInvalidArgument, "actor is empty", "");
  CHECK(store->Size() == 0);
  // Swedish letters are fine in stream names.
  CHECK(store->Append("klagomål-Luleå", ExpectedRevision::Any(), MakeEvents(1), "a").ok());
}

TEST_CASE("an append whose deadline has passed writes nothing", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto r = store->Append("s", ExpectedRevision::Any(), MakeEvents(1), "a",
                         std::chrono::steady_clock::now() - std::chrono::milliseconds(1));
  CHECK(r.status().code() == Code::kDeadlineExceeded);
  CHECK(store->Size() == 0);
}

TEST_CASE("a closed store refuses appends and keeps what it acknowledged", "[store]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  auto store = OpenStore(opts);
  REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(4), "a").ok());
  store->Close();
  CHECK(store->Append("s", ExpectedRevision::Any(), MakeEvents(1), "a").status().code() ==
        Code::kUnavailable);
  store.reset();
  store = OpenStore(opts);
  CHECK(store->Size() == 4);
  auto next = store->Append("s", ExpectedRevision::Exact(3), MakeEvents(1), "a");
  REQUIRE(next.ok());
  CHECK(next->first_position == 4);
  CHECK(next->first_revision == 4);
}

TEST_CASE("concurrent appends from many threads stay gap-free", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  constexpr int kThreads = 16, kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto expected = i == 0 ? ExpectedRevision::NoStream() : ExpectedRevision::Exact(i - 1);
        auto r = store->Append("stream-" + std::to_string(t), expected, MakeEvents(1), "a");
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(store->Size() == kThreads * kPerThread);
  auto all = store->ReadAll({.from_position = 0, .max_count = 1000});
  REQUIRE(all.ok());
  REQUIRE(all->events.size() == kThreads * kPerThread);
  std::map<std::string, uint64_t> next_revision;
  for (size_t i = 0; i < all->events.size(); ++i) {
    CHECK(all->events[i].position == i);
    CHECK(all->events[i].revision == next_revision[all->events[i].stream]++);
  }
}

TEST_CASE("concurrent appends share synced writes (group commit)", "[store][group-commit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  opts.checkpoint_every_events = 1000000;
  auto store = OpenStore(opts);
  constexpr int kThreads = 32, kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        REQUIRE(store->Append("s-" + std::to_string(t), ExpectedRevision::Any(), MakeEvents(1), "a").ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  StoreStats stats = store->Stats();
  INFO("appends " << stats.appends << ", synced writes " << stats.synced_writes);
  CHECK(stats.appends == kThreads * kPerThread);
  CHECK(stats.events_written == kThreads * kPerThread);
  // With 32 writers waiting on each sync, batches must hold several appends.
  CHECK(stats.synced_writes * 4 < stats.appends);
}
