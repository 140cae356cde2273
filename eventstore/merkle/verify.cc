#include "eventstore/merkle/verify.h"

#include <bit>
#include <string>

namespace sparbar::merkle {
namespace {

std::string N(uint64_t v) { return std::to_string(v); }

// Number of hashes in PATH(index, D[0:size]) (index < size): one per level
// below the point where the paths to `index` and `size - 1` meet, plus one per
// left sibling above it.
uint64_t InclusionProofLength(uint64_t index, uint64_t size) {
  const uint64_t inner = std::bit_width(index ^ (size - 1));
  return inner + static_cast<uint64_t>(std::popcount(inner >= 64 ? 0 : index >> inner));
}

// Number of hashes in PROOF(size1, D[0:size2]) for 0 < size1 < size2: the
// inclusion proof of the old tree's last perfect subtree, plus that subtree's
// hash unless it is the whole old tree (size1 a power of two).
uint64_t ConsistencyProofLength(uint64_t size1, uint64_t size2) {
  const uint64_t shift = static_cast<uint64_t>(std::countr_zero(size1));
  const uint64_t path = InclusionProofLength(size1 - 1, size2) - shift;
  return path + (std::has_single_bit(size1) ? 0 : 1);
}

}  // namespace

Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    const std::vector<Hash>& proof) {
  if (index >= size) {
    return Status::InvalidArgument("inclusion proof for leaf index " + N(index) +
                                   " in a tree of size " + N(size) + " is impossible");
  }
  const uint64_t want = InclusionProofLength(index, size);
  if (proof.size() != want) {
    return Status::InvalidArgument("inclusion proof for leaf index " + N(index) + " in tree size " +
                                   N(size) + " has " + N(proof.size()) + " hashes, want " + N(want));
  }
  // RFC 9162 2.1.3.2.
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return Status::InvalidArgument("inclusion proof is too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::InvalidArgument("inclusion proof is too short");
  return r;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       const std::vector<Hash>& proof, const Hash& root) {
  Result<Hash> computed = RootFromInclusionProof(index, size, leaf_hash, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) {
    return Status::DataLoss("inclusion proof for leaf index " + N(index) + " does not match the root of tree size " +
                            N(size) + " (computed " + ToHex(*computed) + ", expected " + ToHex(root) + ")");
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<Hash>& proof,
                         const Hash& root1, const Hash& root2) {
  if (size1 > size2) {
    return Status::InvalidArgument("consistency proof from tree size " + N(size1) +
                                   " to the smaller size " + N(size2) + " is impossible");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return Status::InvalidArgument("consistency proof between equal tree sizes " + N(size1) +
                                     " must be empty, has " + N(proof.size()) + " hashes");
    }
    if (size1 == 0 && root1 != EmptyRoot()) {
      return Status::DataLoss("root of the empty tree is " + ToHex(root1) + ", want " + ToHex(EmptyRoot()));
    }
    if (root1 != root2) {
      return Status::DataLoss("trees of equal size " + N(size1) + " have different roots (" + ToHex(root1) +
                              " and " + ToHex(root2) + ")");
    }
    return Status::Ok();
  }
  if (size1 == 0) {
    return Status::InvalidArgument("consistency proof from the empty tree to size " + N(size2) +
                                   " is not defined (RFC 9162 requires 0 < size1 < size2)");
  }
  const uint64_t want = ConsistencyProofLength(size1, size2);
  if (proof.size() != want) {
    return Status::InvalidArgument("consistency proof from tree size " + N(size1) + " to " + N(size2) + " has " +
                                   N(proof.size()) + " hashes, want " + N(want));
  }

  // RFC 9162 2.1.4.2. Step 1: a power-of-two old tree is itself the first
  // node of the path; take it from root1 instead of prepending.
  size_t next = 0;
  Hash fr, sr;
  if (std::has_single_bit(size1)) {
    fr = sr = root1;
  } else {
    fr = sr = proof[next++];
  }
  uint64_t fn = size1 - 1, sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return Status::InvalidArgument("consistency proof is too long");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::InvalidArgument("consistency proof is too short");
  if (fr != root1) {
    return Status::DataLoss("consistency proof from tree size " + N(size1) + " to " + N(size2) +
                            " does not match the root at size " + N(size1) + " (computed " + ToHex(fr) +
                            ", expected " + ToHex(root1) + ")");
  }
  if (sr != root2) {
    return Status::DataLoss("consistency proof from tree size " + N(size1) + " to " + N(size2) +
                            " does not match the root at size " + N(size2) + " (computed " + ToHex(sr) +
                            ", expected " + ToHex(root2) + ")");
  }
  return Status::Ok();
}

}  // namespace sparbar::merkle
