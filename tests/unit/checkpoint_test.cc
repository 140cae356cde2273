// Checkpoint signing keys and C2SP signed checkpoints.
#include <catch2/catch.hpp>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "eventstore/checkpoint/note.h"
#include "eventstore/checkpoint/signer.h"
#include "eventstore/merkle/base64.h"
#include "eventstore/merkle/hash.h"

namespace fs = std::filesystem;
using namespace sparbar::checkpoint;
using sparbar::Code;
using sparbar::merkle::LeafHash;

namespace {

// golang.org/x/mod/sumdb/note's documented example key and note.
constexpr const char* kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr const char* kPeterSeedB64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";  // 0x01 || seed
constexpr const char* kPeterText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr const char* kPeterSig =
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "sparbar-checkpoint-test-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Signer NewSigner(const std::string& name = "sparbar.test/log") {
  auto s = Signer::Generate(name);
  REQUIRE(s.ok());
  return std::move(s).value();
}

Verifier VerifierOf(const Signer& s) {
  auto v = Verifier::FromVerifierKey(s.VerifierKey());
  REQUIRE(v.ok());
  return std::move(v).value();
}

Checkpoint Sample() { return Checkpoint{"sparbar.test/log", 1234567, LeafHash("root")}; }

// Writes an Ed25519 private key from a raw 32-byte seed as PKCS#8 PEM.
void WriteSeedPem(const fs::path& path, const std::string& seed) {
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
  REQUIRE(key != nullptr);
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  REQUIRE(PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  std::fclose(f);
  EVP_PKEY_free(key);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("signed checkpoint has the C2SP layout and opens", "[checkpoint]") {
  Signer signer = NewSigner();
  Verifier verifier = VerifierOf(signer);
  const Checkpoint c = Sample();

  const std::string body = CheckpointBody(c);
  CHECK(body == "sparbar.test/log\n1234567\n" + sparbar::merkle::ToBase64(c.root) + "\n");

  const std::string note = SignCheckpoint(c, signer);
  REQUIRE(note.rfind(body + "\n\xe2\x80\x94 sparbar.test/log ", 0) == 0);
  REQUIRE(note.back() == '\n');
  const std::string sig_b64 = note.substr(body.size() + 1 + 4 + signer.key_name().size() + 1,
                                          note.size() - body.size() - 1 - 4 - signer.key_name().size() - 2);
  auto sig = sparbar::merkle::Base64Decode(sig_b64);
  REQUIRE(sig.ok());
  REQUIRE(sig->size() == 68);
  const uint32_t hash = (uint32_t{static_cast<uint8_t>((*sig)[0])} << 24) |
                        (uint32_t{static_cast<uint8_t>((*sig)[1])} << 16) |
                        (uint32_t{static_cast<uint8_t>((*sig)[2])} << 8) | static_cast<uint8_t>((*sig)[3]);
  CHECK(hash == signer.key_hash());
  CHECK(verifier.Verify(body, sig->substr(4)));

  auto opened = OpenCheckpoint(note, verifier);
  REQUIRE(opened.ok());
  CHECK(opened->origin == c.origin);
  CHECK(opened->size == c.size);
  CHECK(opened->root == c.root);

  auto parsed = ParseCheckpointUnverified(note);
  REQUIRE(parsed.ok());
  CHECK(parsed->size == c.size);

  // Size 0 and the largest size round-trip.
  for (uint64_t size : {uint64_t{0}, uint64_t{18446744073709551615u}}) {
    auto o = OpenCheckpoint(SignCheckpoint(Checkpoint{"o", size, sparbar::merkle::EmptyRoot()}, signer), verifier);
    REQUIRE(o.ok());
    CHECK(o->size == size);
  }
}

TEST_CASE("verifier key format parses back", "[checkpoint]") {
  Signer signer = NewSigner("example.com/log");
  const std::string vkey = signer.VerifierKey();
  // "<name>+<8 lowercase hex>+<44 base64 chars of 0x01 || key>"
  REQUIRE(vkey.size() == std::string("example.com/log+").size() + 8 + 1 + 44);
  CHECK(vkey.rfind("example.com/log+", 0) == 0);
  CHECK(vkey.find_first_not_of("0123456789abcdef", 16) == 24);
  CHECK(vkey[24] == '+');
  auto key_bytes = sparbar::merkle::Base64Decode(vkey.substr(25));
  REQUIRE(key_bytes.ok());
  CHECK(*key_bytes == "\x01" + signer.public_key());
  CHECK(signer.public_key().size() == 32);

  // Key hash: first 4 bytes of SHA-256(name || "\n" || 0x01 || public key).
  std::string input = "example.com/log\n\x01" + signer.public_key();
  unsigned char digest[32];
  unsigned int len = 0;
  REQUIRE(EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr) == 1);
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3]);
  CHECK(vkey.substr(vkey.find('+') + 1, 8) == hex);

  auto v = Verifier::FromVerifierKey(vkey);
  REQUIRE(v.ok());
  CHECK(v->key_name() == "example.com/log");
  CHECK(v->key_hash() == signer.key_hash());
  CHECK(v->public_key() == signer.public_key());
  CHECK(v->VerifierKey() == vkey);

  const std::string msg = "hello";
  const std::string sig = signer.Sign(msg);
  CHECK(sig.size() == 64);
  CHECK(v->Verify(msg, sig));
  CHECK_FALSE(v->Verify("hellO", sig));
  CHECK_FALSE(v->Verify(msg, sig.substr(1)));
  CHECK(ERR_peek_error() == 0);

  // Published keys from other implementations; the second has '+' in its base64.
  for (const char* known : {kPeterVkey, "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
                            "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"}) {
    INFO(known);
    auto k = Verifier::FromVerifierKey(known);
    REQUIRE(k.ok());
    CHECK(k->VerifierKey() == known);
  }

  // Malformed verifier keys.
  const std::string b64 = vkey.substr(25);  // not rfind: the base64 itself may hold a +
  for (const std::string& bad : {std::string(""), std::string("name"), "name+" + std::string(hex),
                                 "other.name+" + std::string(hex) + "+" + b64,   // hash mismatch
                                 "example.com/log+" + std::string(hex) + "+" + b64 + "+x",
                                 "example.com/log+" + std::string(hex) + "+" + b64.substr(4),
                                 "example.com/log+" + std::string(hex) + "+Ag" + b64.substr(2),  // algorithm 0x02
                                 "example.com/log+1234567+" + b64, "+" + std::string(hex) + "+" + b64}) {
    INFO(bad);
    CHECK(Verifier::FromVerifierKey(bad).status().code() == Code::kInvalidArgument);
  }
  CHECK(Signer::Generate("").status().code() == Code::kInvalidArgument);
  CHECK(Signer::Generate("a b").status().code() == Code::kInvalidArgument);
  CHECK(Signer::Generate("a+b").status().code() == Code::kInvalidArgument);
}

TEST_CASE("Go sumdb/note example key and signature are reproduced", "[checkpoint]") {
  TempDir dir;
  auto seed = sparbar::merkle::Base64Decode(kPeterSeedB64);
  REQUIRE(seed.ok());
  REQUIRE(seed->size() == 33);
  const fs::path pem = dir.path() / "peter.pem";
  WriteSeedPem(pem, seed->substr(1));
  auto signer = Signer::LoadPem(pem.string(), "PeterNeumann");
  REQUIRE(signer.ok());
  CHECK(signer->VerifierKey() == kPeterVkey);

  auto expected = sparbar::merkle::Base64Decode(kPeterSig);
  REQUIRE(expected.ok());
  CHECK(signer->Sign(kPeterText) == expected->substr(4));  // Ed25519 is deterministic

  auto verifier = Verifier::FromVerifierKey(kPeterVkey);
  REQUIRE(verifier.ok());
  const std::string note = std::string(kPeterText) + "\n\xe2\x80\x94 PeterNeumann " + kPeterSig + "\n";
  // The signature verifies, but the text is not a checkpoint.
  auto opened = OpenCheckpoint(note, *verifier);
  CHECK(opened.status().code() == Code::kDataLoss);
  CHECK(opened.status().message().find("malformed") != std::string::npos);
  auto tampered = OpenCheckpoint(Replace(note, "cryptography", "cryptographY"), *verifier);
  CHECK(tampered.status().code() == Code::kDataLoss);
  CHECK(tampered.status().message() == "checkpoint signature does not verify");
}

TEST_CASE("tampered checkpoints fail with DataLoss", "[checkpoint]") {
  Signer signer = NewSigner();
  Verifier verifier = VerifierOf(signer);
  const Checkpoint c = Sample();
  const std::string note = SignCheckpoint(c, signer);

  SECTION("size") {
    auto r = OpenCheckpoint(Replace(note, "\n1234567\n", "\n1234568\n"), verifier);
    CHECK(r.status().code() == Code::kDataLoss);
    CHECK(r.status().message() == "checkpoint signature does not verify");
    CHECK(OpenCheckpoint(Replace(note, "\n1234567\n", "\n01234567\n"), verifier).status().code() ==
          Code::kDataLoss);
  }
  SECTION("root") {
    Checkpoint other = c;
    other.root[0] ^= 1;
    const std::string r = Replace(note, sparbar::merkle::ToBase64(c.root), sparbar::merkle::ToBase64(other.root));
    CHECK(OpenCheckpoint(r, verifier).status().code() == Code::kDataLoss);
  }
  SECTION("origin") {
    CHECK(OpenCheckpoint(Replace(note, "sparbar.test/log\n", "sparbar.test/loh\n"), verifier).status().code() ==
          Code::kDataLoss);
  }
  SECTION("signature") {
    const size_t line = note.rfind(' ') + 1;
    std::string bad = note;
    // Change one signature byte but keep the base64 valid and the key hash intact.
    bad[line + 20] = bad[line + 20] == 'A' ? 'B' : 'A';
    auto r = OpenCheckpoint(bad, verifier);
    CHECK(r.status().code() == Code::kDataLoss);
    CHECK(r.status().message() == "checkpoint signature does not verify");
  }
  SECTION("structure") {
    CHECK(OpenCheckpoint(Replace(note, "\n\n", "\n"), verifier).status().code() == Code::kDataLoss);
    CHECK(OpenCheckpoint(note.substr(0, note.size() - 1), verifier).status().code() == Code::kDataLoss);
    CHECK(OpenCheckpoint(CheckpointBody(c), verifier).status().code() == Code::kDataLoss);
    CHECK(OpenCheckpoint("", verifier).status().code() == Code::kDataLoss);
  }
}

TEST_CASE("only a signature by the verifier's key counts", "[checkpoint]") {
  Signer signer = NewSigner();
  Signer other = NewSigner();            // same name, different key
  Signer stranger = NewSigner("witness.example/w1");
  const Checkpoint c = Sample();

  auto wrong = OpenCheckpoint(SignCheckpoint(c, other), VerifierOf(signer));
  CHECK(wrong.status().code() == Code::kDataLoss);
  CHECK(wrong.status().message().find("no signature") != std::string::npos);

  // Extra signatures by unknown keys are ignored, in any order.
  const std::string note = SignCheckpoint(c, signer);
  const std::string stranger_line = SignCheckpoint(c, stranger).substr(CheckpointBody(c).size() + 1);
  const std::string own_line = note.substr(CheckpointBody(c).size() + 1);
  CHECK(OpenCheckpoint(note + stranger_line, VerifierOf(signer)).ok());
  CHECK(OpenCheckpoint(CheckpointBody(c) + "\n" + stranger_line + own_line, VerifierOf(signer)).ok());
  CHECK(OpenCheckpoint(CheckpointBody(c) + "\n" + stranger_line, VerifierOf(signer)).status().code() ==
        Code::kDataLoss);
  CHECK(OpenCheckpoint(note + own_line, VerifierOf(signer)).status().code() == Code::kDataLoss);  // duplicate
}

TEST_CASE("checkpoint parsing is strict", "[checkpoint]") {
  Signer signer = NewSigner();
  const Checkpoint c = Sample();
  const std::string sigs = SignCheckpoint(c, signer).substr(CheckpointBody(c).size());  // "\n— ..."
  const std::string root = sparbar::merkle::ToBase64(c.root);

  auto parse = [&](const std::string& body) { return ParseCheckpointUnverified(body + sigs); };
  CHECK(parse("o\n5\n" + root + "\n").ok());
  CHECK(parse("o\n0\n" + root + "\n").ok());
  CHECK(parse("o\n5\n" + root + "\nextension line\n").ok());  // tolerated, ignored
  const std::vector<std::string> bads = {
      "\n5\n" + root + "\n", "o\n05\n" + root + "\n", "o\n00\n" + root + "\n", "o\n-5\n" + root + "\n",
        "o\n+5\n" + root + "\n", "o\n5 \n" + root + "\n", "o\n\n" + root + "\n",
        "o\n18446744073709551616\n" + root + "\n", "o\n5\n" + root.substr(4) + "\n",
        "o\n5\n" + root.substr(0, 43) + "\n", "o\n5\n" + root + " \n", "o\n5\n", std::string("o\n5\n") + root + "\n\nx\n",
        "o\x01\n5\n" + root + "\n", "o\xff\n5\n" + root + "\n"};
  for (const std::string& bad : bads) {
    INFO(bad);
    CHECK(parse(bad).status().code() == Code::kInvalidArgument);
  }
  const std::string good = "o\n5\n" + root + "\n";
  CHECK(ParseCheckpointUnverified(good + "\n").status().code() == Code::kInvalidArgument);
  CHECK(ParseCheckpointUnverified(good + "\n- o AAAA\n").status().code() == Code::kInvalidArgument);
  CHECK(ParseCheckpointUnverified(good + "\n\xe2\x80\x94 o !!!!\n").status().code() == Code::kInvalidArgument);
  CHECK(ParseCheckpointUnverified(good + "\n\xe2\x80\x94 o AAAA\n").status().code() == Code::kInvalidArgument);
  CHECK(ParseCheckpointUnverified(good + "\n\xe2\x80\x94 oAAAAAAAA\n").status().code() == Code::kInvalidArgument);
  CHECK(ValidateOrigin("").code() == Code::kInvalidArgument);
  CHECK(ValidateOrigin("a\nb").code() == Code::kInvalidArgument);
  CHECK(ValidateOrigin("example.com/log").ok());
}

TEST_CASE("PEM save and load round trip with mode 0600", "[checkpoint]") {
  TempDir dir;
  const std::string path = (dir.path() / "key.pem").string();
  Signer signer = NewSigner();
  REQUIRE(signer.SavePem(path).ok());
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);

  auto loaded = Signer::LoadPem(path, signer.key_name());
  REQUIRE(loaded.ok());
  CHECK(loaded->public_key() == signer.public_key());
  CHECK(loaded->VerifierKey() == signer.VerifierKey());
  CHECK(VerifierOf(signer).Verify("m", loaded->Sign("m")));

  CHECK(signer.SavePem(path).code() == Code::kAlreadyExists);
  CHECK(Signer::LoadPem((dir.path() / "missing.pem").string(), "n").status().code() == Code::kNotFound);
  {
    std::ofstream junk(dir.path() / "junk.pem");
    junk << "not a key\n";
  }
  CHECK(Signer::LoadPem((dir.path() / "junk.pem").string(), "n").status().code() == Code::kInvalidArgument);
  CHECK(Signer::LoadPem(path, "bad name").status().code() == Code::kInvalidArgument);

  // An encrypted key is rejected without asking for a password.
  {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    REQUIRE(key != nullptr);
    FILE* f = std::fopen((dir.path() / "enc.pem").c_str(), "w");
    REQUIRE(f != nullptr);
    char pw[] = "password";
    REQUIRE(PEM_write_PKCS8PrivateKey(f, key, EVP_aes_256_cbc(), pw, 8, nullptr, nullptr) == 1);
    std::fclose(f);
    EVP_PKEY_free(key);
  }
  CHECK(Signer::LoadPem((dir.path() / "enc.pem").string(), "n").status().code() == Code::kInvalidArgument);
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("LoadOrCreate creates the key once and then loads it", "[checkpoint]") {
  TempDir dir;
  const std::string path = (dir.path() / "sub" / "dir" / "signing-key.pem").string();
  auto first = Signer::LoadOrCreate(path, "sparbar.test/log");
  REQUIRE(first.ok());
  REQUIRE(fs::exists(path));
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  auto second = Signer::LoadOrCreate(path, "sparbar.test/log");
  REQUIRE(second.ok());
  CHECK(second->public_key() == first->public_key());
  CHECK(second->VerifierKey() == first->VerifierKey());
}

TEST_CASE("one Signer signs from several threads", "[checkpoint]") {
  Signer signer = NewSigner();
  Verifier verifier = VerifierOf(signer);
  Signer moved = std::move(signer);
  std::vector<std::string> notes(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < notes.size(); ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t i = 0; i < 50; ++i) {
        notes[t] = SignCheckpoint(Checkpoint{"sparbar.test/log", t * 1000 + i, LeafHash(std::to_string(i))}, moved);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < notes.size(); ++t) {
    auto o = OpenCheckpoint(notes[t], verifier);
    REQUIRE(o.ok());
    CHECK(o->size == t * 1000 + 49);
  }
}
