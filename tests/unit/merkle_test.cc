// Merkle tree: hashing, CompactRange, proofs from stored nodes, verification.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "eventstore/merkle/base64.h"
#include "eventstore/merkle/compact_range.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/merkle/memory_tree.h"
#include "eventstore/merkle/proof.h"
#include "eventstore/merkle/verify.h"
#include "eventstore/status.h"

using namespace sparbar::merkle;
using sparbar::Code;

namespace {

std::vector<Hash> MakeLeaves(size_t n) {
  std::vector<Hash> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash("leaf " + std::to_string(i)));
  return leaves;
}

// RFC 9162 2.1.1 MTH, straight from the definition.
Hash NaiveRoot(const std::vector<Hash>& leaves, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return NodeHash(NaiveRoot(leaves, begin, begin + k), NaiveRoot(leaves, begin + k, end));
}

MemoryTree BuildTree(const std::vector<Hash>& leaves) {
  MemoryTree tree;
  for (const Hash& h : leaves) tree.Append(h);
  return tree;
}

// Counts reads, to check proofs stay O(log n).
class CountingReader : public NodeReader {
 public:
  explicit CountingReader(NodeReader& inner) : inner_(inner) {}
  sparbar::Result<Hash> Node(uint8_t level, uint64_t index) override {
    ++reads;
    return inner_.Node(level, index);
  }
  int reads = 0;

 private:
  NodeReader& inner_;
};

}  // namespace

TEST_CASE("hashes match RFC 6962 known values", "[merkle]") {
  CHECK(ToHex(EmptyRoot()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Leaf hash of the empty string and of "" || "" from the RFC 6962 reference vectors.
  CHECK(ToHex(LeafHash("")) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  CHECK(ToHex(LeafHash(std::string(1, '\0'))) ==
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  CHECK(ToHex(NodeHash(LeafHash(""), LeafHash(std::string(1, '\0')))) ==
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
}

TEST_CASE("base64 round trips and rejects non-canonical input", "[merkle]") {
  for (size_t n = 0; n < 40; ++n) {
    std::string bytes;
    for (size_t i = 0; i < n; ++i) bytes.push_back(static_cast<char>(i * 37 + n));
    auto decoded = Base64Decode(Base64Encode(bytes));
    REQUIRE(decoded.ok());
    CHECK(*decoded == bytes);
  }
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(Base64Encode("fo") == "Zm8=");
  for (const char* bad : {"Zm8", "Zm9=Zm9v", "Zm8==", "Zm9", "Z===", "====", "Zm9v\n", "Zm-v", "Zm_v", "Zm9 ",
                          "Zm9=", "Zg=="  /* canonical, checked below */}) {
    if (std::string(bad) == "Zg==") continue;
    INFO(bad);
    CHECK(Base64Decode(bad).status().code() == Code::kInvalidArgument);
  }
  CHECK(*Base64Decode("Zg==") == "f");
  CHECK(Base64Decode("Zh==").status().code() == Code::kInvalidArgument);  // trailing bits set
  CHECK(*Base64Decode("") == "");

  const Hash h = LeafHash("x");
  auto back = HashFromBase64(ToBase64(h));
  REQUIRE(back.ok());
  CHECK(*back == h);
  CHECK(HashFromBase64("Zm9vYmFy").status().code() == Code::kInvalidArgument);  // 6 bytes
}

TEST_CASE("CompactRange root equals the naive MTH for sizes 0..300", "[merkle]") {
  const auto leaves = MakeLeaves(300);
  CompactRange range;
  CHECK(range.Root() == EmptyRoot());
  for (size_t n = 0; n <= 300; ++n) {
    REQUIRE(range.size() == n);
    REQUIRE(range.frontier().size() == static_cast<size_t>(__builtin_popcountll(n)));
    REQUIRE(range.Root() == NaiveRoot(leaves, 0, n));
    if (n < 300) range.Append(leaves[n], nullptr);
  }
}

TEST_CASE("CompactRange reports every completed node exactly once", "[merkle]") {
  const auto leaves = MakeLeaves(70);
  CompactRange range;
  std::vector<std::vector<Hash>> seen;
  for (size_t n = 0; n < leaves.size(); ++n) {
    range.Append(leaves[n], [&](uint8_t level, uint64_t index, const Hash& h) {
      if (seen.size() <= level) seen.resize(level + 1);
      REQUIRE(seen[level].size() == index);
      seen[level].push_back(h);
    });
  }
  for (size_t level = 0; level < seen.size(); ++level) {
    CHECK(seen[level].size() == leaves.size() >> level);
    for (size_t i = 0; i < seen[level].size(); ++i) {
      CHECK(seen[level][i] == NaiveRoot(leaves, i << level, (i + 1) << level));
    }
  }
}

TEST_CASE("CompactRange restores from its frontier and copies independently", "[merkle]") {
  const auto leaves = MakeLeaves(50);
  CompactRange range;
  for (size_t i = 0; i < 37; ++i) range.Append(leaves[i], nullptr);
  auto restored = CompactRange::FromHashes(range.size(), range.frontier());
  REQUIRE(restored.ok());
  CompactRange staged = *restored;
  for (size_t i = 37; i < 50; ++i) staged.Append(leaves[i], nullptr);
  CHECK(staged.Root() == NaiveRoot(leaves, 0, 50));
  CHECK(restored->Root() == NaiveRoot(leaves, 0, 37));
  CHECK(range.size() == 37);

  CHECK(CompactRange::FromHashes(37, {}).status().code() == Code::kInvalidArgument);
  CHECK(CompactRange::FromHashes(0, {EmptyRoot()}).status().code() == Code::kInvalidArgument);
  CHECK(CompactRange::FromHashes(0, {}).ok());
}

TEST_CASE("RootAt and SubtreeRoot from stored nodes", "[merkle]") {
  const auto leaves = MakeLeaves(70);
  MemoryTree tree = BuildTree(leaves);
  for (uint64_t n = 0; n <= 70; ++n) {
    auto root = RootAt(tree, n);
    REQUIRE(root.ok());
    CHECK(*root == NaiveRoot(leaves, 0, n));
  }
  auto sub = SubtreeRoot(tree, 64, 70);
  REQUIRE(sub.ok());
  CHECK(*sub == NaiveRoot(leaves, 64, 70));
  CHECK(SubtreeRoot(tree, 1, 3).status().code() == Code::kInvalidArgument);
  CHECK(SubtreeRoot(tree, 3, 2).status().code() == Code::kInvalidArgument);
  CHECK(SubtreeRoot(tree, 0, 71).status().code() == Code::kNotFound);  // reader error passes through
}

TEST_CASE("inclusion proofs verify for every index and size up to 70", "[merkle]") {
  const auto leaves = MakeLeaves(70);
  MemoryTree tree = BuildTree(leaves);
  for (uint64_t size = 1; size <= 70; ++size) {
    const Hash root = NaiveRoot(leaves, 0, size);
    for (uint64_t index = 0; index < size; ++index) {
      CountingReader reader(tree);
      auto proof = InclusionProof(reader, index, size);
      REQUIRE(proof.ok());
      CHECK(reader.reads <= 14);  // O(log n): 7 levels, plus one split ephemeral node
      auto s = VerifyInclusion(index, size, leaves[index], *proof, root);
      if (!s.ok()) FAIL("index " << index << " size " << size << ": " << s.ToString());
      auto computed = RootFromInclusionProof(index, size, leaves[index], *proof);
      REQUIRE(computed.ok());
      CHECK(*computed == root);
    }
  }
}

TEST_CASE("consistency proofs verify for every size pair up to 70", "[merkle]") {
  const auto leaves = MakeLeaves(70);
  MemoryTree tree = BuildTree(leaves);
  for (uint64_t size2 = 0; size2 <= 70; ++size2) {
    const Hash root2 = NaiveRoot(leaves, 0, size2);
    for (uint64_t size1 = 0; size1 <= size2; ++size1) {
      const Hash root1 = NaiveRoot(leaves, 0, size1);
      CountingReader reader(tree);
      auto proof = ConsistencyProof(reader, size1, size2);
      REQUIRE(proof.ok());
      CHECK(reader.reads <= 15);
      if (size1 == 0) {
        // Documented: nothing to prove from the empty tree; the verifier rejects it.
        CHECK(proof->empty());
        CHECK(VerifyConsistency(0, size2, *proof, root1, root2).ok() == (size2 == 0));
        continue;
      }
      auto s = VerifyConsistency(size1, size2, *proof, root1, root2);
      if (!s.ok()) FAIL("size1 " << size1 << " size2 " << size2 << ": " << s.ToString());
      if (size1 == size2) CHECK(proof->empty());
    }
  }
}

TEST_CASE("a proof with one flipped bit fails", "[merkle]") {
  const auto leaves = MakeLeaves(70);
  MemoryTree tree = BuildTree(leaves);
  for (uint64_t size = 2; size <= 70; size += 7) {
    const Hash root = NaiveRoot(leaves, 0, size);
    for (uint64_t index = 0; index < size; index += 3) {
      auto proof = InclusionProof(tree, index, size);
      REQUIRE(proof.ok());
      for (size_t i = 0; i < proof->size(); ++i) {
        for (int bit : {0, 77, 255}) {
          auto bad = *proof;
          bad[i][bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
          CHECK(VerifyInclusion(index, size, leaves[index], bad, root).code() == Code::kDataLoss);
        }
      }
      Hash bad_leaf = leaves[index];
      bad_leaf[31] ^= 1;
      CHECK(VerifyInclusion(index, size, bad_leaf, *proof, root).code() == Code::kDataLoss);
    }
  }
  for (uint64_t size2 = 2; size2 <= 70; size2 += 5) {
    for (uint64_t size1 = 1; size1 < size2; size1 += 2) {
      const Hash root1 = NaiveRoot(leaves, 0, size1);
      const Hash root2 = NaiveRoot(leaves, 0, size2);
      auto proof = ConsistencyProof(tree, size1, size2);
      REQUIRE(proof.ok());
      for (size_t i = 0; i < proof->size(); ++i) {
        auto bad = *proof;
        bad[i][i % 32] ^= 0x10;
        CHECK(VerifyConsistency(size1, size2, bad, root1, root2).code() == Code::kDataLoss);
      }
      Hash bad_root = root1;
      bad_root[0] ^= 0x80;
      CHECK(VerifyConsistency(size1, size2, *proof, bad_root, root2).code() == Code::kDataLoss);
      CHECK(VerifyConsistency(size1, size2, *proof, root1, bad_root).code() == Code::kDataLoss);
    }
  }
}

TEST_CASE("wrong proof lengths and impossible sizes are InvalidArgument", "[merkle]") {
  const auto leaves = MakeLeaves(20);
  MemoryTree tree = BuildTree(leaves);
  const Hash root = tree.Root();
  auto proof = InclusionProof(tree, 5, 20);
  REQUIRE(proof.ok());
  auto longer = *proof;
  longer.push_back(root);
  auto shorter = *proof;
  shorter.pop_back();
  CHECK(VerifyInclusion(5, 20, leaves[5], longer, root).code() == Code::kInvalidArgument);
  CHECK(VerifyInclusion(5, 20, leaves[5], shorter, root).code() == Code::kInvalidArgument);
  CHECK(VerifyInclusion(20, 20, leaves[5], *proof, root).code() == Code::kInvalidArgument);
  CHECK(VerifyInclusion(0, 0, leaves[0], {}, root).code() == Code::kInvalidArgument);

  const Hash root7 = NaiveRoot(leaves, 0, 7);
  auto cproof = ConsistencyProof(tree, 7, 20);
  REQUIRE(cproof.ok());
  auto clonger = *cproof;
  clonger.push_back(root);
  CHECK(VerifyConsistency(7, 20, clonger, root7, root).code() == Code::kInvalidArgument);
  CHECK(VerifyConsistency(7, 20, {}, root7, root).code() == Code::kInvalidArgument);
  CHECK(VerifyConsistency(20, 7, *cproof, root, root7).code() == Code::kInvalidArgument);
  CHECK(VerifyConsistency(7, 7, *cproof, root7, root7).code() == Code::kInvalidArgument);
  CHECK(VerifyConsistency(7, 7, {}, root7, root7).ok());
  CHECK(VerifyConsistency(7, 7, {}, root7, root).code() == Code::kDataLoss);
  CHECK(VerifyConsistency(0, 0, {}, EmptyRoot(), EmptyRoot()).ok());
  CHECK(VerifyConsistency(0, 0, {}, root, root).code() == Code::kDataLoss);
  CHECK(VerifyConsistency(0, 20, {}, EmptyRoot(), root).code() == Code::kInvalidArgument);
}

TEST_CASE("out-of-range proof requests are OutOfRange", "[merkle]") {
  MemoryTree tree = BuildTree(MakeLeaves(10));
  auto incl = InclusionProof(tree, 10, 10);
  CHECK(incl.status().code() == Code::kOutOfRange);
  CHECK(incl.status().message().find("10") != std::string::npos);
  auto incl2 = InclusionProof(tree, 12, 7);
  CHECK(incl2.status().code() == Code::kOutOfRange);
  CHECK(incl2.status().message().find("12") != std::string::npos);
  CHECK(incl2.status().message().find("7") != std::string::npos);
  CHECK(InclusionProof(tree, 0, 0).status().code() == Code::kOutOfRange);
  auto cons = ConsistencyProof(tree, 8, 3);
  CHECK(cons.status().code() == Code::kOutOfRange);
  CHECK(cons.status().message().find("8") != std::string::npos);
  CHECK(cons.status().message().find("3") != std::string::npos);
  // Sizes beyond the stored tree: the reader's error is returned.
  CHECK(InclusionProof(tree, 3, 11).status().code() == Code::kNotFound);
  CHECK(ConsistencyProof(tree, 3, 11).status().code() == Code::kNotFound);
  CHECK(ConsistencyProof(tree, 0, 0)->empty());
}
