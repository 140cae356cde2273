#include "services/access/subject_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/common/atomic_file.h"

namespace sparbar::access {
namespace {

std::string Hex(const uint8_t* bytes, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

}  // namespace

Result<SubjectKey> SubjectKey::LoadOrCreate(const std::string& path) {
  std::array<uint8_t, 32> key{};
  if (!std::filesystem::exists(path)) {
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return Status::Internal("no random bytes");
    if (Status s = WriteFileAtomically(path, Hex(key.data(), key.size()) + "\n", 0600); !s.ok()) return s;
    return FromBytes(key);
  }
  std::ifstream in(path);
  if (!in) return Status::Internal("cannot read the access index key " + path + ": " + std::strerror(errno));
  std::string text;
  in >> text;
  if (text.size() != 64 || text.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::DataLoss("the access index key " + path + " is not 64 lowercase hex characters");
  }
  for (size_t i = 0; i < 32; ++i) key[i] = static_cast<uint8_t>(std::stoi(text.substr(2 * i, 2), nullptr, 16));
  return FromBytes(key);
}

SubjectKey SubjectKey::FromBytes(const std::array<uint8_t, 32>& bytes) {
  SubjectKey k;
  k.key_ = bytes;
  static EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  if (ctx && EVP_MAC_init(ctx, k.key_.data(), k.key_.size(), params) != 1) {
    EVP_MAC_CTX_free(ctx);
    ctx = nullptr;
  }
  k.mac_ = std::shared_ptr<EVP_MAC_CTX>(ctx, EVP_MAC_CTX_free);
  static std::atomic<uint64_t> generations{0};
  k.generation_ = ++generations;
  return k;
}

std::string SubjectKey::Of(std::string_view normalized) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  // Each thread keeps a copy of the keyed context and restarts it (the key
  // kept) for each number: no allocation, no key schedule per call.
  struct ThreadCopy {
    uint64_t generation = 0;
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{nullptr, &EVP_MAC_CTX_free};
  };
  thread_local ThreadCopy copy;
  if (mac_ && copy.generation != generation_) {
    copy.ctx.reset(EVP_MAC_CTX_dup(mac_.get()));
    copy.generation = copy.ctx ? generation_ : 0;
  }
  EVP_MAC_CTX* ctx = copy.generation == generation_ ? copy.ctx.get() : nullptr;
  if (ctx != nullptr && EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size()) == 1 &&
      EVP_MAC_final(ctx, mac, &len, sizeof mac) == 1) {
    return Hex(mac, 16);
  }
  // The slow way, should the keyed copy be unavailable.
  unsigned int n = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size(), mac, &n);
  return Hex(mac, 16);
}

uint32_t SubjectKey::fingerprint() const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(key_.data(), key_.size(), digest);
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) | digest[3];
}

}  // namespace sparbar::access
