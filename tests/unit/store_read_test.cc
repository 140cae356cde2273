// EventStore reads and subscriptions: pagination, direction, filters, catch-up
// then live with no gap and no duplicate.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "eventstore/codec.h"
#include "store_test_util.h"

using namespace sparbar;
using namespace sparbar::testing;

TEST_CASE("a stream reads forwards and backwards in pages", "[store][read]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  for (int i = 0; i < 5; ++i) {
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(5), "a").ok());
    REQUIRE(store->Append("noise", ExpectedRevision::Any(), MakeEvents(1), "a").ok());
  }
  // Forwards, pages of 7.
  std::vector<uint64_t> revisions;
  ReadStreamOptions o;
  o.max_count = 7;
  while (true) {
    auto page = store->ReadStream("s", o);
    REQUIRE(page.ok());
    for (auto& e : page->events) revisions.push_back(e.revision);
    if (page->end_of_stream) break;
    o.from_revision = page->next_revision;
  }
  REQUIRE(revisions.size() == 25);
  for (uint64_t i = 0; i < 25; ++i) CHECK(revisions[i] == i);

  // Backwards from the end, pages of 10.
  revisions.clear();
  ReadStreamOptions b;
  b.backwards = true;
  b.from_end = true;
  b.max_count = 10;
  while (true) {
    auto page = store->ReadStream("s", b);
    REQUIRE(page.ok());
    for (auto& e : page->events) revisions.push_back(e.revision);
    if (page->end_of_stream) break;
    b.from_end = false;
    b.from_revision = page->next_revision;
  }
  REQUIRE(revisions.size() == 25);
  for (uint64_t i = 0; i < 25; ++i) CHECK(revisions[i] == 24 - i);

  // Backwards from a revision.
  ReadStreamOptions mid;
  mid.backwards = true;
  mid.from_revision = 3;
  auto page = store->ReadStream("s", mid);
  REQUIRE(page.ok());
  REQUIRE(page->events.size() == 4);
  CHECK(page->events[0].revision == 3);
  CHECK(page->end_of_stream);

  // Past the end of an existing stream: an empty last page.
  ReadStreamOptions past;
  past.from_revision = 100;
  auto empty = store->ReadStream("s", past);
  REQUIRE(empty.ok());
  CHECK(empty->events.empty());
  CHECK(empty->end_of_stream);
}

TEST_CASE("reading a stream that does not exist is NOT_FOUND without naming it", "[store][read]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(1), "a").ok());
  auto r = store->ReadStream("person-19121212-1212", {});
  CHECK(r.status().code() == Code::kNotFound);
  CHECK(r.status().message().find("19121212") == std::string::npos);
  CHECK(store->ReadStream("", {}).status().code() == Code::kInvalidArgument);
  // A stream whose name is a prefix of another is still its own stream.
  CHECK(store->ReadStream("s2", {}).status().code() == Code::kNotFound);
}

TEST_CASE("read all filters by stream prefix and event type and pages on", "[store][read]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  for (int i = 0; i < 30; ++i) {
    std::string stream = (i % 3 == 0 ? "beslut-" : "avvikelse-") + std::to_string(i);
    REQUIRE(store->Append(stream, ExpectedRevision::Any(),
                          {MakeEvent(i % 2 ? "a.typ" : "b.typ")}, "x").ok());
  }
  ReadAllOptions o;
  o.stream_prefix = "beslut-";
  o.event_types = {"b.typ"};
  o.max_count = 2;
  std::vector<uint64_t> positions;
  while (true) {
    auto page = store->ReadAll(o);
    REQUIRE(page.ok());
    for (auto& e : page->events) {
      CHECK(e.stream.rfind("beslut-", 0) == 0);
      CHECK(e.type == "b.typ");
      positions.push_back(e.position);
    }
    if (page->end_of_log) break;
    o.from_position = page->next_position;
  }
  // i % 3 == 0 and i even: 0, 6, 12, 18, 24.
  CHECK(positions == std::vector<uint64_t>{0, 6, 12, 18, 24});

  auto past = store->ReadAll({.from_position = 1000});
  REQUIRE(past.ok());
  CHECK(past->events.empty());
  CHECK(past->end_of_log);
  CHECK(store->ReadEvent(29).ok());
  CHECK(store->ReadEvent(30).status().code() == Code::kOutOfRange);
}

TEST_CASE("streams with a prefix read through the stream index, stream by stream, below a position",
          "[store][read]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  // Interleaved in the log: a-2, b-1, a-10, a-1, then more of a-2 and a-1.
  for (const char* stream : {"a-2", "b-1", "a-10", "a-1", "a-2", "a-1"}) {
    REQUIRE(store->Append(stream, ExpectedRevision::Any(), MakeEvents(2), "x").ok());
  }
  REQUIRE(store->Append("a", ExpectedRevision::Any(), MakeEvents(1), "x").ok());  // no "-": not under "a-"
  auto read_all = [&](uint64_t below, size_t page_size, int* pages) {
    std::vector<std::string> seen;
    ReadPrefixOptions o;
    o.stream_prefix = "a-";
    o.below_position = below;
    o.max_count = page_size;
    *pages = 0;
    while (true) {
      auto page = store->ReadStreamsWithPrefix(o);
      REQUIRE(page.ok());
      ++*pages;
      for (const auto& e : page->events) seen.push_back(e.stream + "/" + std::to_string(e.revision));
      if (page->end) break;
      o.from_stream = page->next_stream;
      o.from_revision = page->next_revision;
    }
    return seen;
  };
  int pages = 0;
  const std::vector<std::string> all = {"a-1/0", "a-1/1", "a-1/2", "a-1/3", "a-10/0", "a-10/1",
                                        "a-2/0", "a-2/1", "a-2/2", "a-2/3"};
  CHECK(read_all(UINT64_MAX, 3, &pages) == all);
  CHECK(pages == 4);
  CHECK(read_all(UINT64_MAX, 1000, &pages) == all);
  CHECK(pages == 1);
  // As of the first 8 events: a-2/0-1, b-1, a-10 and a-1/0-1; the later revisions (positions 8-11) are left out.
  CHECK(read_all(8, 2, &pages) == std::vector<std::string>{"a-1/0", "a-1/1", "a-10/0", "a-10/1", "a-2/0", "a-2/1"});
  CHECK(read_all(0, 2, &pages).empty());
  ReadPrefixOptions none;
  CHECK(store->ReadStreamsWithPrefix(none).status().code() == Code::kInvalidArgument);
  ReadPrefixOptions elsewhere;
  elsewhere.stream_prefix = "a-";
  elsewhere.from_stream = "b-1";
  CHECK(store->ReadStreamsWithPrefix(elsewhere).status().code() == Code::kInvalidArgument);
}

TEST_CASE("event ids are found at their positions, and ids never appended are not", "[store][read]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto events = MakeEvents(3);
  const std::vector<Uuid> ids = {events[0].id, Uuid::Random(), events[2].id};
  REQUIRE(store->Append("noise", ExpectedRevision::Any(), MakeEvents(2), "a").ok());
  REQUIRE(store->Append("s", ExpectedRevision::Any(), std::move(events), "a").ok());
  auto found = store->FindEventIds(ids);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 3);
  CHECK((*found)[0] == std::optional<uint64_t>(2));
  CHECK_FALSE((*found)[1].has_value());
  CHECK((*found)[2] == std::optional<uint64_t>(4));
  CHECK(store->FindEventIds({})->empty());
}

TEST_CASE("a subscription catches up, then goes live, with no gap and no duplicate", "[store][subscribe]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  REQUIRE(store->Append("pre", ExpectedRevision::Any(), MakeEvents(1500), "a").ok());
  auto sub = store->SubscribeAll({.from_position = 100});
  REQUIRE(sub.ok());

  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      REQUIRE(store->Append("live-" + std::to_string(i % 7), ExpectedRevision::Any(), MakeEvents(1 + i % 3), "a").ok());
    }
    done = true;
  });
  std::vector<uint64_t> seen;
  bool caught_up = false;
  while (true) {
    auto batch = sub.value()->Next(std::chrono::milliseconds(200));
    REQUIRE(batch.ok());
    if (batch->caught_up) {
      CHECK_FALSE(caught_up);
      caught_up = true;
    }
    for (auto& e : batch->events) seen.push_back(e.position);
    if (done && !seen.empty() && seen.back() + 1 == store->Size()) break;
  }
  writer.join();
  CHECK(caught_up);
  REQUIRE(seen.size() == store->Size() - 100);
  for (size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == 100 + i);
}

TEST_CASE("a filtered subscription reports how far it read, past the events it left out", "[store][subscribe]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  REQUIRE(store->Append("beslut-1", ExpectedRevision::Any(), MakeEvents(2), "a").ok());
  REQUIRE(store->Append("avvikelse-1", ExpectedRevision::Any(), MakeEvents(5), "a").ok());
  ReadAllOptions from;
  from.stream_prefix = "beslut-";
  auto sub = store->SubscribeAll(from);
  REQUIRE(sub.ok());
  std::vector<uint64_t> seen;
  uint64_t reached = 0;
  for (int i = 0; i < 5 && reached < store->Size(); ++i) {
    auto batch = sub.value()->Next(std::chrono::milliseconds(200));
    REQUIRE(batch.ok());
    for (auto& e : batch->events) seen.push_back(e.position);
    CHECK(batch->next_position >= reached);  // never goes back
    reached = batch->next_position;
  }
  CHECK(seen == std::vector<uint64_t>{0, 1});
  CHECK(reached == 7);  // the five avvikelse events were read past, not delivered

  // Later events of other streams move it on too, in a batch of their own.
  REQUIRE(store->Append("avvikelse-2", ExpectedRevision::Any(), MakeEvents(3), "a").ok());
  auto later = sub.value()->Next(std::chrono::milliseconds(2000));
  REQUIRE(later.ok());
  CHECK(later->events.empty());
  CHECK(later->next_position == 10);
}

TEST_CASE("a stream subscription delivers only that stream, in revision order", "[store][subscribe]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto sub = store->SubscribeStream("watched", 2);
  REQUIRE(sub.ok());
  for (int i = 0; i < 10; ++i) {
    REQUIRE(store->Append(i % 2 ? "watched" : "other", ExpectedRevision::Any(), MakeEvents(1), "a").ok());
  }
  std::vector<uint64_t> revisions;
  for (int tries = 0; tries < 20 && revisions.size() < 3; ++tries) {
    auto batch = sub.value()->Next(std::chrono::milliseconds(50));
    REQUIRE(batch.ok());
    for (auto& e : batch->events) {
      CHECK(e.stream == "watched");
      revisions.push_back(e.revision);
    }
  }
  CHECK(revisions == std::vector<uint64_t>{2, 3, 4});
}

TEST_CASE("a subscriber that never reads does not hold up appends", "[store][subscribe]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto idle = store->SubscribeAll({});
  REQUIRE(idle.ok());
  for (int i = 0; i < 100; ++i) {
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(20), "a").ok());
  }
  CHECK(store->Size() == 2000);
  // It still gets everything from where it stands, in order.
  uint64_t next = 0;
  while (next < 2000) {
    auto batch = idle.value()->Next(std::chrono::milliseconds(100));
    REQUIRE(batch.ok());
    for (auto& e : batch->events) CHECK(e.position == next++);
  }
}

TEST_CASE("subscriptions end with UNAVAILABLE when the store closes", "[store][subscribe]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  auto sub = store->SubscribeAll({});
  REQUIRE(sub.ok());
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store->Close();
  });
  Status last;
  for (int i = 0; i < 100 && last.ok(); ++i) {
    auto b = sub.value()->Next(std::chrono::milliseconds(1000));
    if (!b.ok()) last = b.status();
  }
  closer.join();
  CHECK(last.code() == Code::kUnavailable);
}

TEST_CASE("a subscription given its batches back decodes later pages into them and delivers the same events",
          "[store][subscribe]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  // Long and short events mixed, so that a reused record shrinks and grows,
  // over more than four pages of 512.
  for (int i = 0; i < 60; ++i) {
    std::vector<ProposedEvent> events;
    for (int k = 0; k < 40; ++k) {
      const std::string payload = (i + k) % 3 == 0 ? std::string(200 + k * 7, 'x') : "";
      events.push_back(MakeEvent(k % 2 ? "kort" : "en.mycket.lang.handelsetyp", payload));
      if (k % 5 == 0) events.back().correlation_id = "corr-" + std::to_string(i);
    }
    REQUIRE(store->Append((i % 4 ? "beslut-" : "avvikelse-") + std::to_string(i), ExpectedRevision::Any(),
                          std::move(events), i % 2 ? "a" : "an-actor-with-a-long-name")
                .ok());
  }
  for (const std::string prefix : {"", "beslut-"}) {
    ReadAllOptions from;
    from.stream_prefix = prefix;
    std::vector<std::string> expected;  // the events as ReadAll gives them, encoded
    ReadAllOptions o = from;
    o.max_count = 1000;
    while (true) {
      auto page = store->ReadAll(o);
      REQUIRE(page.ok());
      for (const auto& e : page->events) expected.push_back(EncodeEvent(e));
      if (page->end_of_log) break;
      o.from_position = page->next_position;
    }
    auto sub = store->SubscribeAll(from);
    REQUIRE(sub.ok());
    std::vector<std::string> seen;
    while (seen.size() < expected.size()) {
      auto batch = sub.value()->Next(std::chrono::milliseconds(200));
      REQUIRE(batch.ok());
      REQUIRE_FALSE((batch->events.empty() && batch->caught_up && seen.size() < expected.size()));
      for (const auto& e : batch->events) seen.push_back(EncodeEvent(e));
      sub.value()->Reuse(std::move(batch->events));  // as ReadAhead hands them back
    }
    CAPTURE(prefix);
    CHECK(seen.size() == expected.size());
    CHECK(seen == expected);
  }
}
