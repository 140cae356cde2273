// The Audit service through the real server: signed checkpoints that verify
// with the published key, inclusion and consistency proofs that verify
// independently of the server, out-of-range requests, and VerifyLog.
#include <catch2/catch.hpp>

#include "eventstore/checkpoint/note.h"
#include "eventstore/checkpoint/signer.h"
#include "eventstore/codec.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/merkle/verify.h"
#include "integration/client_util.h"
#include "support/server_process.h"

using namespace sparbar;
using namespace sparbar::testing;

namespace {

merkle::Hash ToHash(const std::string& bytes) {
  REQUIRE(bytes.size() == 32);
  merkle::Hash h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::vector<merkle::Hash> ToHashes(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<merkle::Hash> out;
  for (const auto& b : in) out.push_back(ToHash(b));
  return out;
}

// Appends `n` events in appends of 1..3 events.
void AppendEvents(Client& c, int n) {
  for (int i = 0; i < n;) {
    int k = std::min(1 + i % 3, n - i);
    std::vector<v1::EventData> batch;
    for (int j = 0; j < k; ++j) batch.push_back(MakeEvent("t" + std::to_string(i + j), std::to_string(i + j)));
    REQUIRE(Append(c, MakeAppend("audit-" + std::to_string(i % 2), batch)).ok());
    i += k;
  }
}

v1::PublicKey GetKey(Client& c) {
  v1::PublicKey key;
  REQUIRE(c.audit->GetPublicKey(Ctx().get(), v1::GetPublicKeyRequest(), &key).ok());
  return key;
}

}  // namespace

TEST_CASE("a fresh checkpoint's signature verifies with the published public key", "[integration][audit]") {
  TempDir data;
  ServerProcess server(data.str(), {"--origin", "test.sparbar.example/log", "--checkpoint-every", "1000000",
                                    "--checkpoint-interval-ms", "3600000"});
  Client c(server.address());

  // No checkpoint yet: NOT_FOUND unless a fresh one is asked for.
  v1::Checkpoint cp;
  v1::GetCheckpointRequest latest;
  CHECK(c.audit->GetCheckpoint(Ctx().get(), latest, &cp).error_code() == grpc::StatusCode::NOT_FOUND);

  AppendEvents(c, 7);
  const v1::PublicKey key = GetKey(c);
  CHECK(key.origin() == "test.sparbar.example/log");
  CHECK(key.key_name() == "test.sparbar.example/log");
  CHECK(key.ed25519_public_key().size() == 32);
  auto verifier = checkpoint::Verifier::FromVerifierKey(key.verifier_key());
  REQUIRE(verifier.ok());
  CHECK(verifier->public_key() == key.ed25519_public_key());
  CHECK(verifier->key_name() == key.key_name());

  v1::GetCheckpointRequest fresh;
  fresh.set_fresh(true);
  REQUIRE(c.audit->GetCheckpoint(Ctx().get(), fresh, &cp).ok());
  CHECK(cp.size() == 7);
  CHECK(cp.origin() == "test.sparbar.example/log");
  auto opened = checkpoint::OpenCheckpoint(cp.note(), verifier.value());
  REQUIRE(opened.ok());
  CHECK(opened->size == 7);
  CHECK(opened->origin == cp.origin());
  CHECK(opened->root == ToHash(cp.root_hash()));

  // Latest now returns it.
  v1::Checkpoint again;
  REQUIRE(c.audit->GetCheckpoint(Ctx().get(), latest, &again).ok());
  CHECK(again.note() == cp.note());

  // A tampered note does not verify.
  std::string tampered = cp.note();
  tampered.replace(tampered.find("\n7\n"), 3, "\n8\n");
  CHECK_FALSE(checkpoint::OpenCheckpoint(tampered, verifier.value()).ok());

  // The audit service needs no caller identity: it returns no event contents.
  CHECK(c.audit->GetCheckpoint(Ctx("").get(), latest, &again).ok());
}

TEST_CASE("inclusion proofs for every position and tree size verify", "[integration][audit]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  constexpr uint64_t kSize = 13;
  AppendEvents(c, kSize);
  // The events appended and the record of this read (written before it, so it is on the page).
  const auto events = ReadWholeLog(c, 0, /*own_records=*/true);
  REQUIRE(events.size() == kSize + 1);
  const uint64_t n = events.size();

  const v1::PublicKey key = GetKey(c);
  auto verifier = checkpoint::Verifier::FromVerifierKey(key.verifier_key());
  REQUIRE(verifier.ok());
  v1::GetCheckpointRequest fresh;
  fresh.set_fresh(true);
  v1::Checkpoint cp;
  REQUIRE(c.audit->GetCheckpoint(Ctx().get(), fresh, &cp).ok());
  REQUIRE(cp.size() == n);

  for (uint64_t size = 1; size <= n; ++size) {
    std::optional<std::string> root_for_size;
    for (uint64_t pos = 0; pos < size; ++pos) {
      INFO("position " << pos << " in tree of size " << size);
      v1::GetInclusionProofRequest req;
      req.set_position(pos);
      req.set_tree_size(size);
      v1::InclusionProof proof;
      REQUIRE(c.audit->GetInclusionProof(Ctx().get(), req, &proof).ok());
      CHECK(proof.position() == pos);
      CHECK(proof.tree_size() == size);
      // The leaf is the canonical encoding of the event as read through the API.
      const merkle::Hash leaf = merkle::LeafHash(EncodeEvent(ToRecord(events[pos])));
      CHECK(ToHash(proof.leaf_hash()) == leaf);
      Status ok = merkle::VerifyInclusion(pos, size, leaf, ToHashes(proof.hashes()), ToHash(proof.root_hash()));
      CHECK(ok.ToString() == "OK");
      if (root_for_size) CHECK(*root_for_size == proof.root_hash());
      root_for_size = proof.root_hash();
      if (size == n) {
        CHECK(proof.root_hash() == cp.root_hash());
        REQUIRE_FALSE(proof.checkpoint_note().empty());
        auto opened = checkpoint::OpenCheckpoint(proof.checkpoint_note(), verifier.value());
        REQUIRE(opened.ok());
        CHECK(opened->root == ToHash(proof.root_hash()));
      }
    }
  }

  // tree_size 0 means the latest checkpoint's size.
  v1::GetInclusionProofRequest req;
  req.set_position(4);
  v1::InclusionProof proof;
  REQUIRE(c.audit->GetInclusionProof(Ctx().get(), req, &proof).ok());
  CHECK(proof.tree_size() == n);
  CHECK(proof.root_hash() == cp.root_hash());
}

TEST_CASE("consistency proofs between every pair of sizes verify", "[integration][audit]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  constexpr uint64_t kSize = 11;
  AppendEvents(c, kSize);
  v1::GetCheckpointRequest fresh;
  fresh.set_fresh(true);
  v1::Checkpoint cp;
  REQUIRE(c.audit->GetCheckpoint(Ctx().get(), fresh, &cp).ok());

  std::vector<std::string> roots(kSize + 1);
  for (uint64_t size = 1; size <= kSize; ++size) {
    v1::GetInclusionProofRequest req;
    req.set_position(0);
    req.set_tree_size(size);
    v1::InclusionProof proof;
    REQUIRE(c.audit->GetInclusionProof(Ctx().get(), req, &proof).ok());
    roots[size] = proof.root_hash();
  }
  for (uint64_t from = 1; from <= kSize; ++from) {
    for (uint64_t to = from; to <= kSize; ++to) {
      INFO("from " << from << " to " << to);
      v1::GetConsistencyProofRequest req;
      req.set_from_size(from);
      req.set_to_size(to);
      v1::ConsistencyProof proof;
      REQUIRE(c.audit->GetConsistencyProof(Ctx().get(), req, &proof).ok());
      CHECK(proof.from_size() == from);
      CHECK(proof.to_size() == to);
      CHECK(proof.from_root() == roots[from]);
      CHECK(proof.to_root() == roots[to]);
      Status ok = merkle::VerifyConsistency(from, to, ToHashes(proof.hashes()), ToHash(proof.from_root()),
                                            ToHash(proof.to_root()));
      CHECK(ok.ToString() == "OK");
    }
  }
  // to_size 0: the latest checkpoint.
  v1::GetConsistencyProofRequest req;
  req.set_from_size(3);
  v1::ConsistencyProof proof;
  REQUIRE(c.audit->GetConsistencyProof(Ctx().get(), req, &proof).ok());
  CHECK(proof.to_size() == kSize);
  CHECK(proof.to_root() == cp.root_hash());
}

TEST_CASE("proofs beyond the log are OUT_OF_RANGE", "[integration][audit]") {
  TempDir data;
  ServerProcess server(data.str());
  Client c(server.address());
  AppendEvents(c, 5);

  auto inclusion = [&](uint64_t pos, uint64_t size) {
    v1::GetInclusionProofRequest req;
    req.set_position(pos);
    req.set_tree_size(size);
    v1::InclusionProof proof;
    return c.audit->GetInclusionProof(Ctx().get(), req, &proof);
  };
  auto consistency = [&](uint64_t from, uint64_t to) {
    v1::GetConsistencyProofRequest req;
    req.set_from_size(from);
    req.set_to_size(to);
    v1::ConsistencyProof proof;
    return c.audit->GetConsistencyProof(Ctx().get(), req, &proof);
  };
  CHECK(inclusion(4, 5).ok());
  CHECK(inclusion(5, 5).error_code() == grpc::StatusCode::OUT_OF_RANGE);
  CHECK(inclusion(3, 6).error_code() == grpc::StatusCode::OUT_OF_RANGE);
  CHECK(inclusion(3, 2).error_code() == grpc::StatusCode::OUT_OF_RANGE);
  CHECK(inclusion(1000000, 1000001).error_code() == grpc::StatusCode::OUT_OF_RANGE);
  CHECK(consistency(2, 5).ok());
  CHECK(consistency(2, 6).error_code() == grpc::StatusCode::OUT_OF_RANGE);
  CHECK(consistency(4, 3).error_code() == grpc::StatusCode::OUT_OF_RANGE);
  grpc::Status st = consistency(1, 99);
  CHECK(st.error_code() == grpc::StatusCode::OUT_OF_RANGE);
  CHECK_THAT(st.error_message(), Catch::Contains("99"));
}

TEST_CASE("VerifyLog streams progress and ends ok", "[integration][audit]") {
  TempDir data;
  ServerProcess server(data.str(), {"--checkpoint-every", "7000"});
  Client c(server.address());
  constexpr uint64_t kEvents = 25000;
  for (uint64_t done = 0; done < kEvents;) {
    const uint64_t n = std::min<uint64_t>(5000, kEvents - done);
    std::vector<v1::EventData> batch;
    for (uint64_t i = 0; i < n; ++i) batch.push_back(MakeEvent("v", ""));
    REQUIRE(Append(c, MakeAppend("verify-" + std::to_string(done % 3), batch)).ok());
    done += n;
  }
  REQUIRE(FreshSize(c) == kEvents);

  auto ctx = Ctx("", std::chrono::seconds(120));
  auto reader = c.audit->VerifyLog(ctx.get(), v1::VerifyLogRequest());
  std::vector<v1::VerifyLogProgress> messages;
  v1::VerifyLogProgress msg;
  while (reader->Read(&msg)) messages.push_back(msg);
  grpc::Status st = reader->Finish();
  REQUIRE(st.ok());
  REQUIRE(messages.size() >= 3);
  CHECK(messages[0].verified() == 10000);
  CHECK(messages[1].verified() == 20000);
  for (size_t i = 0; i + 1 < messages.size(); ++i) {
    CHECK_FALSE(messages[i].done());
    CHECK(messages[i].total() == kEvents);
  }
  const auto& last = messages.back();
  CHECK(last.done());
  CHECK(last.ok());
  CHECK(last.error().empty());
  CHECK_FALSE(last.has_bad_position());
  CHECK(last.verified() == kEvents);
  CHECK(last.total() == kEvents);
  CHECK(last.checkpoints_checked() >= 3);
}
