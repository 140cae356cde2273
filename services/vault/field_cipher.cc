#include "services/vault/field_cipher.h"

namespace sparbar::vault {
namespace {

std::string Aad(std::string_view id, std::string_view use) {
  return "sparbar-field-v1|" + std::string(id) + "|" + std::string(use);
}

}  // namespace

bool IsSealed(std::string_view value) {
  return value.size() >= kSealedMagic.size() + kKeyIdBytes + kNonceBytes + kTagBytes &&
         value.substr(0, kSealedMagic.size()) == kSealedMagic;
}

Result<std::string> SealField(KeyVault& vault, std::string_view pseudonym, std::string_view clear,
                              std::string_view use) {
  auto key = vault.KeyFor(pseudonym);
  if (!key.ok()) return key.status();
  auto sealed = Seal(key->key, clear, Aad(key->id, use));
  if (!sealed.ok()) return sealed.status();
  return std::string(kSealedMagic) + key->id + *sealed;
}

Result<std::string> OpenField(KeyVault& vault, std::string_view sealed, std::string_view use) {
  if (!IsSealed(sealed)) return Status::DataLoss("the value is not a sealed field");
  const std::string_view id = sealed.substr(kSealedMagic.size(), kKeyIdBytes);
  auto key = vault.KeyById(id);
  if (!key.ok()) return key.status();
  return Open(*key, sealed.substr(kSealedMagic.size() + kKeyIdBytes), Aad(id, use));
}

}  // namespace sparbar::vault
