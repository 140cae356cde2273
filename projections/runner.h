// ProjectionRunner: keeps one projection up to date with the log.
//
// Contract:
// - A thread follows the log from the projection's stored position through a
//   store subscription (catch-up, then live) and applies events in batches;
//   each batch's state and new position commit together (versioned_state.h).
// - Opening a projection whose stored state was built by another version of
//   its fold rebuilds it from position 0; Rebuild() does so on demand.
// - Queries read the state as of a log position: the state after applying
//   positions 0..N-1 (default: as far as the projection has got). WaitFor
//   blocks until the projection has reached a position, for read-your-writes.
// - When Apply fails, the runner stops at that event; position() stays
//   before it and every query and WaitFor returns the failure, naming the
//   projection and the position.
// The store must outlive the runner.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/store.h"
#include "projections/projection.h"
#include "projections/versioned_state.h"

namespace sparbar::projections {

class ProjectionRunner {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // Opens the projection's state in `dir` (one directory per projection).
  static Result<std::unique_ptr<ProjectionRunner>> Open(EventStore* store,
                                                        std::unique_ptr<Projection> projection,
                                                        const std::string& dir);
  ~ProjectionRunner();
  ProjectionRunner(const ProjectionRunner&) = delete;
  ProjectionRunner& operator=(const ProjectionRunner&) = delete;

  // Restores the projection's in-memory view (Projection::Restore, a scan of
  // its state), then starts following the log. Idempotent.
  Status Start();
  // Stops following; what was applied stays. Idempotent.
  void Stop();
  // Stops, deletes the state, and starts again from position 0.
  Status Rebuild();

  const Projection& projection() const { return *projection_; }
  // Events applied (the next position to apply).
  uint64_t position() const { return state_->position(); }
  // Ok, or why the projection stopped.
  Status health() const;
  // The state's compactions (VersionedState::Background).
  VersionedState::Compactions Compactions() const { return state_->Background(); }

  // Ok once position() >= `position`; DeadlineExceeded when the deadline
  // passes first; the failure when the projection has stopped on an error.
  Status WaitFor(uint64_t position, Deadline deadline) const;

  // as_of: a log size (nullopt: position()); OutOfRange beyond position().
  Result<std::optional<std::string>> Get(std::string_view key,
                                         std::optional<uint64_t> as_of = std::nullopt) const;
  Result<std::vector<std::pair<std::string, std::string>>> Scan(std::string_view prefix,
                                                                std::optional<uint64_t> as_of = std::nullopt,
                                                                size_t limit = 0,
                                                                std::string_view after = {}) const;
  Result<merkle::Hash> Digest(std::optional<uint64_t> as_of = std::nullopt) const;

 private:
  ProjectionRunner(EventStore* store, std::unique_ptr<Projection> projection,
                   std::unique_ptr<VersionedState> state);
  void Follow();
  // Applies one page of events and commits it; false when the fold failed.
  bool ApplyPage(const std::vector<EventRecord>& events, uint64_t through);
  Result<uint64_t> ResolveAsOf(std::optional<uint64_t> as_of) const;

  EventStore* store_;
  std::unique_ptr<Projection> projection_;
  std::unique_ptr<VersionedState> state_;

  mutable std::mutex mu_;
  mutable std::condition_variable advanced_;
  // Held shared by a query from resolving its position to the end of its
  // read, and exclusively by Rebuild's reset: a query never reads a state
  // being wiped under a position it already resolved.
  mutable std::shared_mutex reset_mu_;
  Status failure_;  // guarded by mu_
  bool stop_ = false;
  std::thread thread_;
};

// The number of events the log had recorded by `t` (their recorded_at <= t):
// reading a projection as of it answers "what did we know at time t".
// recorded_at never decreases along the log, so this is a binary search.
Result<uint64_t> PositionAtRecordedTime(EventStore& store, TimestampMicros t);

}  // namespace sparbar::projections
