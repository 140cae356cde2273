#include "services/vault/aead.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace sparbar::vault {
namespace {

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Result<Key256> RandomKey() {
  Key256 key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return Status::Internal("the system gave no random bytes for a key");
  }
  return key;
}

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return Status::Internal("the system gave no random bytes");
  }
  return out;
}

// Fetched once: passing EVP_aes_256_gcm() makes OpenSSL 3 look the cipher up on every call.
const EVP_CIPHER* Gcm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

// One context per thread, reset before and after each message (so that no
// key schedule stays behind in it): no allocation per field.
EVP_CIPHER_CTX* ThreadContext() {
  thread_local Ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (ctx) EVP_CIPHER_CTX_reset(ctx.get());
  return ctx.get();
}

// Resets the thread's context when the message is done.
struct Done {
  EVP_CIPHER_CTX* ctx;
  ~Done() {
    if (ctx) EVP_CIPHER_CTX_reset(ctx);
  }
};

Result<std::string> Seal(const Key256& key, std::string_view plaintext, std::string_view aad) {
  auto nonce = RandomBytes(kNonceBytes);
  if (!nonce.ok()) return nonce.status();
  auto sealed = SealDetached(key, *nonce, plaintext, aad);
  if (!sealed.ok()) return sealed.status();
  return *nonce + *sealed;
}

Result<std::string> Open(const Key256& key, std::string_view sealed, std::string_view aad) {
  if (sealed.size() < kNonceBytes + kTagBytes) return Status::DataLoss("a sealed message is cut short");
  return OpenDetached(key, sealed.substr(0, kNonceBytes), sealed.substr(kNonceBytes), aad);
}

Result<std::string> SealDetached(const Key256& key, std::string_view nonce, std::string_view plaintext,
                                 std::string_view aad) {
  if (nonce.size() != kNonceBytes) return Status::Internal("an AES-GCM nonce must be 12 bytes");
  EVP_CIPHER_CTX* ctx = ThreadContext();
  const Done done{ctx};
  std::string out(plaintext.size() + kTagBytes, '\0');
  auto* cipher = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (!ctx || Gcm() == nullptr || EVP_EncryptInit_ex(ctx, Gcm(), nullptr, key.data(), Bytes(nonce)) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx, nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx, cipher, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          cipher + plaintext.size()) != 1) {
    return Status::Internal("AES-256-GCM encryption failed");
  }
  return out;
}

Result<std::string> OpenDetached(const Key256& key, std::string_view nonce, std::string_view sealed,
                                 std::string_view aad) {
  if (nonce.size() != kNonceBytes || sealed.size() < kTagBytes) {
    return Status::DataLoss("a sealed message is cut short");
  }
  const size_t n = sealed.size() - kTagBytes;
  std::string out(n, '\0');
  EVP_CIPHER_CTX* ctx = ThreadContext();
  const Done done{ctx};
  std::string tag(sealed.substr(n));
  int len = 0;
  auto* plain = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx || Gcm() == nullptr || EVP_DecryptInit_ex(ctx, Gcm(), nullptr, key.data(), Bytes(nonce)) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx, nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx, plain, &len, Bytes(sealed), static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx, plain + len, &len) != 1) {
    return Status::DataLoss("a sealed message does not authenticate: another key, another use, or changed bytes");
  }
  return out;
}

}  // namespace sparbar::vault
