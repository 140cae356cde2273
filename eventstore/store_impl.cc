// Opening the store, reads, subscriptions, checkpoints and proofs.
// The sequencer (appends) is in writer.cc.

#include "eventstore/store_impl.h"

#include <rocksdb/utilities/checkpoint.h>

#include <pthread.h>

#include <filesystem>

#include "eventstore/codec.h"
#include "eventstore/keys.h"
#include "eventstore/log_nodes.h"
#include "eventstore/merkle/proof.h"
#include "eventstore/staged_dir.h"

namespace sparbar {
namespace {

bool TypeMatches(const std::vector<std::string>& types, std::string_view type) {
  if (types.empty()) return true;
  for (const auto& t : types) {
    if (t == type) return true;
  }
  return false;
}

size_t PageSize(size_t requested) { return requested == 0 ? 100 : requested; }

// Catch-up then live delivery, as a pull loop over the published log: every
// batch is read from the store by position (or revision), so the switch from
// catch-up to live can neither skip nor repeat an event, and the writer never
// waits for a subscriber.
class PollingSubscription : public Subscription {
 public:
  struct Page {
    std::vector<EventRecord> events;
    bool at_end = false;
    uint64_t next_position = 0;  // whole-log reads: what the read got past
  };
  // Fills the page; its `events` may hold records to decode into.
  using ReadPage = std::function<Status(Page*)>;

  PollingSubscription(StoreImpl* store, ReadPage read) : store_(store), read_(std::move(read)) {}

  Result<SubscriptionBatch> Next(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (store_->closing()) return Status::Unavailable("the store is shutting down");
      const uint64_t seen = store_->Size();
      Page page;
      if (!spares_.empty()) {
        page.events = std::move(spares_.back());
        spares_.pop_back();
      }
      SPARBAR_RETURN_IF_ERROR(read_(&page));
      position_ = std::max(position_, page.next_position);
      if (!page.events.empty()) return Batch(std::move(page.events), false);
      Reuse(std::move(page.events));
      if (!page.at_end) continue;  // filters skipped a stretch of the log
      if (!caught_up_sent_) {
        caught_up_sent_ = true;
        return Batch({}, true);
      }
      if (position_ > reported_) return Batch({}, false);  // only events the filter left out
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return Batch({}, false);
      store_->WaitForGrowth(seen, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                                      std::chrono::milliseconds(1));
    }
  }

  void Reuse(std::vector<EventRecord> events) override {
    if (spares_.size() >= kMaxSpares || events.capacity() == 0) return;
    // A record keeps the largest storage it ever held: a large payload's is
    // given back, so that a few large events do not pin their size in every
    // slot for the rest of the subscription.
    for (EventRecord& e : events) {
      if (e.payload.capacity() > kMaxKeptPayload) std::string().swap(e.payload);
    }
    spares_.push_back(std::move(events));
  }

 private:
  SubscriptionBatch Batch(std::vector<EventRecord> events, bool caught_up) {
    reported_ = position_;
    return SubscriptionBatch{std::move(events), caught_up, position_};
  }

  StoreImpl* store_;
  ReadPage read_;
  static constexpr size_t kMaxSpares = 4;
  static constexpr size_t kMaxKeptPayload = 16 * 1024;
  std::vector<std::vector<EventRecord>> spares_;  // delivered batches' records, handed back to be decoded into
  bool caught_up_sent_ = false;
  uint64_t position_ = 0;  // how far the reads got
  uint64_t reported_ = 0;  // the position in the last batch handed out
};

}  // namespace

Result<std::unique_ptr<EventStore>> EventStore::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("no data directory given");
  if (options.origin.empty() || options.origin.find('\n') != std::string::npos) {
    return Status::InvalidArgument("the log's origin must be one non-empty line");
  }
  if (options.checkpoint_every_events == 0) {
    return Status::InvalidArgument("checkpoint_every_events must be at least 1");
  }
  if (options.tree_lowest_stored_level > LogDb::kMaxLowestStoredLevel) {
    return Status::InvalidArgument("tree_lowest_stored_level must be at most " +
                                   std::to_string(LogDb::kMaxLowestStoredLevel));
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::Unavailable("cannot create data directory " + options.data_dir + ": " + ec.message());
  }
  std::string key_path = options.signing_key_path.empty()
                             ? (std::filesystem::path(options.data_dir) / "log-signing-key.pem").string()
                             : options.signing_key_path;
  auto signer = checkpoint::Signer::LoadOrCreate(key_path, options.origin);
  if (!signer.ok()) return signer.status();
  auto db = LogDb::Open(options.data_dir, LogDb::Mode::kReadWrite, options.cache_bytes);
  if (!db.ok()) return db.status();
  auto store = std::make_unique<StoreImpl>(options, std::move(db.value()), std::move(signer.value()));
  SPARBAR_RETURN_IF_ERROR(store->Start());
  return std::unique_ptr<EventStore>(std::move(store));
}

StoreImpl::StoreImpl(StoreOptions options, std::unique_ptr<LogDb> db, checkpoint::Signer signer)
    : options_(std::move(options)), db_(std::move(db)), signer_(std::move(signer)) {}

StoreImpl::~StoreImpl() { Close(); }

Status StoreImpl::Start() {
  // The log is bound to one origin and one signing key for life.
  auto origin = db_->GetMeta(keys::kMetaOrigin);
  if (!origin.ok()) return origin.status();
  auto vkey = db_->GetMeta(keys::kMetaVerifierKey);
  if (!vkey.ok()) return vkey.status();
  if (origin.value() && *origin.value() != options_.origin) {
    return Status::FailedPrecondition("this log's origin is \"" + *origin.value() +
                                      "\", not \"" + options_.origin + "\"");
  }
  if (vkey.value() && *vkey.value() != signer_.VerifierKey()) {
    return Status::FailedPrecondition(
        "the signing key does not match the key this log was created with (" + *vkey.value() + ")");
  }
  auto size = db_->CountEvents();
  if (!size.ok()) return size.status();
  const uint64_t n = size.value();

  if (!origin.value() || !vkey.value()) {
    rocksdb::WriteBatch wb;
    wb.Put(db_->meta(), keys::kMetaOrigin, options_.origin);
    wb.Put(db_->meta(), keys::kMetaVerifierKey, signer_.VerifierKey());
    wb.Put(db_->meta(), keys::kMetaFormat, "1");
    // Fixed for the log's life. A log that already holds events (written
    // before the level was recorded) stores every level and keeps doing so.
    if (n == 0) wb.Put(db_->meta(), keys::kMetaTreeLowestLevel, std::to_string(options_.tree_lowest_stored_level));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    SPARBAR_RETURN_IF_ERROR(FromRocks(db_->db()->Write(wo, &wb), "recording the log's identity"));
    if (n == 0) db_->set_lowest_stored_level(options_.tree_lowest_stored_level);
  }

  // The tree's right frontier: one perfect subtree per set bit of n, read as
  // stored or, below the stored levels, recomputed from its events.
  std::vector<merkle::Hash> frontier;
  uint64_t offset = 0;
  LogNodeReader nodes(*db_, rocksdb::ReadOptions());
  for (int level = 63; level >= 0; --level) {
    if (!(n >> level & 1)) continue;
    auto node = nodes.Node(static_cast<uint8_t>(level), offset >> level);
    if (!node.ok()) return node.status();
    frontier.push_back(node.value());
    offset += uint64_t{1} << level;
  }
  auto tree = merkle::CompactRange::FromHashes(n, std::move(frontier));
  if (!tree.ok()) return tree.status();
  tree_ = std::move(tree.value());

  if (n > 0) {
    auto last = ReadPositions({n - 1});
    if (!last.ok()) return last.status();
    last_recorded_at_ = last.value()[0].recorded_at;
  }

  auto latest = db_->LatestCheckpoint();
  if (!latest.ok()) return latest.status();
  if (latest.value()) {
    auto [cp_size, note] = *latest.value();
    if (cp_size > n) {
      return Status::DataLoss("the log has " + std::to_string(n) + " events but was checkpointed at " +
                              std::to_string(cp_size) + ": events were removed; run sparbar verify");
    }
    auto cp = checkpoint::OpenCheckpoint(note, checkpoint::Verifier::FromVerifierKey(signer_.VerifierKey()).value());
    if (!cp.ok()) return Status::DataLoss("the latest checkpoint does not verify: " + cp.status().message());
    has_checkpoint_ = true;
    last_checkpoint_size_ = cp_size;
    latest_checkpoint_ = SignedCheckpoint{cp.value(), note};
  }
  last_checkpoint_time_ = std::chrono::steady_clock::now();
  published_.store(n, std::memory_order_release);
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "sparbar-writer");
    WriterLoop();
  });
  return Status::Ok();
}

void StoreImpl::Close() {
  std::call_once(close_once_, [this] {
    closing_.store(true, std::memory_order_release);
    {
      std::lock_guard<std::mutex> lk(queue_mu_);
      stop_writer_ = true;
    }
    queue_cv_.notify_all();
    {
      std::lock_guard<std::mutex> lk(publish_mu_);
    }
    publish_cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    completer_.reset();  // runs the last answers
    // Nothing is written after the writer has stopped. A flush that fails
    // loses nothing: the write-ahead log keeps what it did not write, and
    // the next start replays it as after a crash.
    if (db_) (void)db_->FlushAll();
  });
}

uint64_t StoreImpl::WaitForGrowth(uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(publish_mu_);
  publish_cv_.wait_for(lk, timeout, [&] {
    return published_.load(std::memory_order_acquire) != seen || closing();
  });
  return published_.load(std::memory_order_acquire);
}

Result<std::vector<EventRecord>> StoreImpl::ReadPositions(const std::vector<uint64_t>& positions) {
  std::vector<std::string> key_bytes;
  key_bytes.reserve(positions.size());
  for (uint64_t p : positions) key_bytes.push_back(keys::Position(p));
  std::vector<rocksdb::Slice> ks(key_bytes.begin(), key_bytes.end());
  std::vector<rocksdb::PinnableSlice> values(ks.size());
  std::vector<rocksdb::Status> statuses(ks.size());
  if (!ks.empty()) {
    db_->db()->MultiGet(rocksdb::ReadOptions(), db_->events(), ks.size(), ks.data(), values.data(),
                        statuses.data());
  }
  std::vector<EventRecord> out;
  out.reserve(ks.size());
  for (size_t i = 0; i < ks.size(); ++i) {
    if (!statuses[i].ok()) {
      if (statuses[i].IsNotFound()) {
        return Status::DataLoss("the index points at position " + std::to_string(positions[i]) +
                                " but the log has no event there");
      }
      return FromRocks(statuses[i], "reading event " + std::to_string(positions[i]));
    }
    auto rec = DecodeEvent(std::string_view(values[i].data(), values[i].size()));
    if (!rec.ok()) {
      return Status::DataLoss("event at position " + std::to_string(positions[i]) +
                              " does not decode: " + rec.status().message());
    }
    out.push_back(std::move(rec.value()));
  }
  return out;
}

Result<EventRecord> StoreImpl::ReadEvent(uint64_t position) {
  const uint64_t size = Size();
  if (position >= size) {
    return Status::OutOfRange("position " + std::to_string(position) +
                              " is beyond the end of the log (size " + std::to_string(size) + ")");
  }
  auto recs = ReadPositions({position});
  if (!recs.ok()) return recs.status();
  return std::move(recs.value()[0]);
}

Result<StreamPage> StoreImpl::ReadStream(const std::string& stream, const ReadStreamOptions& options) {
  SPARBAR_RETURN_IF_ERROR(ValidateStreamName(stream, options_.limits));
  const uint64_t published = Size();
  const size_t max = PageSize(options.max_count);
  const std::string prefix = keys::StreamPrefix(stream);
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(rocksdb::ReadOptions(), db_->streams()));
  auto entry = [&](uint64_t* revision, uint64_t* position) {
    if (!it->Valid() || !it->key().starts_with(prefix) || it->key().size() != prefix.size() + 8 ||
        it->value().size() != 8) {
      return false;
    }
    *revision = GetBigEndian64(it->key().data() + prefix.size());
    *position = GetBigEndian64(it->value().data());
    return true;
  };

  std::vector<uint64_t> positions;
  StreamPage page;
  uint64_t revision, position;
  if (!options.backwards) {
    it->Seek(keys::StreamRevision(stream, options.from_revision));
    page.next_revision = options.from_revision;
    while (entry(&revision, &position) && position < published && positions.size() < max) {
      positions.push_back(position);
      page.next_revision = revision + 1;
      it->Next();
    }
    page.end_of_stream = !(entry(&revision, &position) && position < published);
  } else {
    it->SeekForPrev(keys::StreamRevision(stream, options.from_end ? UINT64_MAX : options.from_revision));
    // Entries of a batch not yet published are skipped, newest first.
    while (entry(&revision, &position) && position >= published) it->Prev();
    while (entry(&revision, &position) && positions.size() < max) {
      positions.push_back(position);
      page.next_revision = revision == 0 ? 0 : revision - 1;
      it->Prev();
    }
    page.end_of_stream = !entry(&revision, &position);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the stream");
  if (positions.empty()) {
    it->Seek(prefix);
    if (!entry(&revision, &position) || position >= published) {
      return Status::NotFound("no stream with that name");
    }
  }
  auto recs = ReadPositions(positions);
  if (!recs.ok()) return recs.status();
  page.events = std::move(recs.value());
  for (const auto& e : page.events) {
    if (e.stream != stream) {
      return Status::DataLoss("the stream index points at position " + std::to_string(e.position) +
                              ", which belongs to another stream");
    }
  }
  return page;
}

Result<std::vector<EventRecord>> StoreImpl::ReadEvents(const std::vector<uint64_t>& positions) {
  const uint64_t size = Size();
  for (uint64_t p : positions) {
    if (p >= size) {
      return Status::OutOfRange("position " + std::to_string(p) + " is beyond the end of the log (size " +
                                std::to_string(size) + ")");
    }
  }
  return ReadPositions(positions);
}

Result<std::vector<std::optional<uint64_t>>> StoreImpl::FindEventIds(const std::vector<Uuid>& ids) {
  const uint64_t published = Size();
  std::vector<rocksdb::Slice> keys;
  keys.reserve(ids.size());
  for (const Uuid& id : ids) keys.emplace_back(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  if (!keys.empty()) {
    db_->db()->MultiGet(rocksdb::ReadOptions(), db_->ids(), keys.size(), keys.data(), values.data(), statuses.data());
  }
  std::vector<std::optional<uint64_t>> found(ids.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], "looking up event ids");
    if (values[i].size() != 8) return Status::DataLoss("malformed entry in the event-id index");
    const uint64_t position = GetBigEndian64(values[i].data());
    if (position < published) found[i] = position;  // a batch being committed is not there yet
  }
  return found;
}

Result<PrefixPage> StoreImpl::ReadStreamsWithPrefix(const ReadPrefixOptions& options) {
  if (options.stream_prefix.empty()) return Status::InvalidArgument("stream_prefix is required");
  if (!options.from_stream.empty() && !options.from_stream.starts_with(options.stream_prefix)) {
    return Status::InvalidArgument("from_stream must start with stream_prefix");
  }
  const uint64_t limit = std::min(options.below_position, Size());
  const size_t max = PageSize(options.max_count);
  const std::string& prefix = options.stream_prefix;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(rocksdb::ReadOptions(), db_->streams()));
  it->Seek(options.from_stream.empty() ? prefix : keys::StreamRevision(options.from_stream, options.from_revision));
  std::vector<uint64_t> positions;
  PrefixPage page;
  while (it->Valid() && it->key().starts_with(prefix)) {
    const std::string_view key(it->key().data(), it->key().size());
    const size_t end_of_name = key.find('\0');
    if (end_of_name == std::string_view::npos || key.size() != end_of_name + 9 || it->value().size() != 8) {
      return Status::DataLoss("the stream index has a malformed entry under prefix " + prefix);
    }
    const std::string_view stream = key.substr(0, end_of_name);
    const uint64_t position = GetBigEndian64(it->value().data());
    if (position >= limit) {
      // Later revisions of a stream come later in the log: on to the next stream.
      std::string next(stream);
      next.push_back('\x01');
      it->Seek(next);
      continue;
    }
    if (positions.size() == max) {
      page.next_stream = std::string(stream);
      page.next_revision = GetBigEndian64(key.data() + end_of_name + 1);
      page.end = false;
      break;
    }
    positions.push_back(position);
    it->Next();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the stream index");
  auto recs = ReadPositions(positions);
  if (!recs.ok()) return recs.status();
  page.events = std::move(recs.value());
  for (const auto& e : page.events) {
    if (!e.stream.starts_with(prefix)) {
      return Status::DataLoss("the stream index points at position " + std::to_string(e.position) +
                              ", which belongs to a stream without the prefix");
    }
  }
  return page;
}

Result<AllPage> StoreImpl::ReadAll(const ReadAllOptions& options) {
  AllPage page;
  SPARBAR_RETURN_IF_ERROR(ReadAllInto(options, &page));
  return page;
}

Status StoreImpl::ReadAllInto(const ReadAllOptions& options, AllPage* out) {
  AllPage& page = *out;
  std::vector<EventRecord>& events = page.events;  // records [0, used) are this page's; the rest are reused
  size_t used = 0;
  const uint64_t published = Size();
  const size_t max = PageSize(options.max_count);
  page.next_position = options.from_position;
  page.end_of_log = true;
  if (options.from_position >= published) {
    events.clear();
    return Status::Ok();
  }
  const std::string upper = keys::Position(published);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->db()->NewIterator(ro, db_->events()));
  events.reserve(std::min<uint64_t>(max, published - options.from_position));
  size_t scanned = 0;
  uint64_t expected = options.from_position;
  const bool filtered = !options.stream_prefix.empty() || !options.event_types.empty();
  for (it->Seek(keys::Position(options.from_position));
       it->Valid() && used < max && scanned < std::max(options.max_scan, max);
       it->Next(), ++scanned, ++expected) {
    const uint64_t pos = GetBigEndian64(it->key().data());
    if (pos != expected) {
      return Status::DataLoss("the log has no event at position " + std::to_string(expected));
    }
    const std::string_view bytes(it->value().data(), it->value().size());
    if (filtered) {  // most events of a filtered read are skipped: do not decode those
      std::string_view stream, type;
      if (PeekStreamAndType(bytes, &stream, &type) &&
          (!stream.starts_with(options.stream_prefix) || !TypeMatches(options.event_types, type))) {
        page.next_position = pos + 1;
        continue;
      }
    }
    if (used == events.size()) events.emplace_back();
    EventRecord& rec = events[used];
    if (Status s = DecodeEventInto(bytes, &rec); !s.ok()) {
      return Status::DataLoss("event at position " + std::to_string(pos) + " does not decode: " + s.message());
    }
    page.next_position = pos + 1;
    if (!rec.stream.starts_with(options.stream_prefix)) continue;
    if (!TypeMatches(options.event_types, rec.type)) continue;
    ++used;
  }
  events.resize(used);
  if (!it->status().ok()) return FromRocks(it->status(), "reading the log");
  page.end_of_log = page.next_position >= published;
  return Status::Ok();
}

Result<std::unique_ptr<Subscription>> StoreImpl::SubscribeAll(const ReadAllOptions& from) {
  if (closing()) return Status::Unavailable("the store is shutting down");
  auto cursor = std::make_shared<ReadAllOptions>(from);
  cursor->max_count = 512;
  cursor->max_scan = 8192;
  auto read = [this, cursor](PollingSubscription::Page* out) -> Status {
    AllPage page;
    page.events = std::move(out->events);  // records to reuse
    SPARBAR_RETURN_IF_ERROR(ReadAllInto(*cursor, &page));
    cursor->from_position = page.next_position;
    *out = PollingSubscription::Page{std::move(page.events), page.end_of_log, page.next_position};
    return Status::Ok();
  };
  return std::unique_ptr<Subscription>(new PollingSubscription(this, std::move(read)));
}

Result<std::unique_ptr<Subscription>> StoreImpl::SubscribeStream(const std::string& stream,
                                                                 uint64_t from_revision) {
  if (closing()) return Status::Unavailable("the store is shutting down");
  SPARBAR_RETURN_IF_ERROR(ValidateStreamName(stream, options_.limits));
  auto next = std::make_shared<uint64_t>(from_revision);
  auto read = [this, stream, next](PollingSubscription::Page* out) -> Status {
    ReadStreamOptions o;
    o.from_revision = *next;
    o.max_count = 512;
    auto page = ReadStream(stream, o);
    if (!page.ok()) {
      if (page.status().code() == Code::kNotFound) {
        *out = PollingSubscription::Page{{}, true};
        return Status::Ok();
      }
      return page.status();
    }
    if (!page->events.empty()) *next = page->events.back().revision + 1;
    *out = PollingSubscription::Page{std::move(page->events), page->end_of_stream};
    return Status::Ok();
  };
  return std::unique_ptr<Subscription>(new PollingSubscription(this, std::move(read)));
}

Result<SignedCheckpoint> StoreImpl::LatestCheckpoint() {
  std::lock_guard<std::mutex> lk(checkpoint_mu_);
  if (!latest_checkpoint_) return Status::NotFound("the log has no checkpoint yet");
  return *latest_checkpoint_;
}

Result<merkle::Hash> StoreImpl::RootAt(uint64_t size) {
  LogNodeReader reader(*db_, rocksdb::ReadOptions());
  return merkle::RootAt(reader, size);
}

Result<InclusionProofResult> StoreImpl::InclusionProof(uint64_t position, uint64_t tree_size) {
  if (tree_size == 0) {
    auto cp = LatestCheckpoint();
    if (!cp.ok()) return cp.status();
    tree_size = cp->checkpoint.size;
  }
  const uint64_t size = Size();
  if (tree_size > size) {
    return Status::OutOfRange("tree size " + std::to_string(tree_size) +
                              " is beyond the log's size " + std::to_string(size));
  }
  if (position >= tree_size) {
    return Status::OutOfRange("position " + std::to_string(position) +
                              " is not in a tree of size " + std::to_string(tree_size));
  }
  LogNodeReader reader(*db_, rocksdb::ReadOptions());
  InclusionProofResult r;
  r.position = position;
  r.tree_size = tree_size;
  auto hashes = merkle::InclusionProof(reader, position, tree_size);
  if (!hashes.ok()) return hashes.status();
  r.hashes = std::move(hashes.value());
  auto leaf = reader.Node(0, position);
  if (!leaf.ok()) return leaf.status();
  r.leaf_hash = leaf.value();
  auto root = merkle::RootAt(reader, tree_size);
  if (!root.ok()) return root.status();
  r.root = root.value();
  auto note = db_->GetCheckpointNote(tree_size);
  if (note.ok()) r.checkpoint_note = std::move(note.value());
  return r;
}

Result<ConsistencyProofResult> StoreImpl::ConsistencyProof(uint64_t from_size, uint64_t to_size) {
  if (to_size == 0) {
    auto cp = LatestCheckpoint();
    if (!cp.ok()) return cp.status();
    to_size = cp->checkpoint.size;
  }
  const uint64_t size = Size();
  if (to_size > size) {
    return Status::OutOfRange("tree size " + std::to_string(to_size) + " is beyond the log's size " +
                              std::to_string(size));
  }
  if (from_size > to_size) {
    return Status::OutOfRange("from size " + std::to_string(from_size) +
                              " is larger than to size " + std::to_string(to_size));
  }
  LogNodeReader reader(*db_, rocksdb::ReadOptions());
  ConsistencyProofResult r;
  r.from_size = from_size;
  r.to_size = to_size;
  auto hashes = merkle::ConsistencyProof(reader, from_size, to_size);
  if (!hashes.ok()) return hashes.status();
  r.hashes = std::move(hashes.value());
  auto from_root = merkle::RootAt(reader, from_size);
  if (!from_root.ok()) return from_root.status();
  auto to_root = merkle::RootAt(reader, to_size);
  if (!to_root.ok()) return to_root.status();
  r.from_root = from_root.value();
  r.to_root = to_root.value();
  return r;
}

Result<uint64_t> StoreImpl::Backup(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec)) return Status::AlreadyExists("the backup directory " + dir + " exists; name a new one");
  const fs::path parent = fs::path(dir).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  const uint64_t size = Size();
  // Written beside `dir` and renamed onto it when complete (staged_dir.h):
  // a backup racing for the same name never removes or mixes this one.
  const std::string staging = StagingDirFor(dir);
  rocksdb::Checkpoint* raw = nullptr;
  auto s = rocksdb::Checkpoint::Create(db_->db(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (s.ok()) s = checkpoint->CreateCheckpoint(staging);
  if (!s.ok()) {
    RemoveStaging(staging);
    return FromRocks(s, "writing a backup to " + dir);
  }
  if (options_.signing_key_path.empty()) {
    const fs::path key = fs::path(options_.data_dir) / "log-signing-key.pem";
    fs::copy_file(key, fs::path(staging) / key.filename(), ec);
    if (ec) {
      RemoveStaging(staging);
      return Status::Unavailable("no backup written to " + dir + ": the signing key could not be copied: " +
                                 ec.message());
    }
  }
  if (Status published = PublishDir(staging, dir); !published.ok()) {
    RemoveStaging(staging);  // gone already when only the sync after the rename failed
    if (published.code() == Code::kAlreadyExists) {
      return Status::AlreadyExists("the backup directory " + dir + " exists; name a new one");
    }
    return published;
  }
  return size;
}

Result<VerifyReport> StoreImpl::Verify(const VerifyProgress& progress) {
  auto key = checkpoint::Verifier::FromVerifierKey(signer_.VerifierKey());
  if (!key.ok()) return key.status();
  return VerifyLog(*db_, key.value(), progress);
}

}  // namespace sparbar
