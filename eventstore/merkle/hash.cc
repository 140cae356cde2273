#include "eventstore/merkle/hash.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "eventstore/merkle/base64.h"

namespace sparbar::merkle {
namespace {

[[noreturn]] void DigestFailure() {
  // SHA-256 with a prepared context only fails when OpenSSL is unusable.
  std::fprintf(stderr, "sparbar: OpenSSL SHA-256 failed\n");
  std::abort();
}

// SHA-256 fetched once from the default provider; it lives for the whole
// process (fetching per call would take a lock in OpenSSL 3).
const EVP_MD* Sha256() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) DigestFailure();
    return fetched;
  }();
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* ThreadCtx() {
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) DigestFailure();
  return ctx.get();
}

// SHA-256(prefix || a || b) using this thread's context.
Hash Digest(uint8_t prefix, const void* a, size_t a_len, const void* b, size_t b_len) {
  EVP_MD_CTX* ctx = ThreadCtx();
  Hash out;
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx, Sha256(), nullptr) != 1 || EVP_DigestUpdate(ctx, &prefix, 1) != 1 ||
      (a_len > 0 && EVP_DigestUpdate(ctx, a, a_len) != 1) ||
      (b_len > 0 && EVP_DigestUpdate(ctx, b, b_len) != 1) ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size()) {
    DigestFailure();
  }
  return out;
}

}  // namespace

Hash LeafHash(std::string_view leaf_bytes) {
  return Digest(0x00, leaf_bytes.data(), leaf_bytes.size(), nullptr, 0);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  return Digest(0x01, left.data(), left.size(), right.data(), right.size());
}

Hash EmptyRoot() {
  static const Hash empty = [] {
    Hash out;
    unsigned int len = 0;
    if (EVP_Digest("", 0, out.data(), &len, Sha256(), nullptr) != 1 || len != out.size()) {
      DigestFailure();
    }
    return out;
  }();
  return empty;
}

std::string ToBase64(const Hash& hash) {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

Result<Hash> HashFromBase64(std::string_view text) {
  Result<std::string> bytes = Base64Decode(text);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != 32) {
    return Status::InvalidArgument("hash has " + std::to_string(bytes->size()) + " bytes, want 32");
  }
  Hash h;
  std::memcpy(h.data(), bytes->data(), h.size());
  return h;
}

std::string ToHex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : hash) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

}  // namespace sparbar::merkle
