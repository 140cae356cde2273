#include "eventstore/merkle/proof.h"

#include <algorithm>
#include <bit>
#include <string>

namespace sparbar::merkle {
namespace {

// The largest power of two strictly less than n (n >= 2): the RFC's split k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace

Result<Hash> SubtreeRoot(NodeReader& reader, uint64_t begin, uint64_t end) {
  if (begin > end) {
    return Status::InvalidArgument("subtree range [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + ") is reversed");
  }
  const uint64_t count = end - begin;
  if (count == 0) return EmptyRoot();
  // Aligned ranges split into perfect nodes exactly like a tree of `count`
  // leaves; unaligned ones have no stored nodes to build on.
  if (begin != 0 && (count > (uint64_t{1} << 63) || begin % std::bit_ceil(count) != 0)) {
    return Status::InvalidArgument("subtree range [" + std::to_string(begin) + ", " +
                                   std::to_string(end) + ") is not aligned to a power of two");
  }
  // Perfect nodes covering [begin, end), largest (leftmost) first.
  Hash nodes[64];
  int n = 0;
  uint64_t pos = begin;
  for (int level = 63; level >= 0; --level) {
    if ((count >> level) & 1) {
      Result<Hash> node = reader.Node(static_cast<uint8_t>(level), pos >> level);
      if (!node.ok()) return node.status();
      nodes[n++] = *node;
      pos += uint64_t{1} << level;
    }
  }
  Hash hash = nodes[n - 1];
  for (int i = n - 2; i >= 0; --i) hash = NodeHash(nodes[i], hash);
  return hash;
}

Result<Hash> RootAt(NodeReader& reader, uint64_t size) { return SubtreeRoot(reader, 0, size); }

Result<std::vector<Hash>> InclusionProof(NodeReader& reader, uint64_t index, uint64_t size) {
  if (index >= size) {
    return Status::OutOfRange("leaf index " + std::to_string(index) +
                              " is out of range for tree size " + std::to_string(size));
  }
  // Walk down from the root, recording the sibling of the subtree holding
  // `index` at each split; the RFC lists them bottom-up.
  std::vector<Hash> proof;
  uint64_t begin = 0, end = size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    Result<Hash> sibling = Status::Internal("unset");
    if (index < begin + k) {
      sibling = SubtreeRoot(reader, begin + k, end);
      end = begin + k;
    } else {
      sibling = SubtreeRoot(reader, begin, begin + k);
      begin += k;
    }
    if (!sibling.ok()) return sibling.status();
    proof.push_back(*sibling);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

Result<std::vector<Hash>> ConsistencyProof(NodeReader& reader, uint64_t size1, uint64_t size2) {
  if (size1 > size2) {
    return Status::OutOfRange("consistency proof from tree size " + std::to_string(size1) +
                              " to the smaller size " + std::to_string(size2));
  }
  std::vector<Hash> proof;
  if (size1 == 0 || size1 == size2) return proof;

  // SUBPROOF(m, D[begin:end], b), unrolled: descend until the subtree is the
  // old tree's last perfect part, recording siblings top-down.
  std::vector<Hash> siblings;
  uint64_t begin = 0, end = size2;
  bool whole_old_tree = true;  // the RFC's b: still on the old tree's root path
  while (end != size1) {
    const uint64_t k = SplitPoint(end - begin);
    Result<Hash> sibling = Status::Internal("unset");
    if (size1 - begin <= k) {
      sibling = SubtreeRoot(reader, begin + k, end);
      end = begin + k;
    } else {
      sibling = SubtreeRoot(reader, begin, begin + k);
      begin += k;
      whole_old_tree = false;
    }
    if (!sibling.ok()) return sibling.status();
    siblings.push_back(*sibling);
  }
  if (!whole_old_tree) {
    Result<Hash> node = SubtreeRoot(reader, begin, end);
    if (!node.ok()) return node.status();
    proof.push_back(*node);
  }
  proof.insert(proof.end(), siblings.rbegin(), siblings.rend());
  return proof;
}

}  // namespace sparbar::merkle
