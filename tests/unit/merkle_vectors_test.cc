// Runs the verifier against every RFC 6962 test vector (transparency-dev
// format) under SPARBAR_VECTORS_DIR: inclusion/**.json and consistency/**.json.
//
// The vectors hold raw byte strings, some deliberately not 32 bytes long. Our
// API takes 32-byte hashes, so:
// - a leaf hash or proof hash that is not canonical base64 of 32 bytes cannot
//   be given to the verifier: HashFromBase64 rejects it, and that rejection is
//   the outcome (an error) for the vector;
// - a root that is not 32 bytes is, in the reference verifier, only ever
//   compared for equality; it is mapped to SHA-256("not a 32-byte root" ||
//   bytes), which keeps equal byte strings equal and different ones different,
//   and is then passed to the verifier like any other root.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "eventstore/merkle/base64.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/merkle/verify.h"

#ifndef SPARBAR_VECTORS_DIR
#error "SPARBAR_VECTORS_DIR must name the rfc6962 test vector directory"
#endif

namespace fs = std::filesystem;
using sparbar::merkle::Hash;
using nlohmann::json;

namespace {

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Hashes (leaf, proof nodes): must be exactly 32 bytes.
std::optional<Hash> StrictHash(const json& v) {
  auto h = sparbar::merkle::HashFromBase64(v.get<std::string>());
  if (!h.ok()) return std::nullopt;
  return *h;
}

// Roots: compared for equality only; non-32-byte values are mapped (see top).
Hash RootValue(const json& v) {
  auto bytes = sparbar::merkle::Base64Decode(v.get<std::string>());
  REQUIRE(bytes.ok());
  if (bytes->size() == 32) return *sparbar::merkle::HashFromBase64(v.get<std::string>());
  return sparbar::merkle::LeafHash("not a 32-byte root" + *bytes);
}

// The proof, or nullopt when an element cannot be a hash. null means empty.
std::optional<std::vector<Hash>> Proof(const json& v) {
  std::vector<Hash> proof;
  if (v.is_null()) return proof;
  for (const json& e : v) {
    std::optional<Hash> h = StrictHash(e);
    if (!h) return std::nullopt;
    proof.push_back(*h);
  }
  return proof;
}

// Returns whether verification succeeded.
bool RunInclusion(const json& j) {
  const uint64_t index = j.at("leafIdx").get<uint64_t>();
  const uint64_t size = j.at("treeSize").get<uint64_t>();
  const Hash root = RootValue(j.at("root"));
  std::optional<Hash> leaf = StrictHash(j.at("leafHash"));
  std::optional<std::vector<Hash>> proof = Proof(j.at("proof"));
  if (!leaf || !proof) return false;
  return sparbar::merkle::VerifyInclusion(index, size, *leaf, *proof, root).ok();
}

bool RunConsistency(const json& j) {
  const uint64_t size1 = j.at("size1").get<uint64_t>();
  const uint64_t size2 = j.at("size2").get<uint64_t>();
  const Hash root1 = RootValue(j.at("root1"));
  const Hash root2 = RootValue(j.at("root2"));
  std::optional<std::vector<Hash>> proof = Proof(j.at("proof"));
  if (!proof) return false;
  return sparbar::merkle::VerifyConsistency(size1, size2, *proof, root1, root2).ok();
}

}  // namespace

TEST_CASE("RFC 6962 test vectors: verifier agrees with wantErr on every vector", "[merkle][vectors]") {
  const fs::path root(SPARBAR_VECTORS_DIR);
  REQUIRE(fs::is_directory(root));

  size_t files = 0, checked = 0, inclusion = 0, consistency = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    ++files;
    const std::string rel = fs::relative(entry.path(), root).generic_string();
    INFO("vector " << rel);
    const json j = json::parse(ReadFile(entry.path()));
    const bool want_ok = !j.at("wantErr").get<bool>();
    if (rel.rfind("inclusion/", 0) == 0) {
      CHECK(RunInclusion(j) == want_ok);
      ++inclusion;
    } else if (rel.rfind("consistency/", 0) == 0) {
      CHECK(RunConsistency(j) == want_ok);
      ++consistency;
    } else {
      FAIL("vector file outside inclusion/ and consistency/");
    }
    ++checked;
  }
  INFO("inclusion " << inclusion << ", consistency " << consistency);
  REQUIRE(checked == files);
  REQUIRE(checked > 100);
  REQUIRE(inclusion > 0);
  REQUIRE(consistency > 0);
}
