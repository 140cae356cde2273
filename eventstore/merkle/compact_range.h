// CompactRange: the right frontier of a Merkle tree of `size` leaves.
//
// Node (level L, index i) is the perfect subtree over leaves [i << L, (i+1) << L).
// [0, size) splits into one perfect subtree per set bit of `size`; the frontier
// holds their hashes, largest (leftmost) first, so it has popcount(size) <= 64
// entries. Append is O(log n) and reports every node it completes; Root folds
// the frontier right to left into the RFC 6962 MTH. Copyable (a batch is staged
// on a copy). Not thread-safe; use one per thread or lock.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"

namespace sparbar::merkle {

class CompactRange {
 public:
  // Called for the appended leaf (level 0, index = leaf index) and then for
  // every perfect node the append completes, lowest level first.
  using NodeCallback = std::function<void(uint8_t level, uint64_t index, const Hash& hash)>;

  // The empty tree.
  CompactRange() = default;
  // Restores a range saved from size() and frontier(). InvalidArgument unless
  // frontier has exactly popcount(size) hashes.
  static Result<CompactRange> FromHashes(uint64_t size, std::vector<Hash> frontier);

  // Adds one leaf (its LeafHash). `on_node` may be null.
  // Precondition: size() < UINT64_MAX.
  void Append(const Hash& leaf_hash, const NodeCallback& on_node);

  // MTH of leaves [0, size); EmptyRoot() when size is 0.
  Hash Root() const;

  uint64_t size() const { return size_; }
  const std::vector<Hash>& frontier() const { return frontier_; }

 private:
  CompactRange(uint64_t size, std::vector<Hash> frontier)
      : size_(size), frontier_(std::move(frontier)) {}

  uint64_t size_ = 0;
  std::vector<Hash> frontier_;
};

}  // namespace sparbar::merkle
