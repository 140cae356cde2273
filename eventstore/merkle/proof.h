// Inclusion and consistency proofs (RFC 9162 sections 2.1.3.1 and 2.1.4.1)
// built from stored perfect nodes.
//
// A NodeReader returns node (level L, index i): the hash of the perfect subtree
// over leaves [i << L, (i+1) << L). These functions only ask for nodes that are
// complete within the tree size they are given, and every function makes
// O(log n) reads. Proof hashes are ordered as in RFC 9162: from the leaf (or
// the older tree) upwards. Errors from the reader are returned unchanged.
#pragma once

#include <cstdint>
#include <vector>

#include "eventstore/merkle/hash.h"
#include "eventstore/status.h"

namespace sparbar::merkle {

class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Result<Hash> Node(uint8_t level, uint64_t index) = 0;
};

// MTH(D[begin:end]). The range must be one that occurs in RFC 9162 proofs:
// begin == 0 or begin a multiple of the smallest power of two >= end - begin
// (otherwise InvalidArgument). begin == end gives EmptyRoot().
Result<Hash> SubtreeRoot(NodeReader& reader, uint64_t begin, uint64_t end);

// MTH(D[0:size]); EmptyRoot() for size 0.
Result<Hash> RootAt(NodeReader& reader, uint64_t size);

// PATH(index, D[0:size]). OutOfRange when index >= size.
Result<std::vector<Hash>> InclusionProof(NodeReader& reader, uint64_t index, uint64_t size);

// PROOF(size1, D[0:size2]). OutOfRange when size1 > size2. The proof is empty
// when size1 == size2 (the roots must simply be equal) and when size1 == 0
// (every tree extends the empty tree, so there is nothing to prove; note that
// VerifyConsistency rejects size1 == 0 < size2, so callers holding an empty
// checkpoint must only check that its root is EmptyRoot()).
Result<std::vector<Hash>> ConsistencyProof(NodeReader& reader, uint64_t size1, uint64_t size2);

}  // namespace sparbar::merkle
