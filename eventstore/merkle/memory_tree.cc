#include "eventstore/merkle/memory_tree.h"

#include <cassert>
#include <string>

namespace sparbar::merkle {

void MemoryTree::Append(const Hash& leaf_hash) {
  range_.Append(leaf_hash, [this](uint8_t level, uint64_t index, const Hash& hash) {
    if (levels_.size() <= level) levels_.resize(level + 1);
    std::vector<Hash>& row = levels_[level];
    assert(row.size() == index);
    (void)index;
    row.push_back(hash);
  });
}

Result<Hash> MemoryTree::Node(uint8_t level, uint64_t index) {
  if (level >= levels_.size() || index >= levels_[level].size()) {
    return Status::NotFound("tree node (level " + std::to_string(level) + ", index " +
                            std::to_string(index) + ") is not complete in a tree of size " +
                            std::to_string(size()));
  }
  return levels_[level][index];
}

}  // namespace sparbar::merkle
