// Property test with fixed seeds: random interleavings of appends (with
// random, often stale, expected revisions), reads, on-demand checkpoints and
// a live subscription keep positions and revisions gap-free, lose no
// acknowledged event, and keep every proof valid.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "eventstore/codec.h"
#include "eventstore/merkle/verify.h"
#include "store_test_util.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

struct Acked {
  uint64_t position;
  uint64_t revision;
  std::string stream;
  Uuid id;
};

void Worker(EventStore& store, uint32_t seed, std::mutex& mu, std::vector<Acked>& acked,
            std::atomic<int>& bad_reads) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  for (int op = 0; op < 150; ++op) {
    const std::string stream = "case-" + std::to_string(pick(6));
    const int kind = pick(10);
    if (kind < 6) {
      ExpectedRevision expected;
      switch (pick(4)) {
        case 0: expected = ExpectedRevision::Any(); break;
        case 1: expected = ExpectedRevision::NoStream(); break;
        case 2: expected = ExpectedRevision::StreamExists(); break;
        default: {
          ReadStreamOptions o;
          o.backwards = o.from_end = true;
          o.max_count = 1;
          auto head = store.ReadStream(stream, o);
          expected = head.ok() && !head->events.empty()
                         ? ExpectedRevision::Exact(head->events[0].revision)
                         : ExpectedRevision::NoStream();
        }
      }
      auto events = MakeEvents(1 + pick(4));
      auto r = store.Append(stream, expected, events, "prop");
      if (r.ok()) {
        std::lock_guard<std::mutex> lk(mu);
        for (size_t i = 0; i < events.size(); ++i) {
          acked.push_back({r->first_position + i, r->first_revision + i, stream, events[i].id});
        }
      } else if (r.status().code() != Code::kAborted) {
        FAIL("unexpected append failure: " << r.status().ToString());
      }
      if (r.ok() && pick(5) == 0) {  // a retry must change nothing
        auto again = store.Append(stream, ExpectedRevision::Any(), events, "prop");
        if (!again.ok() || !again->duplicate || again->first_position != r->first_position) ++bad_reads;
      }
    } else if (kind < 8) {
      auto page = store.ReadStream(stream, {.from_revision = 0, .max_count = 1000});
      if (page.ok()) {
        for (size_t i = 0; i < page->events.size(); ++i) {
          if (page->events[i].revision != i || page->events[i].stream != stream) ++bad_reads;
        }
      } else if (page.status().code() != Code::kNotFound) {
        ++bad_reads;
      }
    } else if (kind < 9) {
      uint64_t size = store.Size();
      auto page = store.ReadAll({.from_position = size ? rng() % size : 0, .max_count = 50});
      if (!page.ok()) { ++bad_reads; continue; }
      for (size_t i = 1; i < page->events.size(); ++i) {
        if (page->events[i].position != page->events[i - 1].position + 1) ++bad_reads;
      }
    } else {
      auto cp = store.IssueCheckpoint();
      if (!cp.ok() && cp.status().code() != Code::kNotFound) ++bad_reads;
    }
  }
}

}  // namespace

TEST_CASE("random interleavings keep the log gap-free and every proof valid", "[store][property]") {
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    INFO("seed " << seed);
    TempDir dir;
    auto opts = TestOptions(dir);
    opts.checkpoint_every_events = 1 + seed * 7;
    auto store = OpenStore(opts);

    auto sub = store->SubscribeAll({});
    REQUIRE(sub.ok());
    std::vector<uint64_t> delivered;
    std::atomic<bool> writers_done{false};
    std::thread subscriber([&] {
      while (true) {
        auto batch = sub.value()->Next(std::chrono::milliseconds(20));
        if (!batch.ok()) return;
        for (auto& e : batch->events) delivered.push_back(e.position);
        if (writers_done && batch->events.empty() && delivered.size() == store->Size()) return;
      }
    });

    std::mutex mu;
    std::vector<Acked> acked;
    std::atomic<int> bad_reads{0};
    std::vector<std::thread> workers;
    for (uint32_t t = 0; t < 4; ++t) {
      workers.emplace_back([&, t] { Worker(*store, seed * 100 + t, mu, acked, bad_reads); });
    }
    for (auto& w : workers) w.join();
    writers_done = true;
    subscriber.join();

    CHECK(bad_reads == 0);
    const uint64_t n = store->Size();
    REQUIRE(n > 0);

    // The subscription saw exactly 0..n-1 in order.
    REQUIRE(delivered.size() == n);
    for (uint64_t i = 0; i < n; ++i) REQUIRE(delivered[i] == i);

    // The log: gap-free positions, gap-free revisions per stream, every ack present.
    std::vector<EventRecord> all;
    for (uint64_t from = 0;;) {
      auto page = store->ReadAll({.from_position = from, .max_count = 1000});
      REQUIRE(page.ok());
      for (auto& e : page->events) all.push_back(std::move(e));
      if (page->end_of_log) break;
      from = page->next_position;
    }
    REQUIRE(all.size() == n);
    std::map<std::string, uint64_t> next_rev;
    for (uint64_t i = 0; i < n; ++i) {
      REQUIRE(all[i].position == i);
      REQUIRE(all[i].revision == next_rev[all[i].stream]++);
    }
    REQUIRE(acked.size() == n);  // every event in the log was acknowledged exactly once
    for (const auto& a : acked) {
      REQUIRE(all[a.position].id == a.id);
      REQUIRE(all[a.position].stream == a.stream);
      REQUIRE(all[a.position].revision == a.revision);
    }

    // Proofs: inclusion of every position, consistency between random sizes.
    auto cp = store->IssueCheckpoint();
    REQUIRE(cp.ok());
    REQUIRE(cp->checkpoint.size == n);
    for (uint64_t pos = 0; pos < n; ++pos) {
      auto p = store->InclusionProof(pos, n);
      REQUIRE(p.ok());
      REQUIRE(p->leaf_hash == merkle::LeafHash(EncodeEvent(all[pos])));
      REQUIRE(merkle::VerifyInclusion(pos, n, p->leaf_hash, p->hashes, cp->checkpoint.root).ok());
    }
    std::mt19937 rng(seed);
    for (int k = 0; k < 50; ++k) {
      uint64_t a = 1 + rng() % n, b = 1 + rng() % n;
      if (a > b) std::swap(a, b);
      auto p = store->ConsistencyProof(a, b);
      REQUIRE(p.ok());
      REQUIRE(merkle::VerifyConsistency(a, b, p->hashes, p->from_root, p->to_root).ok());
    }
    auto report = store->Verify(nullptr);
    REQUIRE(report.ok());
    INFO(report->error);
    REQUIRE(report->ok);
    REQUIRE(report->checkpoints_checked >= 2);
  }
}
