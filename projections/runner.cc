#include "projections/runner.h"

#include <pthread.h>

#include "projections/read_ahead.h"

namespace sparbar::projections {
namespace {

constexpr size_t kReadAheadPages = 4;
constexpr auto kPoll = std::chrono::milliseconds(100);

}  // namespace

Result<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Open(EventStore* store,
                                                                 std::unique_ptr<Projection> projection,
                                                                 const std::string& dir) {
  auto state = VersionedState::Open(dir, projection->GroupedKeyStarts());
  if (!state.ok()) return state.status();
  if (state.value()->version() != projection->version()) {
    // Built by another fold (or never built): start from position 0.
    if (Status s = state.value()->Reset(projection->version()); !s.ok()) return s;
  }
  if (state.value()->position() > store->Size()) {
    return Status::FailedPrecondition("projection " + projection->name() + " is at position " +
                                      std::to_string(state.value()->position()) + " but the log has " +
                                      std::to_string(store->Size()) +
                                      " events: it belongs to another log; delete " + dir + " to rebuild it");
  }
  return std::unique_ptr<ProjectionRunner>(
      new ProjectionRunner(store, std::move(projection), std::move(state.value())));
}

ProjectionRunner::ProjectionRunner(EventStore* store, std::unique_ptr<Projection> projection,
                                   std::unique_ptr<VersionedState> state)
    : store_(store), projection_(std::move(projection)), state_(std::move(state)) {}

ProjectionRunner::~ProjectionRunner() { Stop(); }

Status ProjectionRunner::Start() {
  std::lock_guard<std::mutex> lk(mu_);
  if (thread_.joinable()) return Status::Ok();
  const uint64_t at = state_->position();
  Status restored = projection_->Restore(
      [this, at](std::string_view prefix, size_t limit, std::string_view after) {
        return state_->Scan(prefix, at, limit, after);
      },
      at);
  if (!restored.ok()) {
    return Status(restored.code(), "projection " + projection_->name() + " cannot restore its in-memory view: " +
                                       restored.message());
  }
  stop_ = false;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "sparbar-proj");
    Follow();
  });
  return Status::Ok();
}

void ProjectionRunner::Stop() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
    t = std::move(thread_);
  }
  if (t.joinable()) t.join();
  advanced_.notify_all();
}

Status ProjectionRunner::Rebuild() {
  Stop();
  {
    std::lock_guard<std::mutex> lk(mu_);
    failure_ = Status::Ok();
  }
  {
    std::unique_lock<std::shared_mutex> wiping(reset_mu_);
    if (Status s = state_->Reset(projection_->version()); !s.ok()) return s;
  }
  return Start();
}

Status ProjectionRunner::health() const {
  std::lock_guard<std::mutex> lk(mu_);
  return failure_;
}

void ProjectionRunner::Follow() {
  ReadAllOptions from;
  from.from_position = state_->position();
  from.stream_prefix = projection_->StreamPrefix();
  // A batch is one page of the store's subscription (512 events at most).
  auto subscribed = store_->SubscribeAll(from);
  if (!subscribed.ok()) {
    std::lock_guard<std::mutex> lk(mu_);
    failure_ = Status(subscribed.status().code(), "projection " + projection_->name() +
                                                      " cannot follow the log: " + subscribed.status().message());
    advanced_.notify_all();
    return;
  }
  // The log is read and decoded on another thread while this one folds.
  ReadAhead sub(std::move(subscribed.value()), kReadAheadPages, kPoll);
  while (true) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (stop_) return;
    }
    auto batch = sub.Next(kPoll);
    if (!batch.ok()) {
      if (batch.status().code() != Code::kUnavailable) {  // Unavailable: the store is closing
        std::lock_guard<std::mutex> lk(mu_);
        failure_ = Status(batch.status().code(), "projection " + projection_->name() + " cannot read the log after position " +
                                                     std::to_string(state_->position()) + ": " + batch.status().message());
        advanced_.notify_all();
      }
      return;
    }
    // A batch without events may still move the position on, past events
    // the subscription's filter left out.
    if (batch->events.empty() && batch->next_position <= state_->position()) continue;
    if (!ApplyPage(batch->events, batch->next_position)) return;
    sub.Recycle(std::move(batch.value()));
  }
}

bool ProjectionRunner::ApplyPage(const std::vector<EventRecord>& events, uint64_t through) {
  VersionedState::Batch batch = state_->NewBatch();
  Status failed;
  uint64_t next = state_->position();
  for (const EventRecord& e : events) {
    batch.SetEvent(e.position);
    if (projection_->Wants(e)) {
      if (Status s = projection_->Apply(e, batch); !s.ok()) {
        batch.DropEvent();
        failed = Status(s.code(), "projection " + projection_->name() + " stopped at position " +
                                      std::to_string(e.position) + " (" + e.type + "): " + s.message());
        break;
      }
    }
    next = e.position + 1;
  }
  if (failed.ok()) next = std::max(next, through);  // past what the filter left out
  Status committed = state_->Commit(batch, next);
  if (committed.ok()) {
    projection_->Committed(next);
  } else {
    projection_->Discarded();
  }
  std::lock_guard<std::mutex> lk(mu_);
  if (!committed.ok()) failure_ = committed;
  else if (!failed.ok()) failure_ = failed;
  advanced_.notify_all();
  return failure_.ok();
}

Status ProjectionRunner::WaitFor(uint64_t position, Deadline deadline) const {
  std::unique_lock<std::mutex> lk(mu_);
  advanced_.wait_until(lk, deadline, [&] { return state_->position() >= position || !failure_.ok(); });
  if (state_->position() >= position) return Status::Ok();
  if (!failure_.ok()) return failure_;
  return Status::DeadlineExceeded("projection " + projection_->name() + " is at position " +
                                  std::to_string(state_->position()) + ", not yet at " +
                                  std::to_string(position));
}

Result<uint64_t> ProjectionRunner::ResolveAsOf(std::optional<uint64_t> as_of) const {
  if (Status h = health(); !h.ok()) return h;
  const uint64_t at = state_->position();
  if (!as_of) return at;
  if (*as_of > at) {
    return Status::OutOfRange("projection " + projection_->name() + " has applied " + std::to_string(at) +
                              " events, fewer than the " + std::to_string(*as_of) +
                              " asked for; wait for it first");
  }
  return *as_of;
}

Result<std::optional<std::string>> ProjectionRunner::Get(std::string_view key,
                                                         std::optional<uint64_t> as_of) const {
  std::shared_lock<std::shared_mutex> reading(reset_mu_);
  auto at = ResolveAsOf(as_of);
  if (!at.ok()) return at.status();
  return state_->Get(key, *at);
}

Result<std::vector<std::pair<std::string, std::string>>> ProjectionRunner::Scan(
    std::string_view prefix, std::optional<uint64_t> as_of, size_t limit, std::string_view after) const {
  std::shared_lock<std::shared_mutex> reading(reset_mu_);
  auto at = ResolveAsOf(as_of);
  if (!at.ok()) return at.status();
  return state_->Scan(prefix, *at, limit, after);
}

Result<merkle::Hash> ProjectionRunner::Digest(std::optional<uint64_t> as_of) const {
  std::shared_lock<std::shared_mutex> reading(reset_mu_);
  auto at = ResolveAsOf(as_of);
  if (!at.ok()) return at.status();
  return state_->Digest(*at);
}

Result<uint64_t> PositionAtRecordedTime(EventStore& store, TimestampMicros t) {
  // The first position recorded after t; everything before it was known at t.
  uint64_t lo = 0, hi = store.Size();
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    auto e = store.ReadEvent(mid);
    if (!e.ok()) return e.status();
    if (e->recorded_at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

}  // namespace sparbar::projections
