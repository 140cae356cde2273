// The sequencer: one thread that orders, validates and durably writes appends,
// sharing one synced RocksDB write among all requests that queued meanwhile.

#include <rocksdb/write_batch.h>

#include <algorithm>

#include "eventstore/codec.h"
#include "eventstore/keys.h"
#include "eventstore/store_impl.h"

namespace sparbar {

struct StoreImpl::Staged {
  rocksdb::WriteBatch batch;
  merkle::CompactRange tree;
  uint64_t base = 0;  // first position of this batch
  uint64_t size = 0;  // next position
  TimestampMicros recorded_at = 0;
  std::unordered_map<std::string, uint64_t> next_revision;  // streams touched
  std::unordered_map<std::string, uint64_t> ids;            // raw id -> position
  std::vector<EventRecord> records;                         // records[p - base]
  std::optional<SignedCheckpoint> checkpoint;
  // Index entries whose keys do not arrive in order (tree nodes of several
  // levels, random event ids): put into the batch sorted by key just before
  // the write, so that each memtable's skip list is walked forwards once
  // instead of searched from the top for every entry.
  std::vector<std::pair<std::string, std::string>> tree_puts;
  std::vector<std::pair<std::string, std::string>> id_puts;

  void PutSorted(rocksdb::ColumnFamilyHandle* cf, std::vector<std::pair<std::string, std::string>>& puts) {
    std::sort(puts.begin(), puts.end());
    for (const auto& [key, value] : puts) batch.Put(cf, key, value);
    puts.clear();
  }
};

namespace {

bool SameEvent(const EventRecord& rec, const std::string& stream, const std::string& actor,
               const ProposedEvent& ev) {
  return rec.id == ev.id && rec.stream == stream && rec.metadata.actor == actor &&
         rec.type == ev.type && rec.content_type == ev.content_type && rec.payload == ev.payload &&
         rec.metadata.correlation_id == ev.correlation_id &&
         rec.metadata.causation_id == ev.causation_id &&
         (!ev.occurred_at || *ev.occurred_at == rec.occurred_at);
}

}  // namespace

Result<AppendResult> StoreImpl::Append(const std::string& stream, ExpectedRevision expected,
                                       std::vector<ProposedEvent> events, const std::string& actor,
                                       std::optional<Deadline> deadline) {
  std::promise<Result<AppendResult>> promise;
  auto outcome = promise.get_future();
  AppendAsync(stream, expected, std::move(events), actor, deadline,
              [&promise](Result<AppendResult> r) { promise.set_value(std::move(r)); });
  return outcome.get();
}

void StoreImpl::AppendAsync(const std::string& stream, ExpectedRevision expected,
                            std::vector<ProposedEvent> events, const std::string& actor,
                            std::optional<Deadline> deadline, AppendCallback done) {
  Status valid = ValidateActor(actor, options_.limits);
  if (valid.ok()) valid = ValidateAppend(stream, events, options_.limits);
  if (valid.ok() && events.size() > options_.max_batch_events) {
    valid = Status::InvalidArgument("append has " + std::to_string(events.size()) +
                                    " events; this server takes at most " +
                                    std::to_string(options_.max_batch_events) + " per append");
  }
  if (!valid.ok()) {
    done(valid);
    return;
  }
  auto req = std::make_unique<PendingAppend>();
  req->stream = stream;
  req->expected = expected;
  req->events = std::move(events);
  req->actor = actor;
  req->deadline = deadline;
  req->done = std::move(done);
  {
    std::lock_guard<std::mutex> lk(queue_mu_);
    if (!stop_writer_) {
      queue_.push_back(std::move(req));
    }
  }
  if (req) {  // not queued: the store is closing
    req->done(Status::Unavailable("the store is shutting down; nothing was written"));
    return;
  }
  queue_cv_.notify_one();
}

StoreStats StoreImpl::Stats() const {
  StoreStats stats;
  {
    std::lock_guard<std::mutex> lk(stats_mu_);
    stats = stats_;
  }
  uint64_t v = 0;
  if (db_->db()->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &v)) stats.running_compactions = v;
  for (auto* cf : {db_->events(), db_->streams(), db_->ids(), db_->tree()}) {
    if (db_->db()->GetIntProperty(cf, rocksdb::DB::Properties::kEstimatePendingCompactionBytes, &v)) {
      stats.pending_compaction_bytes += v;
    }
  }
  return stats;
}

Result<SignedCheckpoint> StoreImpl::IssueCheckpoint() {
  std::promise<Result<SignedCheckpoint>> p;
  auto f = p.get_future();
  {
    std::lock_guard<std::mutex> lk(queue_mu_);
    if (stop_writer_) return Status::Unavailable("the store is shutting down");
    checkpoint_requests_.push_back(std::move(p));
  }
  queue_cv_.notify_one();
  return f.get();
}

bool StoreImpl::CheckpointDue(uint64_t size, std::chrono::steady_clock::time_point now) const {
  if (has_checkpoint_ && size == last_checkpoint_size_) return false;
  if (!has_checkpoint_ && size == 0) return false;
  if (size - last_checkpoint_size_ >= options_.checkpoint_every_events) return true;
  return now - last_checkpoint_time_ >= std::chrono::milliseconds(options_.checkpoint_interval_ms);
}

void StoreImpl::WriterLoop() {
  std::unique_lock<std::mutex> lk(queue_mu_);
  while (true) {
    auto next_due = last_checkpoint_time_ + std::chrono::milliseconds(options_.checkpoint_interval_ms);
    bool pending_growth = !(has_checkpoint_ && tree_.size() == last_checkpoint_size_) && tree_.size() > 0;
    auto ready = [&] { return !queue_.empty() || !checkpoint_requests_.empty() || stop_writer_; };
    if (pending_growth) {
      queue_cv_.wait_until(lk, next_due, ready);
    } else {
      queue_cv_.wait(lk, ready);
    }
    if (queue_.empty() && checkpoint_requests_.empty() && stop_writer_) break;

    std::vector<std::unique_ptr<PendingAppend>> batch;
    size_t events = 0;
    while (!queue_.empty() &&
           (batch.empty() || events + queue_.front()->events.size() <= options_.max_batch_events)) {
      events += queue_.front()->events.size();
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    CheckpointWaiters waiters = std::move(checkpoint_requests_);
    checkpoint_requests_.clear();
    lk.unlock();
    bool due = CheckpointDue(tree_.size(), std::chrono::steady_clock::now());
    if (!batch.empty() || !waiters.empty() || due) ProcessBatch(batch, waiters, due);
    lk.lock();
  }
  lk.unlock();
  // A final checkpoint, so that everything acknowledged is covered by a signature.
  CheckpointWaiters none;
  std::vector<std::unique_ptr<PendingAppend>> empty;
  if (broken_.ok() && CheckpointDue(tree_.size(), std::chrono::steady_clock::time_point::max())) {
    ProcessBatch(empty, none, true);
  }
}

Result<uint64_t> StoreImpl::NextRevision(Staged& staged, const std::string& stream) {
  if (auto it = staged.next_revision.find(stream); it != staged.next_revision.end()) return it->second;
  if (auto it = next_revision_cache_.find(stream); it != next_revision_cache_.end()) return it->second;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(rocksdb::ReadOptions(), db_->streams()));
  it->SeekForPrev(keys::StreamRevision(stream, UINT64_MAX));
  if (!it->status().ok()) return FromRocks(it->status(), "looking up the stream's revision");
  uint64_t next = 0;
  std::string prefix = keys::StreamPrefix(stream);
  if (it->Valid() && it->key().starts_with(prefix) && it->key().size() == prefix.size() + 8) {
    next = GetBigEndian64(it->key().data() + prefix.size()) + 1;
  }
  if (next_revision_cache_.size() >= 1'000'000) next_revision_cache_.clear();
  next_revision_cache_[stream] = next;
  return next;
}

Result<std::optional<AppendResult>> StoreImpl::CheckDuplicate(Staged& staged,
                                                              const PendingAppend& req) {
  const size_t n = req.events.size();
  std::vector<std::optional<uint64_t>> found(n);
  std::vector<rocksdb::Slice> lookup_keys;
  std::vector<size_t> lookup_index;
  for (size_t i = 0; i < n; ++i) {
    std::string raw(req.events[i].id.raw());
    if (auto it = staged.ids.find(raw); it != staged.ids.end()) {
      found[i] = it->second;
    } else {
      lookup_keys.emplace_back(req.events[i].id.raw().data(), 16);
      lookup_index.push_back(i);
    }
  }
  if (!lookup_keys.empty()) {
    std::vector<rocksdb::PinnableSlice> values(lookup_keys.size());
    std::vector<rocksdb::Status> statuses(lookup_keys.size());
    db_->db()->MultiGet(rocksdb::ReadOptions(), db_->ids(), lookup_keys.size(), lookup_keys.data(),
                        values.data(), statuses.data());
    for (size_t k = 0; k < lookup_keys.size(); ++k) {
      if (statuses[k].IsNotFound()) continue;
      if (!statuses[k].ok()) return FromRocks(statuses[k], "looking up event ids");
      if (values[k].size() != 8) return Status::DataLoss("malformed entry in the event-id index");
      found[lookup_index[k]] = GetBigEndian64(values[k].data());
    }
  }
  size_t hits = 0;
  for (auto& f : found) hits += f.has_value();
  if (hits == 0) return std::optional<AppendResult>();
  for (size_t i = 0; i < n; ++i) {
    if (!found[i]) {
      size_t used = 0;
      while (!found[used]) ++used;
      return Status::AlreadyExists("event id " + req.events[used].id.ToString() +
                                   " was already appended (position " +
                                   std::to_string(*found[used]) +
                                   ") but event id " + req.events[i].id.ToString() +
                                   " was not: a retry must repeat the whole append");
    }
  }
  // Every id is known: it is a retry only if it repeats one earlier append exactly.
  std::vector<uint64_t> from_log;
  for (size_t i = 0; i < n; ++i) {
    if (*found[i] < staged.base) from_log.push_back(*found[i]);
  }
  auto stored = ReadPositions(from_log);
  if (!stored.ok()) return stored.status();
  size_t next_stored = 0;
  AppendResult result;
  for (size_t i = 0; i < n; ++i) {
    uint64_t pos = *found[i];
    const EventRecord& rec =
        pos < staged.base ? stored.value()[next_stored++] : staged.records[pos - staged.base];
    if (pos != *found[0] + i || !SameEvent(rec, req.stream, req.actor, req.events[i])) {
      return Status::AlreadyExists("event id " + req.events[i].id.ToString() +
                                   " was already used for a different event (position " +
                                   std::to_string(pos) + ")");
    }
    if (i == 0) result.first_revision = rec.revision;
    result.last_revision = rec.revision;
  }
  result.first_position = *found[0];
  result.last_position = *found[0] + n - 1;
  result.duplicate = true;
  return std::optional<AppendResult>(result);
}

Status StoreImpl::CheckExpected(Staged& staged, const PendingAppend& req, uint64_t* next_revision) {
  auto next = NextRevision(staged, req.stream);
  if (!next.ok()) return next.status();
  *next_revision = *next;
  const uint64_t n = *next;
  const std::string now =
      n == 0 ? "the stream does not exist" : "the stream is at revision " + std::to_string(n - 1);
  switch (req.expected.kind) {
    case ExpectedRevision::Kind::kAny:
      return Status::Ok();
    case ExpectedRevision::Kind::kNoStream:
      if (n == 0) return Status::Ok();
      break;
    case ExpectedRevision::Kind::kStreamExists:
      if (n > 0) return Status::Ok();
      break;
    case ExpectedRevision::Kind::kExact:
      if (n > 0 && n - 1 == req.expected.revision) return Status::Ok();
      break;
  }
  return Status::Aborted("expected " + req.expected.ToString() + " but " + now +
                         "; nothing was written");
}

void StoreImpl::StageEvents(Staged& staged, const PendingAppend& req, uint64_t next_revision,
                            AppendResult* result) {
  result->first_position = staged.size;
  result->first_revision = next_revision;
  std::string bytes;
  const uint8_t lowest_stored_level = db_->lowest_stored_level();
  for (size_t i = 0; i < req.events.size(); ++i) {
    const ProposedEvent& ev = req.events[i];
    EventRecord rec;
    rec.id = ev.id;
    rec.stream = req.stream;
    rec.revision = next_revision + i;
    rec.position = staged.size;
    rec.type = ev.type;
    rec.content_type = ev.content_type;
    rec.payload = ev.payload;
    rec.metadata = {req.actor, ev.correlation_id, ev.causation_id};
    rec.recorded_at = staged.recorded_at;
    rec.occurred_at = ev.occurred_at.value_or(staged.recorded_at);

    bytes.clear();
    EncodeEvent(rec, &bytes);
    const std::string pos_key = keys::Position(rec.position);
    staged.batch.Put(db_->events(), pos_key, bytes);
    staged.batch.Put(db_->streams(), keys::StreamRevision(rec.stream, rec.revision), pos_key);
    staged.id_puts.emplace_back(std::string(rec.id.raw()), pos_key);
    // Only the levels the log stores; the lower ones are the events' to give
    // again (log_nodes.h).
    staged.tree.Append(merkle::LeafHash(bytes), [&](uint8_t level, uint64_t index, const merkle::Hash& h) {
      if (level < lowest_stored_level) return;
      staged.tree_puts.emplace_back(keys::Node(level, index),
                                    std::string(reinterpret_cast<const char*>(h.data()), h.size()));
    });
    staged.ids.emplace(std::string(rec.id.raw()), rec.position);
    staged.records.push_back(std::move(rec));
    ++staged.size;
  }
  staged.next_revision[req.stream] = next_revision + req.events.size();
  result->last_position = staged.size - 1;
  result->last_revision = next_revision + req.events.size() - 1;
}

void StoreImpl::StageCheckpoint(Staged& staged) {
  SignedCheckpoint cp;
  cp.checkpoint = {options_.origin, staged.size, staged.tree.Root()};
  cp.note = checkpoint::SignCheckpoint(cp.checkpoint, signer_);
  staged.batch.Put(db_->checkpoints(), keys::Position(staged.size), cp.note);
  staged.checkpoint = std::move(cp);
}

void StoreImpl::ProcessBatch(std::vector<std::unique_ptr<PendingAppend>>& batch,
                             CheckpointWaiters& waiters, bool checkpoint_due) {
  if (!broken_.ok()) {
    for (auto& req : batch) req->done(broken_);
    for (auto& w : waiters) w.set_value(broken_);
    return;
  }
  Staged staged;
  staged.tree = tree_;
  staged.base = staged.size = tree_.size();
  staged.recorded_at = std::max(NowMicros(), last_recorded_at_);

  const auto now = std::chrono::steady_clock::now();
  std::vector<std::optional<Result<AppendResult>>> outcomes(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    PendingAppend& req = *batch[i];
    if (req.deadline && now > *req.deadline) {
      outcomes[i] = Status::DeadlineExceeded(
          "the deadline passed before the append was sequenced; nothing was written");
      continue;
    }
    auto dup = CheckDuplicate(staged, req);
    if (!dup.ok()) { outcomes[i] = dup.status(); continue; }
    if (dup.value()) { outcomes[i] = *dup.value(); continue; }
    uint64_t next_revision = 0;
    if (Status s = CheckExpected(staged, req, &next_revision); !s.ok()) {
      outcomes[i] = s;
      continue;
    }
    AppendResult result;
    StageEvents(staged, req, next_revision, &result);
    outcomes[i] = result;
  }

  const bool grew = staged.size > staged.base;
  if (!waiters.empty() || checkpoint_due ||
      staged.size - last_checkpoint_size_ >= options_.checkpoint_every_events) {
    if (!(has_checkpoint_ && staged.size == last_checkpoint_size_)) StageCheckpoint(staged);
  }

  if (grew || staged.checkpoint) {
    staged.PutSorted(db_->tree(), staged.tree_puts);
    staged.PutSorted(db_->ids(), staged.id_puts);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    rocksdb::Status ws = db_->db()->Write(wo, &staged.batch);
    if (!ws.ok()) {
      broken_ = Status::Unavailable("the log could not be written to disk (" + ws.ToString() +
                                    "); the server must be restarted");
      for (auto& req : batch) req->done(broken_);
      for (auto& w : waiters) w.set_value(broken_);
      return;
    }
  }

  // Committed: adopt the staged state, then publish.
  tree_ = std::move(staged.tree);
  last_recorded_at_ = staged.recorded_at;
  for (auto& [stream, next] : staged.next_revision) next_revision_cache_[stream] = next;
  if (staged.checkpoint) {
    has_checkpoint_ = true;
    last_checkpoint_size_ = staged.checkpoint->checkpoint.size;
    last_checkpoint_time_ = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lk(checkpoint_mu_);
    latest_checkpoint_ = staged.checkpoint;
  }
  {
    std::lock_guard<std::mutex> lk(publish_mu_);
    published_.store(staged.size, std::memory_order_release);
  }
  publish_cv_.notify_all();

  {
    std::lock_guard<std::mutex> lk(stats_mu_);
    stats_.events_written += staged.size - staged.base;
    stats_.synced_writes += (grew || staged.checkpoint) ? 1 : 0;
    if (grew) {
      const uint64_t n = staged.size - staged.base;
      size_t b = 0;
      while (n > StoreStats::kBatchSizeBounds[b]) ++b;  // the last bound takes every size
      ++stats_.batch_sizes[b];
    }
    stats_.checkpoints += staged.checkpoint ? 1 : 0;
    for (auto& o : outcomes) stats_.appends += o->ok();
  }
  for (auto& o : outcomes) {
    if (o->ok()) o->value().log_size = staged.size;
  }
  std::optional<Result<SignedCheckpoint>> latest;
  if (!waiters.empty()) latest = LatestCheckpoint();
  // Answer on the completer thread, so the next batch can be staged meanwhile.
  struct Answers {
    std::vector<std::unique_ptr<PendingAppend>> batch;
    std::vector<std::optional<Result<AppendResult>>> outcomes;
    CheckpointWaiters waiters;
    std::optional<Result<SignedCheckpoint>> latest;
  };
  auto answers = std::make_shared<Answers>(
      Answers{std::move(batch), std::move(outcomes), std::move(waiters), std::move(latest)});
  completer_->Post([answers] {
    for (size_t i = 0; i < answers->batch.size(); ++i) {
      answers->batch[i]->done(std::move(*answers->outcomes[i]));
    }
    for (auto& w : answers->waiters) w.set_value(*answers->latest);
  });
}

}  // namespace sparbar
