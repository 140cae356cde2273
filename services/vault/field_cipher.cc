#include "services/vault/field_cipher.h"

#include <openssl/evp.h>

namespace sparbar::vault {
namespace {

std::string Aad(std::string_view id, std::string_view use) {
  return "sparbar-field-v2|" + std::string(id) + "|" + std::string(use);
}

Result<std::string> Nonce(std::string_view context, std::string_view use, std::string_view id) {
  static const EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  // Length-prefixed parts: no two (context, use, id) give the same input.
  std::string input = "sparbar-field-nonce-v2|";
  input.reserve(input.size() + 8 + context.size() + use.size() + id.size());
  auto part = [&input](std::string_view v) {
    input += static_cast<char>((v.size() >> 8) & 0xff);
    input += static_cast<char>(v.size() & 0xff);
    input.append(v.substr(0, 0xffff));
  };
  part(context);
  part(use);
  input.append(id);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (sha256 == nullptr || EVP_Digest(input.data(), input.size(), digest, &n, sha256, nullptr) != 1 ||
      n < kNonceBytes) {
    return Status::Internal("SHA-256 is not available to derive a nonce");
  }
  return std::string(reinterpret_cast<const char*>(digest), kNonceBytes);
}

}  // namespace

bool IsSealed(std::string_view value) {
  return value.size() >= 1 + kKeyIdBytes + kTagBytes && value[0] == kSealedVersion;
}

std::string_view SealedKeyId(std::string_view sealed) {
  return IsSealed(sealed) ? sealed.substr(1, kKeyIdBytes) : std::string_view();
}

Result<std::string> SealField(const DataKey& key, std::string_view clear, std::string_view use,
                              std::string_view context) {
  auto nonce = Nonce(context, use, key.id);
  if (!nonce.ok()) return nonce.status();
  auto sealed = SealDetached(key.key, *nonce, clear, Aad(key.id, use));
  if (!sealed.ok()) return sealed.status();
  return std::string(1, kSealedVersion) + key.id + *sealed;
}

Result<std::string> OpenField(KeyVault& vault, std::string_view sealed, std::string_view use,
                              std::string_view context) {
  if (!IsSealed(sealed)) return Status::DataLoss("the value is not a sealed field");
  const std::string_view id = SealedKeyId(sealed);
  auto key = vault.KeyById(id);
  if (!key.ok()) return key.status();
  auto nonce = Nonce(context, use, id);
  if (!nonce.ok()) return nonce.status();
  return OpenDetached(*key, *nonce, sealed.substr(1 + kKeyIdBytes), Aad(id, use));
}

}  // namespace sparbar::vault
