#include "services/vault/aead.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
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

Result<std::string> Seal(const Key256& key, std::string_view plaintext, std::string_view aad) {
  auto nonce = RandomBytes(kNonceBytes);
  if (!nonce.ok()) return nonce.status();
  return SealWithNonce(key, *nonce, plaintext, aad);
}

std::string SyntheticNonce(const Key256& key, std::string_view input) {
  const std::string message = "sparbar-synthetic-nonce-v1|" + std::string(input);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), kNonceBytes);
}

Result<std::string> SealWithNonce(const Key256& key, std::string_view nonce, std::string_view plaintext,
                                  std::string_view aad) {
  if (nonce.size() != kNonceBytes) return Status::Internal("an AES-GCM nonce must be 12 bytes");
  Ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(nonce);
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  auto* cipher = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), Bytes(nonce)) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          cipher + plaintext.size()) != 1) {
    return Status::Internal("AES-256-GCM encryption failed");
  }
  return out;
}

Result<std::string> Open(const Key256& key, std::string_view sealed, std::string_view aad) {
  if (sealed.size() < kNonceBytes + kTagBytes) return Status::DataLoss("a sealed message is cut short");
  const size_t n = sealed.size() - kNonceBytes - kTagBytes;
  std::string out(n, '\0');
  Ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string tag(sealed.substr(kNonceBytes + n));
  int len = 0;
  auto* plain = reinterpret_cast<unsigned char*>(out.data());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), Bytes(sealed)) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), plain, &len, Bytes(sealed.substr(kNonceBytes)), static_cast<int>(n)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plain + len, &len) != 1) {
    return Status::DataLoss("a sealed message does not authenticate: another key, another use, or changed bytes");
  }
  return out;
}

}  // namespace sparbar::vault
