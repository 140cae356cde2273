// Verification of inclusion and consistency proofs, RFC 9162 sections 2.1.3.2
// and 2.1.4.2. Pure functions over hashes; thread-safe.
//
// Failures: InvalidArgument when the sizes are impossible or the proof has the
// wrong number of hashes for them; DataLoss when the proof does not lead to
// the given root(s). Messages name the sizes and which check failed.
#pragma once

#include <cstdint>
#include <vector>

#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"

namespace sparbar::merkle {

// Checks that `leaf_hash` is leaf `index` of the tree of `size` leaves with
// root `root`. Requires index < size.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       const std::vector<Hash>& proof, const Hash& root);

// The root that the inclusion proof implies (no root comparison).
Result<Hash> RootFromInclusionProof(uint64_t index, uint64_t size, const Hash& leaf_hash,
                                    const std::vector<Hash>& proof);

// Checks that the tree of size1 with root1 is a prefix of the tree of size2
// with root2. size1 == size2 needs an empty proof and root1 == root2 (and, for
// size 0, both equal to EmptyRoot()). size1 == 0 < size2 is InvalidArgument:
// RFC 9162 defines proofs only for 0 < size1 < size2; an empty tree is a prefix
// of every tree, so a caller holding one checks root1 == EmptyRoot() instead.
Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<Hash>& proof,
                         const Hash& root1, const Hash& root2);

}  // namespace sparbar::merkle
