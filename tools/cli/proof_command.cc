// sparbar proof inclusion|consistency: fetches a Merkle proof from the server
// and verifies it here, without trusting the server.
//
// The roots a proof is checked against come, in order of preference, from a
// checkpoint the user holds (--checkpoint), from a checkpoint the server
// signed at exactly that tree size (checked with --public-key, or else the key
// the server states), or, when no signed checkpoint exists for the size, from
// the root the server returned (reported as unsigned). An inclusion proof's
// leaf hash is recomputed from the event itself.
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/checkpoint/note.h"
#include "eventstore/checkpoint/signer.h"
#include "eventstore/codec.h"
#include "eventstore/merkle/base64.h"
#include "eventstore/merkle/hash.h"
#include "eventstore/merkle/verify.h"
#include "tools/cli/commands.h"
#include "tools/cli/event_record.h"

namespace sparbar::cli {
namespace {

struct ProofArgs {
  uint64_t position = 0;
  uint64_t size = 0;
  uint64_t from = 0;
  uint64_t to = 0;
  std::string checkpoint_file;
  std::string public_key;
};

// A root to check a proof against, and where it came from.
struct TrustedRoot {
  merkle::Hash root{};
  std::string source;  // "signed checkpoint", "your checkpoint", "server (unsigned)"
  std::string note;    // the signed note, when there is one
};

// Thrown inside this file only, to leave a command with an exit status after
// printing its message; caught in RunProof.
struct Exit {
  int code;
};

[[noreturn]] void NotVerified(const std::string& why) {
  std::cerr << "proof does NOT verify: " << why << "\n";
  throw Exit{kExitFailed};
}

[[noreturn]] void RpcFailed(const grpc::Status& st) { throw Exit{ReportRpcError(st)}; }

merkle::Hash HashFromBytes(const std::string& bytes, const std::string& what) {
  merkle::Hash h{};
  if (bytes.size() != h.size()) {
    NotVerified(what + " has " + std::to_string(bytes.size()) + " bytes, not 32");
  }
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::vector<merkle::Hash> HashesFromBytes(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<merkle::Hash> out;
  out.reserve(in.size());
  for (int i = 0; i < in.size(); ++i) {
    out.push_back(HashFromBytes(in.Get(i), "proof hash " + std::to_string(i)));
  }
  return out;
}

// The verifier key: --public-key when given (what an auditor should do), else
// the one the server states, which only proves the server is self-consistent.
checkpoint::Verifier GetVerifier(Client& client, const std::string& public_key) {
  std::string vkey = public_key;
  if (vkey.empty()) {
    sparbar::v1::PublicKey resp;
    auto ctx = client.NewContext();
    grpc::Status st =
        client.audit().GetPublicKey(ctx.get(), sparbar::v1::GetPublicKeyRequest(), &resp);
    if (!st.ok()) RpcFailed(st);
    vkey = resp.verifier_key();
    std::cerr << "note: checking signatures with the key the server states; pass --public-key to "
                 "check them against a key you hold\n";
  }
  auto verifier = checkpoint::Verifier::FromVerifierKey(vkey);
  if (!verifier.ok()) {
    if (!public_key.empty()) {
      std::cerr << "error: --public-key: " << verifier.status().message() << "\n";
      throw Exit{kExitUsage};
    }
    NotVerified("the server's verifier key is malformed: " + verifier.status().message());
  }
  return *verifier;
}

// Opens a signed note for exactly `size`; any failure means the proof cannot be trusted.
merkle::Hash OpenNoteForSize(const std::string& note, uint64_t size,
                             const checkpoint::Verifier& verifier) {
  auto cp = checkpoint::OpenCheckpoint(note, verifier);
  if (!cp.ok()) NotVerified("checkpoint for size " + std::to_string(size) + ": " + cp.status().message());
  if (cp->size != size) {
    NotVerified("the checkpoint offered for size " + std::to_string(size) + " is for size " +
                std::to_string(cp->size));
  }
  return cp->root;
}

// The signed checkpoint the server issued at exactly `size`, if it has one:
// `known_note` when the server already sent it, else the latest checkpoint when
// its size matches, else the note an inclusion proof at that size carries.
std::optional<std::string> FindSignedNote(Client& client, uint64_t size,
                                          const std::string& known_note) {
  if (!known_note.empty()) return known_note;
  if (size == 0) return std::nullopt;
  {
    sparbar::v1::Checkpoint latest;
    auto ctx = client.NewContext();
    grpc::Status st = client.audit().GetCheckpoint(ctx.get(), sparbar::v1::GetCheckpointRequest(), &latest);
    if (st.ok() && latest.size() == size && !latest.note().empty()) return latest.note();
    if (!st.ok() && st.error_code() != grpc::StatusCode::NOT_FOUND) RpcFailed(st);
  }
  sparbar::v1::GetInclusionProofRequest req;
  req.set_position(0);
  req.set_tree_size(size);
  sparbar::v1::InclusionProof resp;
  auto ctx = client.NewContext();
  grpc::Status st = client.audit().GetInclusionProof(ctx.get(), req, &resp);
  if (st.ok() && resp.tree_size() == size && !resp.checkpoint_note().empty()) {
    return resp.checkpoint_note();
  }
  return std::nullopt;
}

TrustedRoot RootForSize(Client& client, uint64_t size, const std::string& known_note,
                        const merkle::Hash& server_root, const checkpoint::Verifier& verifier) {
  TrustedRoot t;
  if (size == 0) {
    t.root = merkle::EmptyRoot();
    t.source = "the empty tree";
    if (t.root != server_root) NotVerified("the root the server returned for the empty tree is wrong");
    return t;
  }
  if (auto note = FindSignedNote(client, size, known_note)) {
    t.root = OpenNoteForSize(*note, size, verifier);
    t.source = "signed checkpoint";
    t.note = *note;
    if (t.root != server_root) {
      NotVerified("the root the server returned for size " + std::to_string(size) +
                  " differs from its signed checkpoint");
    }
  } else {
    t.root = server_root;
    t.source = "server (unsigned)";
  }
  return t;
}

std::string ReadFileOrExit(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot open " << path << "\n";
    throw Exit{kExitUsage};
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int Inclusion(const ProofArgs& args, const ConnectionOptions& conn) {
  Client client(conn);
  sparbar::v1::GetInclusionProofRequest req;
  req.set_position(args.position);
  req.set_tree_size(args.size);
  sparbar::v1::InclusionProof proof;
  {
    auto ctx = client.NewContext();
    grpc::Status st = client.audit().GetInclusionProof(ctx.get(), req, &proof);
    if (!st.ok()) RpcFailed(st);
  }
  const checkpoint::Verifier verifier = GetVerifier(client, args.public_key);

  nlohmann::json out;
  out["proof"] = "inclusion";
  out["position"] = proof.position();
  out["tree_size"] = proof.tree_size();
  out["leaf_hash"] = merkle::Base64Encode(proof.leaf_hash());
  out["hashes"] = nlohmann::json::array();
  for (const auto& h : proof.hashes()) out["hashes"].push_back(merkle::Base64Encode(h));
  out["root_hash"] = merkle::Base64Encode(proof.root_hash());
  if (!proof.checkpoint_note().empty()) out["checkpoint_note"] = proof.checkpoint_note();
  std::cout << out.dump() << "\n" << std::flush;

  if (proof.position() != args.position) {
    NotVerified("the server proved position " + std::to_string(proof.position()) + ", not " +
                std::to_string(args.position));
  }
  if (args.size != 0 && proof.tree_size() != args.size) {
    NotVerified("the server proved against tree size " + std::to_string(proof.tree_size()) +
                ", not " + std::to_string(args.size));
  }
  const merkle::Hash leaf = HashFromBytes(proof.leaf_hash(), "leaf hash");
  const std::vector<merkle::Hash> hashes = HashesFromBytes(proof.hashes());
  const merkle::Hash server_root = HashFromBytes(proof.root_hash(), "root hash");
  const TrustedRoot root =
      RootForSize(client, proof.tree_size(), proof.checkpoint_note(), server_root, verifier);

  Status st = merkle::VerifyInclusion(proof.position(), proof.tree_size(), leaf, hashes, root.root);
  if (!st.ok()) NotVerified(st.message());

  // The leaf must be the hash of the event's canonical bytes, recomputed here.
  sparbar::v1::ReadAllRequest read;
  read.set_from_position(args.position);
  read.set_max_count(1);
  sparbar::v1::ReadAllResponse page;
  {
    auto ctx = client.NewContext();
    grpc::Status rs = client.events().ReadAll(ctx.get(), read, &page);
    if (!rs.ok()) RpcFailed(rs);
  }
  if (page.events().empty() || page.events(0).position() != args.position) {
    NotVerified("the server did not return the event at position " + std::to_string(args.position));
  }
  auto record = ToEventRecord(page.events(0));
  if (!record.ok()) NotVerified("the event as returned cannot be re-encoded: " + record.status().message());
  if (merkle::LeafHash(EncodeEvent(*record)) != leaf) {
    NotVerified("the event at position " + std::to_string(args.position) +
                " does not hash to the proof's leaf hash");
  }
  std::cout << "verified: event " << args.position << " (" << page.events(0).id()
            << ") is leaf " << proof.position() << " of the tree of size " << proof.tree_size()
            << "; root from " << root.source << "\n";
  return kExitOk;
}

int Consistency(const ProofArgs& args, const ConnectionOptions& conn) {
  Client client(conn);
  const checkpoint::Verifier verifier = GetVerifier(client, args.public_key);

  // The auditor's own checkpoint, when given, fixes the old size and root.
  std::optional<TrustedRoot> held;
  uint64_t from = args.from;
  if (!args.checkpoint_file.empty()) {
    std::string note = ReadFileOrExit(args.checkpoint_file);
    auto cp = checkpoint::OpenCheckpoint(note, verifier);
    if (!cp.ok()) {
      std::cerr << "error: " << args.checkpoint_file << ": " << cp.status().message() << "\n";
      return kExitUsage;
    }
    held = TrustedRoot{cp->root, "your checkpoint", note};
    from = cp->size;
  }

  sparbar::v1::GetConsistencyProofRequest req;
  req.set_from_size(from);
  req.set_to_size(args.to);
  sparbar::v1::ConsistencyProof proof;
  {
    auto ctx = client.NewContext();
    grpc::Status st = client.audit().GetConsistencyProof(ctx.get(), req, &proof);
    if (!st.ok()) RpcFailed(st);
  }

  nlohmann::json out;
  out["proof"] = "consistency";
  out["from_size"] = proof.from_size();
  out["to_size"] = proof.to_size();
  out["hashes"] = nlohmann::json::array();
  for (const auto& h : proof.hashes()) out["hashes"].push_back(merkle::Base64Encode(h));
  out["from_root"] = merkle::Base64Encode(proof.from_root());
  out["to_root"] = merkle::Base64Encode(proof.to_root());
  std::cout << out.dump() << "\n" << std::flush;

  if (proof.from_size() != from || (args.to != 0 && proof.to_size() != args.to)) {
    NotVerified("the server proved sizes " + std::to_string(proof.from_size()) + ".." +
                std::to_string(proof.to_size()) + ", not the ones asked for");
  }
  const std::vector<merkle::Hash> hashes = HashesFromBytes(proof.hashes());
  const merkle::Hash server_from = HashFromBytes(proof.from_root(), "from root");
  const merkle::Hash server_to = HashFromBytes(proof.to_root(), "to root");

  TrustedRoot old_root;
  if (held) {
    old_root = *held;
    if (old_root.root != server_from) {
      NotVerified("the server's root for size " + std::to_string(from) +
                  " differs from your checkpoint: the log was rewritten");
    }
  } else {
    old_root = RootForSize(client, proof.from_size(), "", server_from, verifier);
  }
  const TrustedRoot new_root = RootForSize(client, proof.to_size(), "", server_to, verifier);

  if (proof.from_size() == 0) {
    // An empty tree is a prefix of every tree; RFC 9162 defines no proof for it.
    if (old_root.root != merkle::EmptyRoot()) NotVerified("the root of the empty tree is wrong");
    if (!hashes.empty()) NotVerified("a proof from size 0 must be empty");
  } else {
    Status st = merkle::VerifyConsistency(proof.from_size(), proof.to_size(), hashes,
                                          old_root.root, new_root.root);
    if (!st.ok()) NotVerified(st.message());
  }
  std::cout << "verified: the tree of size " << proof.from_size() << " (root from "
            << old_root.source << ") is a prefix of the tree of size " << proof.to_size()
            << " (root from " << new_root.source << ")\n";
  return kExitOk;
}

template <typename F>
int Guarded(F&& f) {
  try {
    return f();
  } catch (const Exit& e) {
    return e.code;
  }
}

}  // namespace

void AddProofCommand(CLI::App& app, const ConnectionOptions* conn, int* exit_code) {
  CLI::App* proof = app.add_subcommand(
      "proof",
      "Fetch a Merkle proof and verify it locally against a signed checkpoint (or, when the\n"
      "server signed none at that size, against the root it returned, reported as unsigned).\n"
      "Prints the proof as one JSON line, then \"verified: ...\"; exit 1 with \"proof does NOT\n"
      "verify: ...\" otherwise. Auditors should pass --public-key with a key obtained out of band.");
  proof->require_subcommand(1);
  proof->fallthrough();
  auto args = std::make_shared<ProofArgs>();

  CLI::App* inc = proof->add_subcommand(
      "inclusion",
      "Prove that the event at --position is in the log: checks the audit path to the root\n"
      "and that the event, as read back, hashes to the proof's leaf.");
  inc->add_option("--position", args->position, "Position of the event")->required();
  inc->add_option("--size", args->size, "Tree size to prove against (0: latest checkpoint's)")
      ->capture_default_str();
  inc->add_option("--public-key", args->public_key, "Verifier key to check checkpoints with");
  inc->callback([args, conn, exit_code] {
    *exit_code = Guarded([&] { return Inclusion(*args, *conn); });
  });

  CLI::App* con = proof->add_subcommand(
      "consistency",
      "Prove that the log of size --from (or of the checkpoint in --checkpoint FILE, a\n"
      "signed note you kept) is a prefix of the log of size --to: nothing was changed or\n"
      "removed, only appended.");
  auto* from = con->add_option("--from", args->from, "Older tree size");
  auto* file = con->add_option("--checkpoint", args->checkpoint_file,
                               "A signed checkpoint note you hold; its size is the older size");
  from->excludes(file);
  con->add_option("--to", args->to, "Newer tree size (0: latest checkpoint's)")->capture_default_str();
  con->add_option("--public-key", args->public_key, "Verifier key to check checkpoints with");
  con->callback([args, conn, exit_code, from, file] {
    if (from->count() == 0 && file->count() == 0) {
      throw CLI::RequiredError("--from or --checkpoint");
    }
    *exit_code = Guarded([&] { return Consistency(*args, *conn); });
  });
}

}  // namespace sparbar::cli
