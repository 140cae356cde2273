// IndexCheck: checks that the log's stream and event-id indexes hold exactly
// one entry per event, pointing at it, and that the stored Merkle tree holds
// exactly the nodes recomputed from the events, without looking each entry
// up. The event pass and the passes over the stored families run on threads
// of their own: each folds a keyed 64-bit fingerprint (SipHash-2-4 under a
// random key) of every (family, key) into one slot per position by XOR: an
// index entry at the position it points at, a tree node (its key and hash)
// at its last leaf, the position whose append completes it. Where the
// stored families agree with the events every slot ends at zero; a missing,
// changed, extra or misplaced entry leaves its position's slot non-zero (a
// false zero has probability 2^-64 per slot, and the key is drawn afresh for
// every check). Positions are checked in windows, so memory stays at 8 bytes
// per position of one window; the stored families are read once per window.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/siphash.h"
#include "eventstore/status.h"

namespace sparbar {

class IndexCheck {
 public:
  enum class Family : uint8_t { kStreams = 1, kIds = 2, kTree = 3 };

  // Slots for positions [first, first + count), all zero, under a fresh random key.
  static Result<std::unique_ptr<IndexCheck>> Create(uint64_t first, uint64_t count);

  uint64_t first() const { return first_; }
  uint64_t end() const { return first_ + count_; }

  // Both passes call Fold for each (family, key) they have for `position` in
  // [first, end): the event pass for what each event must have, the index
  // pass for each entry found. Thread-safe.
  void Fold(Family family, std::string_view key, uint64_t position) {
    slots_[position - first_].fetch_xor(Fingerprint(family, key), std::memory_order_relaxed);
  }

  // After both passes: the first position whose entries disagree, if any.
  std::optional<uint64_t> FirstMismatch() const;

 private:
  uint64_t Fingerprint(Family family, std::string_view key) const {
    // The family changes the key so that the families cannot stand in for each other.
    return SipHash24(SipKey{key_.k0 ^ static_cast<uint64_t>(family), key_.k1}, key);
  }

  IndexCheck(uint64_t first, uint64_t count, SipKey key);

  uint64_t first_, count_;
  SipKey key_;
  std::unique_ptr<std::atomic<uint64_t>[]> slots_;
};

}  // namespace sparbar
