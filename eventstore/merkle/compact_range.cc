#include "eventstore/merkle/compact_range.h"

#include <bit>
#include <cassert>
#include <limits>
#include <string>
#include <utility>

namespace sparbar::merkle {

Result<CompactRange> CompactRange::FromHashes(uint64_t size, std::vector<Hash> frontier) {
  const size_t want = static_cast<size_t>(std::popcount(size));
  if (frontier.size() != want) {
    return Status::InvalidArgument("compact range for size " + std::to_string(size) + " needs " +
                                   std::to_string(want) + " hashes, got " +
                                   std::to_string(frontier.size()));
  }
  return CompactRange(size, std::move(frontier));
}

void CompactRange::Append(const Hash& leaf_hash, const NodeCallback& on_node) {
  assert(size_ != std::numeric_limits<uint64_t>::max());
  if (on_node) on_node(0, size_, leaf_hash);
  // Each trailing 1 bit of size_ is a perfect subtree that the new leaf's
  // subtree of the same height now completes into its parent.
  Hash hash = leaf_hash;
  uint64_t index = size_;
  uint8_t level = 0;
  while (index & 1) {
    hash = NodeHash(frontier_.back(), hash);
    frontier_.pop_back();
    index >>= 1;
    ++level;
    if (on_node) on_node(level, index, hash);
  }
  frontier_.push_back(hash);
  ++size_;
}

Hash CompactRange::Root() const {
  if (frontier_.empty()) return EmptyRoot();
  Hash hash = frontier_.back();
  for (size_t i = frontier_.size() - 1; i-- > 0;) hash = NodeHash(frontier_[i], hash);
  return hash;
}

}  // namespace sparbar::merkle
