// Projection: a read model defined as a fold over the log.
//
// Contract:
// - Apply folds one event into the state through a StateWriter, and must be a
//   pure function of the event and the state it reads: no clock, no
//   randomness, no other input. That is what makes a rebuild from position 0
//   give an identical state (checked by StateDigest in the tests).
// - An error from Apply stops the projection at that event; nothing of the
//   event's batch is kept. Queries then fail with a message naming the position.
// - version() names the fold's logic. A projection opened with a different
//   version than its stored state was built with is rebuilt from position 0.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>
#include <string>
#include <string_view>

#include "eventstore/event.h"
#include "eventstore/status.h"

namespace sparbar::projections {

// The state a projection sees while applying: the latest value of each key,
// including what earlier events of the same batch wrote. Keys are non-empty
// and hold no NUL byte; they must not hold personal data in clear text.
class StateWriter {
 public:
  virtual ~StateWriter() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;
  // Every key starting with `prefix` that holds a value, in key order.
  virtual Result<std::vector<std::pair<std::string, std::string>>> Scan(std::string_view prefix) = 0;
  virtual Status Put(std::string_view key, std::string_view value) = 0;
  virtual Status Delete(std::string_view key) = 0;
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Directory-safe name, e.g. "ej-verkstallda".
  virtual std::string name() const = 0;
  virtual uint32_t version() const = 0;
  // The streams it reads, by name prefix (empty: all). Events of other
  // streams are left out by the store, without being decoded, and only
  // advance its position.
  virtual std::string StreamPrefix() const { return {}; }
  // First bytes of keys that come in groups (the part before their first
  // 0x01) written in key order within each group: the state inserts them
  // near the group's last key (each group's hint costs memtable memory).
  // Only a write-speed hint; empty: none.
  virtual std::string GroupedKeyStarts() const { return {}; }
  // Of the events of those streams, the ones it folds; the others only
  // advance its position.
  virtual bool Wants(const EventRecord& event) const = 0;
  virtual Status Apply(const EventRecord& event, StateWriter& state) = 0;

  // An in-memory view beside the stored state, for queries the stored state
  // answers too slowly (optional; the defaults keep none). Restore runs before
  // the runner follows the log, with the stored state at `position` (empty
  // after a rebuild); Committed runs after a batch of Apply calls is stored,
  // the state then being at `position`; Discarded when storing it failed.
  // Apply may only stage changes to such a view, and an Apply that fails must
  // stage nothing: Committed makes the staged changes visible. Committed and
  // Discarded run on the runner's thread, Restore on the thread that calls
  // Start() before the runner's thread begins; never concurrently with Apply.
  // `scan(prefix, limit, after)` reads the stored state a page at a time, as
  // VersionedState::Scan does.
  using ScanFn = std::function<Result<std::vector<std::pair<std::string, std::string>>>(
      std::string_view prefix, size_t limit, std::string_view after)>;
  virtual Status Restore(const ScanFn& scan, uint64_t position) {
    (void)scan;
    (void)position;
    return Status::Ok();
  }
  virtual void Committed(uint64_t position) { (void)position; }
  virtual void Discarded() {}
};

}  // namespace sparbar::projections
