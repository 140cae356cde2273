// MemoryTree: a Merkle tree held entirely in memory, for tests and for the
// offline verifier.
//
// Append stores the leaf hash and every perfect node it completes (via
// CompactRange::Append), so Node() serves any node that is complete in the
// current tree; asking for any other node is NotFound. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "eventstore/merkle/compact_range.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/merkle/proof.h"
#include "eventstore/status.h"

namespace sparbar::merkle {

class MemoryTree : public NodeReader {
 public:
  // Adds a leaf given its LeafHash.
  void Append(const Hash& leaf_hash);

  Result<Hash> Node(uint8_t level, uint64_t index) override;

  uint64_t size() const { return range_.size(); }
  Hash Root() const { return range_.Root(); }
  const CompactRange& range() const { return range_; }

 private:
  CompactRange range_;
  std::vector<std::vector<Hash>> levels_;  // levels_[L][i] is node (L, i)
};

}  // namespace sparbar::merkle
