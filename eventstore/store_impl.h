// StoreImpl: the EventStore behind EventStore::Open. Private to eventstore/.
//
// Threads: callers of Append enqueue a PendingAppend and wait on its future.
// One sequencer thread (writer.cc) drains the queue, validates each request
// against the staged state of the batch, writes all of them in one RocksDB
// WriteBatch with sync=true, then publishes the new size and wakes waiters and
// subscribers. Readers see positions < published size only.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "eventstore/completer.h"
#include "eventstore/log_db.h"
#include "eventstore/merkle/compact_range.h"
#include "eventstore/store.h"

namespace sparbar {

struct PendingAppend {
  std::string stream;
  ExpectedRevision expected;
  std::vector<ProposedEvent> events;
  std::string actor;
  std::optional<EventStore::Deadline> deadline;
  EventStore::AppendCallback done;
};

class StoreImpl final : public EventStore {
 public:
  StoreImpl(StoreOptions options, std::unique_ptr<LogDb> db, checkpoint::Signer signer);
  ~StoreImpl() override;

  // Loads size, tree frontier, latest checkpoint; starts the sequencer.
  Status Start();

  Result<AppendResult> Append(const std::string& stream, ExpectedRevision expected,
                              std::vector<ProposedEvent> events, const std::string& actor,
                              std::optional<Deadline> deadline) override;
  void AppendAsync(const std::string& stream, ExpectedRevision expected,
                   std::vector<ProposedEvent> events, const std::string& actor,
                   std::optional<Deadline> deadline, AppendCallback done) override;
  Result<StreamPage> ReadStream(const std::string& stream, const ReadStreamOptions& options) override;
  Result<PrefixPage> ReadStreamsWithPrefix(const ReadPrefixOptions& options) override;
  Result<std::vector<std::optional<uint64_t>>> FindEventIds(const std::vector<Uuid>& ids) override;
  Result<std::vector<EventRecord>> ReadEvents(const std::vector<uint64_t>& positions) override;
  Result<AllPage> ReadAll(const ReadAllOptions& options) override;
  // ReadAll into `page`, decoding into the records its `events` already
  // holds (their storage reused); `*page` is unspecified on failure.
  Status ReadAllInto(const ReadAllOptions& options, AllPage* page);
  Result<EventRecord> ReadEvent(uint64_t position) override;
  Result<std::unique_ptr<Subscription>> SubscribeAll(const ReadAllOptions& from) override;
  Result<std::unique_ptr<Subscription>> SubscribeStream(const std::string& stream,
                                                        uint64_t from_revision) override;
  uint64_t Size() const override { return published_.load(std::memory_order_acquire); }
  StoreStats Stats() const override;
  Result<SignedCheckpoint> LatestCheckpoint() override;
  Result<SignedCheckpoint> IssueCheckpoint() override;
  Result<InclusionProofResult> InclusionProof(uint64_t position, uint64_t tree_size) override;
  Result<ConsistencyProofResult> ConsistencyProof(uint64_t from_size, uint64_t to_size) override;
  Result<VerifyReport> Verify(const VerifyProgress& progress) override;
  Result<uint64_t> Backup(const std::string& dir) override;
  const checkpoint::Signer& signer() const override { return signer_; }
  const std::string& origin() const override { return options_.origin; }
  const std::string& data_dir() const override { return options_.data_dir; }
  void Close() override;

  // For subscriptions: waits until the published size differs from `seen`,
  // the store closes, or `timeout` passes. Returns the published size.
  uint64_t WaitForGrowth(uint64_t seen, std::chrono::milliseconds timeout);
  bool closing() const { return closing_.load(std::memory_order_acquire); }

 private:
  // ---- sequencer (writer.cc) ----
  struct Staged;  // the batch being built
  void WriterLoop();
  using CheckpointWaiters = std::vector<std::promise<Result<SignedCheckpoint>>>;
  void ProcessBatch(std::vector<std::unique_ptr<PendingAppend>>& batch, CheckpointWaiters& waiters,
                    bool checkpoint_due);
  // Revision the next event of `stream` gets, consulting the staged batch, the
  // cache and RocksDB in that order.
  Result<uint64_t> NextRevision(Staged& staged, const std::string& stream);
  // Decides whether `req` repeats an append already in the log or in `staged`.
  // Returns the original result if so, nullopt if all its ids are new.
  Result<std::optional<AppendResult>> CheckDuplicate(Staged& staged, const PendingAppend& req);
  Status CheckExpected(Staged& staged, const PendingAppend& req, uint64_t* next_revision);
  void StageEvents(Staged& staged, const PendingAppend& req, uint64_t next_revision,
                   AppendResult* result);
  void StageCheckpoint(Staged& staged);
  bool CheckpointDue(uint64_t size, std::chrono::steady_clock::time_point now) const;

  Result<std::vector<EventRecord>> ReadPositions(const std::vector<uint64_t>& positions);
  Result<merkle::Hash> RootAt(uint64_t size);

  StoreOptions options_;
  std::unique_ptr<LogDb> db_;
  checkpoint::Signer signer_;

  // Writer-owned state (only the sequencer thread touches it after Start).
  merkle::CompactRange tree_;
  TimestampMicros last_recorded_at_ = 0;
  std::unordered_map<std::string, uint64_t> next_revision_cache_;
  std::chrono::steady_clock::time_point last_checkpoint_time_;
  uint64_t last_checkpoint_size_ = 0;
  bool has_checkpoint_ = false;
  Status broken_;  // set after a failed write: the store takes no more appends

  // Queue between appenders and the sequencer.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::unique_ptr<PendingAppend>> queue_;
  CheckpointWaiters checkpoint_requests_;
  bool stop_writer_ = false;
  std::thread writer_;
  // Answers callers after each sync; reset after the writer has stopped.
  std::unique_ptr<Completer> completer_ = std::make_unique<Completer>();

  // Published state.
  std::atomic<uint64_t> published_{0};
  std::atomic<bool> closing_{false};
  std::mutex publish_mu_;
  std::condition_variable publish_cv_;
  std::mutex checkpoint_mu_;
  std::optional<SignedCheckpoint> latest_checkpoint_;
  std::once_flag close_once_;
  mutable std::mutex stats_mu_;
  StoreStats stats_;
};

}  // namespace sparbar
