// EventStore: the append-only, tamper-evident log.
//
// Contract:
// - Append is atomic for all its events and returns only after the RocksDB
//   write batch holding them has been synced to disk. One sequencer thread
//   orders all appends; concurrent appends share one write and one sync
//   (group commit).
// - Positions are gap-free from 0 across the log, revisions gap-free from 0
//   within a stream. An append whose expected revision does not hold, or that
//   fails validation, writes nothing.
// - Event ids make appends idempotent: a retry with the same ids and content
//   returns the original positions (duplicate=true) and writes nothing; an id
//   reused for different content is AlreadyExists.
// - Every event's canonical bytes are a leaf of an RFC 6962 Merkle tree kept
//   incrementally; signed checkpoints are issued every N events or T ms, and on
//   demand. Reads never see events beyond the last committed batch.
// - Thread-safe. Subscriptions must not outlive the store.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/checkpoint/note.h"
#include "eventstore/checkpoint/signer.h"
#include "eventstore/event.h"
#include "eventstore/limits.h"
#include "eventstore/log_verifier.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"

namespace sparbar {

struct StoreOptions {
  std::string data_dir;
  // The log's name in checkpoints (C2SP origin line); also the signing key's name.
  std::string origin = "sparbar.local/log";
  // PEM file of the Ed25519 signing key. Empty: <data_dir>/log-signing-key.pem,
  // created on first start.
  std::string signing_key_path;
  uint64_t checkpoint_every_events = 1000;
  uint64_t checkpoint_interval_ms = 1000;
  // Group-commit cap: at most this many events in one write batch.
  size_t max_batch_events = 20000;
  // The block cache the log's reads go through, shared by its indexes and
  // tree: what a listing's reads of events by position hit before the disk.
  size_t cache_bytes = size_t{256} << 20;
  // For a new log: the lowest level of the Merkle tree it stores (at most 8).
  // Nodes below it are recomputed from the events when a proof needs them,
  // from fewer than 2^level events each. 4 stores about one node per eight
  // events instead of two per event. An existing log keeps the level it was
  // created with; logs from before this option store every level (0).
  uint8_t tree_lowest_stored_level = 4;
  Limits limits;
};

struct AppendResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  uint64_t first_revision = 0;
  uint64_t last_revision = 0;
  bool duplicate = false;
  uint64_t log_size = 0;  // events in the log right after this append committed
};

struct ReadStreamOptions {
  uint64_t from_revision = 0;
  bool backwards = false;
  bool from_end = false;  // start at the last event (with backwards)
  size_t max_count = 100;
};

struct StreamPage {
  std::vector<EventRecord> events;
  uint64_t next_revision = 0;  // valid when !end_of_stream
  bool end_of_stream = true;
};

// Every stream whose name starts with a prefix, through the stream index:
// the cost is that of the matching events, not of the log.
struct ReadPrefixOptions {
  std::string stream_prefix;               // required
  uint64_t below_position = UINT64_MAX;    // only events at positions below (a state as of that log size)
  // Where to resume: the page's next_stream and next_revision (empty: the start).
  std::string from_stream;
  uint64_t from_revision = 0;
  size_t max_count = 1000;
};

struct PrefixPage {
  std::vector<EventRecord> events;  // by stream name (bytewise), then revision
  std::string next_stream;          // valid when !end
  uint64_t next_revision = 0;
  bool end = true;
};

struct ReadAllOptions {
  uint64_t from_position = 0;
  size_t max_count = 100;
  std::string stream_prefix;             // empty: all streams
  std::vector<std::string> event_types;  // empty: all types
  size_t max_scan = 10000;               // events examined per page when filtering
};

struct AllPage {
  std::vector<EventRecord> events;
  uint64_t next_position = 0;
  bool end_of_log = true;
};

struct SignedCheckpoint {
  checkpoint::Checkpoint checkpoint;
  std::string note;
};

struct InclusionProofResult {
  uint64_t position = 0;
  uint64_t tree_size = 0;
  merkle::Hash leaf_hash{};
  std::vector<merkle::Hash> hashes;
  merkle::Hash root{};
  std::optional<std::string> checkpoint_note;  // when one was issued at tree_size
};

struct ConsistencyProofResult {
  uint64_t from_size = 0;
  uint64_t to_size = 0;
  std::vector<merkle::Hash> hashes;
  merkle::Hash from_root{};
  merkle::Hash to_root{};
};

// Counters since the store was opened.
struct StoreStats {
  uint64_t appends = 0;        // append requests acknowledged (including duplicates)
  uint64_t events_written = 0;
  uint64_t synced_writes = 0;  // RocksDB write batches synced to disk
  uint64_t checkpoints = 0;
  // Synced writes by the events they carried: batch_sizes[i] counts those of
  // at most kBatchSizeBounds[i] events (the last bound is unbounded).
  static constexpr uint64_t kBatchSizeBounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, UINT64_MAX};
  static constexpr size_t kBatchSizeBuckets = sizeof(kBatchSizeBounds) / sizeof(kBatchSizeBounds[0]);
  uint64_t batch_sizes[kBatchSizeBuckets] = {};
  // RocksDB's background work on the log, read when the stats are taken:
  // compactions running now, and the bytes it estimates are still to compact.
  uint64_t running_compactions = 0;
  uint64_t pending_compaction_bytes = 0;
};

// One batch handed out by a subscription.
struct SubscriptionBatch {
  std::vector<EventRecord> events;
  bool caught_up = false;  // set once, on the batch that ends catch-up
  // Subscriptions to the whole log: every event before this position was
  // delivered or left out by the filter (0 for a stream subscription). A
  // batch without events can still move it on, past events left out.
  uint64_t next_position = 0;
};

class Subscription {
 public:
  virtual ~Subscription() = default;
  // The next events, waiting up to `timeout` for new ones. An empty batch means
  // nothing arrived in time. Unavailable once the store is closing.
  virtual Result<SubscriptionBatch> Next(std::chrono::milliseconds timeout) = 0;
  // Hands back the events of a batch the caller is done with, from the thread
  // that calls Next: a later batch may decode into them, reusing their
  // storage. Optional; the default frees them.
  virtual void Reuse(std::vector<EventRecord> events) { (void)events; }
};

class EventStore {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  static Result<std::unique_ptr<EventStore>> Open(const StoreOptions& options);
  virtual ~EventStore() = default;

  // `actor` is the caller's identity as established by the service layer.
  // A request whose deadline passes before it is sequenced is DeadlineExceeded
  // and writes nothing.
  virtual Result<AppendResult> Append(const std::string& stream, ExpectedRevision expected,
                                      std::vector<ProposedEvent> events, const std::string& actor,
                                      std::optional<Deadline> deadline = std::nullopt) = 0;

  // The same as Append, but returns at once; `done` is called exactly once with
  // the outcome, after the sync, on the store's completion thread (or on the
  // caller's thread for input that fails validation). `done` must be quick and must not
  // call back into the store's append path.
  using AppendCallback = std::function<void(Result<AppendResult>)>;
  virtual void AppendAsync(const std::string& stream, ExpectedRevision expected,
                           std::vector<ProposedEvent> events, const std::string& actor,
                           std::optional<Deadline> deadline, AppendCallback done) = 0;

  virtual Result<StreamPage> ReadStream(const std::string& stream,
                                        const ReadStreamOptions& options) = 0;
  virtual Result<AllPage> ReadAll(const ReadAllOptions& options) = 0;
  // The events of every stream named with a prefix, stream by stream, each
  // in revision order; events at or above below_position (or not yet
  // published) are left out. InvalidArgument for an empty prefix, or a
  // from_stream without it.
  virtual Result<PrefixPage> ReadStreamsWithPrefix(const ReadPrefixOptions& options) = 0;
  // Reads the event at one position.
  virtual Result<EventRecord> ReadEvent(uint64_t position) = 0;
  // The events at these positions, in the order given; OutOfRange for a
  // position the published log does not have.
  virtual Result<std::vector<EventRecord>> ReadEvents(const std::vector<uint64_t>& positions) = 0;
  // The position of each id's event, or nullopt for an id the published log
  // does not hold: which events of a batch were recorded before.
  virtual Result<std::vector<std::optional<uint64_t>>> FindEventIds(const std::vector<Uuid>& ids) = 0;

  // Filters as in ReadAllOptions (from_position, stream_prefix, event_types).
  virtual Result<std::unique_ptr<Subscription>> SubscribeAll(const ReadAllOptions& from) = 0;
  virtual Result<std::unique_ptr<Subscription>> SubscribeStream(const std::string& stream,
                                                                uint64_t from_revision) = 0;

  // Number of committed events (the current tree size).
  virtual uint64_t Size() const = 0;
  virtual StoreStats Stats() const = 0;

  // The latest checkpoint; NotFound when the log has never had one.
  virtual Result<SignedCheckpoint> LatestCheckpoint() = 0;
  // Signs a checkpoint for the current size now (or returns the latest if the
  // size has not changed since).
  virtual Result<SignedCheckpoint> IssueCheckpoint() = 0;
  // tree_size 0 means the latest checkpoint's size.
  virtual Result<InclusionProofResult> InclusionProof(uint64_t position, uint64_t tree_size) = 0;
  virtual Result<ConsistencyProofResult> ConsistencyProof(uint64_t from_size, uint64_t to_size) = 0;

  // Verifies the whole log as of now (see log_verifier.h). Appends go on meanwhile.
  virtual Result<VerifyReport> Verify(const VerifyProgress& progress) = 0;

  // Writes a consistent copy of the log as of now into `dir`, which must not
  // exist (AlreadyExists): RocksDB's checkpoint of every column family (hard
  // links where the file system allows), and the signing key when it lives
  // in the data directory. Read models, the key vault and other keys are
  // not included. Appends go on meanwhile. `dir` appears whole or not at all
  // (staged_dir.h). Returns the log size it holds at least.
  virtual Result<uint64_t> Backup(const std::string& dir) = 0;

  virtual const checkpoint::Signer& signer() const = 0;
  virtual const std::string& origin() const = 0;
  virtual const std::string& data_dir() const = 0;

  // Stops taking appends (Unavailable), finishes those already queued, wakes
  // subscriptions (they return Unavailable), issues a final checkpoint. Idempotent.
  virtual void Close() = 0;
};

}  // namespace sparbar
