// EventStore tamper evidence: checkpoints, inclusion and consistency proofs,
// the signing key, and verification of the whole log.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <utility>
#include <random>
#include <thread>

#include "eventstore/checkpoint/note.h"
#include "eventstore/codec.h"
#include "eventstore/keys.h"
#include "eventstore/log_db.h"
#include "eventstore/log_verifier.h"
#include "eventstore/merkle/memory_tree.h"
#include "eventstore/merkle/proof.h"
#include "eventstore/merkle/verify.h"
#include "store_test_util.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

checkpoint::Verifier KeyOf(EventStore& store) {
  return checkpoint::Verifier::FromVerifierKey(store.signer().VerifierKey()).value();
}

}  // namespace

TEST_CASE("checkpoints are issued every N events and on demand, and verify", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);  // every 10 events
  auto store = OpenStore(opts);
  CHECK(store->LatestCheckpoint().status().code() == Code::kNotFound);
  REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(9), "a").ok());
  CHECK(store->LatestCheckpoint().status().code() == Code::kNotFound);
  REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(3), "a").ok());
  auto cp = store->LatestCheckpoint();
  REQUIRE(cp.ok());
  CHECK(cp->checkpoint.size == 12);

  auto opened = checkpoint::OpenCheckpoint(cp->note, KeyOf(*store));
  REQUIRE(opened.ok());
  CHECK(opened->origin == opts.origin);
  CHECK(opened->size == 12);

  REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(1), "a").ok());
  auto fresh = store->IssueCheckpoint();
  REQUIRE(fresh.ok());
  CHECK(fresh->checkpoint.size == 13);
  // Nothing new: the same checkpoint comes back.
  auto same = store->IssueCheckpoint();
  REQUIRE(same.ok());
  CHECK(same->note == fresh->note);
}

TEST_CASE("a checkpoint is issued after T milliseconds without N events", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  opts.checkpoint_every_events = 1000000;
  opts.checkpoint_interval_ms = 30;
  auto store = OpenStore(opts);
  REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(3), "a").ok());
  Result<SignedCheckpoint> cp = Status::NotFound("");
  for (int i = 0; i < 200 && !cp.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    cp = store->LatestCheckpoint();
  }
  REQUIRE(cp.ok());
  CHECK(cp->checkpoint.size == 3);
}

TEST_CASE("inclusion proofs of every position verify against every size", "[store][audit]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  for (int i = 0; i < 37; ++i) {
    REQUIRE(store->Append("s" + std::to_string(i % 4), ExpectedRevision::Any(), MakeEvents(1), "a").ok());
  }
  for (uint64_t size = 1; size <= 37; ++size) {
    for (uint64_t pos = 0; pos < size; ++pos) {
      auto p = store->InclusionProof(pos, size);
      REQUIRE(p.ok());
      auto rec = store->ReadEvent(pos);
      REQUIRE(rec.ok());
      CHECK(p->leaf_hash == merkle::LeafHash(EncodeEvent(rec.value())));
      CHECK(merkle::VerifyInclusion(pos, size, p->leaf_hash, p->hashes, p->root).ok());
    }
  }
  auto cp = store->IssueCheckpoint();
  REQUIRE(cp.ok());
  auto latest = store->InclusionProof(5, 0);
  REQUIRE(latest.ok());
  CHECK(latest->tree_size == 37);
  CHECK(latest->root == cp->checkpoint.root);
  REQUIRE(latest->checkpoint_note);
  CHECK(*latest->checkpoint_note == cp->note);

  CHECK(store->InclusionProof(37, 37).status().code() == Code::kOutOfRange);
  CHECK(store->InclusionProof(0, 38).status().code() == Code::kOutOfRange);
}

TEST_CASE("proofs are the same whichever tree levels the log stores", "[store][audit]") {
  // The reference: a tree in memory over the events' own bytes.
  const uint8_t lowest = GENERATE(uint8_t{0}, uint8_t{1}, uint8_t{4}, uint8_t{8});
  INFO("lowest stored level " << int(lowest));
  TempDir dir;
  auto opts = TestOptions(dir);
  opts.tree_lowest_stored_level = lowest;
  auto store = OpenStore(opts);
  constexpr uint64_t kEvents = 300;  // past 256, so that level 8 stores a node
  for (uint64_t i = 0; i < kEvents; i += 20) {
    REQUIRE(store->Append("s" + std::to_string(i % 7), ExpectedRevision::Any(), MakeEvents(20), "a").ok());
  }
  merkle::MemoryTree reference;
  for (uint64_t pos = 0; pos < kEvents; ++pos) {
    auto rec = store->ReadEvent(pos);
    REQUIRE(rec.ok());
    reference.Append(merkle::LeafHash(EncodeEvent(rec.value())));
  }
  std::mt19937 rng(lowest);
  for (uint64_t size = 1; size <= kEvents; size += 1 + rng() % 7) {
    for (int k = 0; k < 4; ++k) {
      const uint64_t pos = rng() % size;
      auto p = store->InclusionProof(pos, size);
      REQUIRE(p.ok());
      CHECK(p->hashes == merkle::InclusionProof(reference, pos, size).value());
      CHECK(p->leaf_hash == reference.Node(0, pos).value());
      CHECK(p->root == merkle::RootAt(reference, size).value());
      const uint64_t from = 1 + rng() % size;
      auto c = store->ConsistencyProof(from, size);
      REQUIRE(c.ok());
      CHECK(c->hashes == merkle::ConsistencyProof(reference, from, size).value());
      CHECK(c->from_root == merkle::RootAt(reference, from).value());
    }
  }
  // The tree family holds exactly the nodes at the stored levels.
  const uint8_t recorded = lowest;
  const std::string vkey = store->signer().VerifierKey();
  store.reset();
  auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadOnly);
  REQUIRE(db.ok());
  CHECK((*db)->lowest_stored_level() == recorded);
  uint64_t stored = 0, expected = 0;
  std::unique_ptr<rocksdb::Iterator> it((*db)->db()->NewIterator(rocksdb::ReadOptions(), (*db)->tree()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    CHECK(static_cast<uint8_t>(it->key()[0]) >= lowest);
    ++stored;
  }
  for (uint8_t level = lowest; level < 64; ++level) expected += kEvents >> level;
  CHECK(stored == expected);
  it.reset();
  db.value().reset();
  auto report = VerifyDataDir(opts.data_dir, vkey);
  REQUIRE(report.ok());
  CHECK(report->ok);
}

TEST_CASE("a log keeps the tree levels it was created with", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  opts.tree_lowest_stored_level = 2;
  {
    auto store = OpenStore(opts);
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(9), "a").ok());
  }
  opts.tree_lowest_stored_level = 0;  // ignored: the log records 2
  {
    auto store = OpenStore(opts);
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(9), "a").ok());
    auto p = store->InclusionProof(3, 18);
    REQUIRE(p.ok());
    CHECK(merkle::VerifyInclusion(3, 18, p->leaf_hash, p->hashes, p->root).ok());
  }
  auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadOnly);
  REQUIRE(db.ok());
  CHECK((*db)->lowest_stored_level() == 2);
  std::string node;
  CHECK((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->tree(), keys::Node(1, 0), &node).IsNotFound());
  CHECK((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->tree(), keys::Node(2, 3), &node).ok());  // leaves 12..15
  db.value().reset();

  // A recorded level that is not one is refused when the log is opened.
  // Written with RocksDB alone: LogDb refuses to open the log once it holds one.
  auto record_level = [&](const std::string& value) {
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), opts.data_dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const auto& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), opts.data_dir, families, &handles, &raw).ok());
    CHECK(raw->Put(rocksdb::WriteOptions(), keys::kMetaTreeLowestLevel, value).ok());  // the default family: meta
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  };
  for (const std::string bad : {"x", "9", "", "-1", "004"}) {
    INFO("recorded level \"" << bad << "\"");
    record_level(bad);
    CHECK(LogDb::Open(opts.data_dir, LogDb::Mode::kReadOnly).status().code() == Code::kDataLoss);
  }
  record_level("2");
  CHECK(LogDb::Open(opts.data_dir, LogDb::Mode::kReadOnly).ok());

  opts.tree_lowest_stored_level = LogDb::kMaxLowestStoredLevel + 1;
  TempDir other;
  opts.data_dir = (other.path() / "data").string();
  auto refused = EventStore::Open(opts);
  CHECK(refused.status().code() == Code::kInvalidArgument);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(opts.data_dir) / "CURRENT"));
}

TEST_CASE("consistency proofs between any two sizes verify", "[store][audit]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir));
  std::vector<merkle::Hash> roots = {merkle::EmptyRoot()};
  for (int i = 0; i < 33; ++i) {
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(1), "a").ok());
    auto p = store->InclusionProof(0, i + 1);
    REQUIRE(p.ok());
    roots.push_back(p->root);
  }
  for (uint64_t a = 1; a <= 33; ++a) {
    for (uint64_t b = a; b <= 33; ++b) {
      auto p = store->ConsistencyProof(a, b);
      REQUIRE(p.ok());
      CHECK(p->from_root == roots[a]);
      CHECK(p->to_root == roots[b]);
      CHECK(merkle::VerifyConsistency(a, b, p->hashes, roots[a], roots[b]).ok());
    }
  }
  CHECK(store->ConsistencyProof(5, 34).status().code() == Code::kOutOfRange);
  CHECK(store->ConsistencyProof(6, 5).status().code() == Code::kOutOfRange);
}

TEST_CASE("the signing key is created once, kept, and bound to the log", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  std::string vkey;
  merkle::Hash root;
  {
    auto store = OpenStore(opts);
    vkey = store->signer().VerifierKey();
    REQUIRE(store->Append("s", ExpectedRevision::Any(), MakeEvents(25), "a").ok());
    root = store->IssueCheckpoint()->checkpoint.root;
  }
  CHECK(std::filesystem::exists(std::filesystem::path(opts.data_dir) / "log-signing-key.pem"));
  {
    auto store = OpenStore(opts);
    CHECK(store->signer().VerifierKey() == vkey);
    CHECK(store->Size() == 25);
    CHECK(store->LatestCheckpoint()->checkpoint.root == root);
    auto next = store->Append("s", ExpectedRevision::Any(), MakeEvents(1), "a");
    REQUIRE(next.ok());
    CHECK(next->first_position == 25);
    auto proof = store->ConsistencyProof(25, 26);
    REQUIRE(proof.ok());
    CHECK(proof->from_root == root);
  }
  SECTION("a different key is refused") {
    auto other = opts;
    other.signing_key_path = (dir.path() / "other.pem").string();
    auto r = EventStore::Open(other);
    CHECK(r.status().code() == Code::kFailedPrecondition);
  }
  SECTION("a different origin is refused") {
    auto other = opts;
    other.origin = "another.example/log";
    CHECK(EventStore::Open(other).status().code() == Code::kFailedPrecondition);
  }
  SECTION("a configured key path is used") {
    TempDir dir2;
    auto o2 = TestOptions(dir2);
    o2.signing_key_path = (dir2.path() / "keys" / "log.pem").string();
    std::filesystem::create_directories(dir2.path() / "keys");
    auto s2 = OpenStore(o2);
    CHECK(std::filesystem::exists(o2.signing_key_path));
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(o2.data_dir) / "log-signing-key.pem"));
  }
}

TEST_CASE("a clean log verifies, online and offline", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  auto store = OpenStore(opts);
  for (int i = 0; i < 40; ++i) {
    REQUIRE(store->Append("s" + std::to_string(i % 5), ExpectedRevision::Any(), MakeEvents(1 + i % 4), "a").ok());
  }
  uint64_t calls = 0;
  auto report = store->Verify([&](uint64_t, uint64_t) { ++calls; return true; });
  REQUIRE(report.ok());
  CHECK(report->ok);
  CHECK(report->events_checked == store->Size());
  CHECK(report->checkpoints_checked >= 5);
  CHECK(calls >= 1);
  const std::string vkey = store->signer().VerifierKey();
  store.reset();
  auto offline = VerifyDataDir(opts.data_dir, vkey);
  REQUIRE(offline.ok());
  CHECK(offline->ok);
  CHECK(offline->events_checked == report->events_checked);
  // With a key that is not the log's, the checkpoints fail.
  auto stranger = checkpoint::Signer::Generate(opts.origin);
  auto wrong = VerifyDataDir(opts.data_dir, stranger->VerifierKey());
  REQUIRE(wrong.ok());
  CHECK_FALSE(wrong->ok);
}

TEST_CASE("verify finds every kind of index and tree damage, at its position", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  // Every level stored, leaves included: the layout of logs created before
  // the lowest stored level was recorded. A log storing fewer levels: below.
  opts.tree_lowest_stored_level = 0;
  std::string vkey;
  {
    auto store = OpenStore(opts);
    for (int i = 0; i < 30; ++i) {
      REQUIRE(store->Append("s" + std::to_string(i % 3), ExpectedRevision::Any(), MakeEvents(1), "a").ok());
    }
    vkey = store->signer().VerifierKey();
  }
  // Event 10 is the fourth of stream s1 (positions 1, 4, 7, 10: revision 3).
  const std::string stream_key = keys::StreamRevision("s1", 3);
  std::string id_of_10;
  {
    auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadOnly);
    REQUIRE(db.ok());
    std::string bytes;
    REQUIRE((*db)->db()->Get(rocksdb::ReadOptions(), (*db)->events(), keys::Position(10), &bytes).ok());
    auto rec = DecodeEvent(bytes);
    REQUIRE(rec.ok());
    REQUIRE(rec->stream == "s1");
    REQUIRE(rec->revision == 3);
    id_of_10 = std::string(rec->id.raw());
  }
  auto damage = [&](const std::function<void(LogDb&)>& change) {
    auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadWrite);
    REQUIRE(db.ok());
    change(**db);
  };
  auto verify = [&] {
    auto report = VerifyDataDir(opts.data_dir, vkey);
    REQUIRE(report.ok());
    return *report;
  };
  auto position = [](uint64_t p) { return keys::Position(p); };  // an index value: the position, big-endian
  REQUIRE(verify().ok);

  SECTION("a stream index entry removed") {
    damage([&](LogDb& db) { REQUIRE(db.db()->Delete(rocksdb::WriteOptions(), db.streams(), stream_key).ok()); });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the stream index does not point at this event");
    CHECK(r.bad_position == 10);
  }
  SECTION("an event-id index entry pointing at another event") {
    damage([&](LogDb& db) {
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.ids(), id_of_10, position(12)).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the event-id index does not point at this event");
    CHECK(r.bad_position == 10);  // the earlier of the two positions it disturbs
  }
  SECTION("an extra entry pointing at an event under a key that is not its") {
    damage([&](LogDb& db) {
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.streams(), keys::StreamRevision("s1", 99), position(10)).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "an index holds an entry pointing at this event under a key that is not the event's");
    CHECK(r.bad_position == 10);
  }
  SECTION("an entry pointing past the end of the log") {
    damage([&](LogDb& db) {
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.streams(), keys::StreamRevision("s9", 0), position(30)).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the stream index points at position 30, past the end of the log");
  }
  SECTION("an entry whose value is not a position") {
    damage([&](LogDb& db) { REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.ids(), id_of_10, "x").ok()); });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the event-id index holds an entry whose value is not a position");
  }
  SECTION("a tree node changed: found at the leaf that completes it") {
    damage([&](LogDb& db) {
      std::string node;
      REQUIRE(db.db()->Get(rocksdb::ReadOptions(), db.tree(), keys::Node(2, 2), &node).ok());  // leaves 8..11
      node[5] ^= 1;
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.tree(), keys::Node(2, 2), node).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "stored tree node (level 2, index 2) does not match the events under it");
    CHECK(r.bad_position == 11);
  }
  SECTION("a leaf hash removed") {
    damage([&](LogDb& db) { REQUIRE(db.db()->Delete(rocksdb::WriteOptions(), db.tree(), keys::Node(0, 10)).ok()); });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the event's stored leaf hash is missing");
    CHECK(r.bad_position == 10);
  }
  SECTION("a leaf hash that is not the event's") {
    damage([&](LogDb& db) {
      std::string other;
      REQUIRE(db.db()->Get(rocksdb::ReadOptions(), db.tree(), keys::Node(0, 12), &other).ok());
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.tree(), keys::Node(0, 10), other).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the event's bytes do not match its stored leaf hash");
    CHECK(r.bad_position == 10);
  }
  SECTION("a tree node over leaves past the end of the log") {
    damage([&](LogDb& db) {
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.tree(), keys::Node(1, 15), std::string(32, 'x')).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the Merkle tree holds node (level 1, index 15), which covers leaves past the end of the log");
  }
  SECTION("a malformed tree entry") {
    damage([&](LogDb& db) {
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.tree(), keys::Node(0, 3), std::string(31, 'x')).ok());
    });
    const VerifyReport r = verify();
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the Merkle tree holds a malformed node entry");
  }
}

// Verify's verdict, offline, after `change` was made to the log's files
// behind the store's back.
VerifyReport AfterDamage(const StoreOptions& opts, const std::string& vkey,
                         const std::function<void(LogDb&)>& change) {
  {
    auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadWrite);
    REQUIRE(db.ok());
    change(**db);
  }
  auto report = VerifyDataDir(opts.data_dir, vkey);
  REQUIRE(report.ok());
  return *report;
}

// Flips the last bit of the value stored under `key`.
void FlipLastBit(LogDb& db, rocksdb::ColumnFamilyHandle* cf, const std::string& key) {
  std::string value;
  REQUIRE(db.db()->Get(rocksdb::ReadOptions(), cf, key, &value).ok());
  value.back() ^= 1;
  REQUIRE(db.db()->Put(rocksdb::WriteOptions(), cf, key, value).ok());
}

TEST_CASE("verify finds damage to a tree that stores only its upper levels", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  opts.tree_lowest_stored_level = 4;
  opts.checkpoint_every_events = 1000;  // one checkpoint, at 40, when the store closes
  std::string vkey;
  {
    auto store = OpenStore(opts);
    for (int i = 0; i < 40; ++i) {
      REQUIRE(store->Append("s" + std::to_string(i % 3), ExpectedRevision::Any(), MakeEvents(1), "a").ok());
    }
    vkey = store->signer().VerifierKey();
  }
  // The tree holds (4, 0) over leaves 0..15, (4, 1) over 16..31 and (5, 0) over 0..31.
  REQUIRE(AfterDamage(opts, vkey, [](LogDb&) {}).ok);
  // What verify says, and the position it names.
  std::pair<std::string, std::optional<uint64_t>> found;
  auto damage = [&](const std::function<void(LogDb&)>& change) {
    const VerifyReport r = AfterDamage(opts, vkey, change);
    CHECK_FALSE(r.ok);
    found = {r.error, r.bad_position};
  };

  SECTION("an event changed: found under the lowest stored node over it") {
    damage([](LogDb& db) { FlipLastBit(db, db.events(), keys::Position(20)); });
    CHECK(found.first ==
          "stored tree node (level 4, index 1) does not match the events under it (positions 16 to 31): the node or "
          "one of those events was changed");
    CHECK(found.second == 16);
  }
  SECTION("a node at the lowest stored level changed: the same range") {
    damage([](LogDb& db) { FlipLastBit(db, db.tree(), keys::Node(4, 0)); });
    CHECK(found.first ==
          "stored tree node (level 4, index 0) does not match the events under it (positions 0 to 15): the node or "
          "one of those events was changed");
    CHECK(found.second == 0);
  }
  SECTION("a node above it changed: found at the leaf that completes it") {
    damage([](LogDb& db) { FlipLastBit(db, db.tree(), keys::Node(5, 0)); });
    CHECK(found.first == "stored tree node (level 5, index 0) does not match the events under it");
    CHECK(found.second == 31);
  }
  SECTION("a stored node removed") {
    damage([](LogDb& db) { REQUIRE(db.db()->Delete(rocksdb::WriteOptions(), db.tree(), keys::Node(4, 1)).ok()); });
    CHECK(found.first == "stored tree node (level 4, index 1) is missing");
    CHECK(found.second == 31);
  }
  SECTION("a node below the stored levels added, even a true one") {
    damage([](LogDb& db) {
      std::string bytes;
      REQUIRE(db.db()->Get(rocksdb::ReadOptions(), db.events(), keys::Position(10), &bytes).ok());
      const merkle::Hash leaf = merkle::LeafHash(bytes);
      const std::string value(reinterpret_cast<const char*>(leaf.data()), leaf.size());
      REQUIRE(db.db()->Put(rocksdb::WriteOptions(), db.tree(), keys::Node(0, 10), value).ok());
    });
    CHECK(found.first == "the Merkle tree holds node (level 0, index 10), below the lowest level this log stores (4)");
  }
  SECTION("an event under no stored node yet changed: found by the next checkpoint") {
    // No stored node covers positions 32..39 yet; the checkpoint at 40 does.
    damage([](LogDb& db) { FlipLastBit(db, db.events(), keys::Position(35)); });
    CHECK(found.first.find("checkpoint at tree size 40: the signed root does not match the root recomputed from the "
                           "events") == 0);
  }
  SECTION("a proof over a changed event fails against the signed root") {
    (void)AfterDamage(opts, vkey, [](LogDb& db) { FlipLastBit(db, db.events(), keys::Position(20)); });
    auto store = OpenStore(opts);
    auto cp = store->LatestCheckpoint();
    REQUIRE(cp.ok());
    auto p = store->InclusionProof(20, cp->checkpoint.size);
    REQUIRE(p.ok());
    CHECK_FALSE(merkle::VerifyInclusion(20, cp->checkpoint.size, p->leaf_hash, p->hashes, cp->checkpoint.root).ok());
  }
}

TEST_CASE("verify finds an index entry in a log without events", "[store][audit]") {
  TempDir dir;
  auto opts = TestOptions(dir);
  std::string vkey;
  {
    auto store = OpenStore(opts);
    vkey = store->signer().VerifierKey();
  }
  REQUIRE(VerifyDataDir(opts.data_dir, vkey)->ok);
  {
    auto db = LogDb::Open(opts.data_dir, LogDb::Mode::kReadWrite);
    REQUIRE(db.ok());
    REQUIRE((*db)->db()->Put(rocksdb::WriteOptions(), (*db)->ids(), std::string(16, 'x'), keys::Position(0)).ok());
  }
  auto report = VerifyDataDir(opts.data_dir, vkey);
  REQUIRE(report.ok());
  CHECK_FALSE(report->ok);
  CHECK(report->error == "the event-id index points at position 0, past the end of the log");
}
