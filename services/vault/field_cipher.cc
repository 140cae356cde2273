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

std::string_view SealedKeyId(std::string_view sealed) {
  return IsSealed(sealed) ? sealed.substr(kSealedMagic.size(), kKeyIdBytes) : std::string_view();
}

Result<std::string> SealField(const DataKey& key, std::string_view clear, std::string_view use,
                              std::string_view context) {
  const std::string aad = Aad(key.id, use);
  // Length-prefixed, so that no two (context, clear) pairs give the same input.
  const std::string input = std::to_string(context.size()) + ":" + std::string(context) + aad + "|" + std::string(clear);
  auto sealed = SealWithNonce(key.key, SyntheticNonce(key.key, input), clear, aad);
  if (!sealed.ok()) return sealed.status();
  return std::string(kSealedMagic) + key.id + *sealed;
}

Result<std::string> OpenField(KeyVault& vault, std::string_view sealed, std::string_view use) {
  if (!IsSealed(sealed)) return Status::DataLoss("the value is not a sealed field");
  const std::string_view id = SealedKeyId(sealed);
  auto key = vault.KeyById(id);
  if (!key.ok()) return key.status();
  return Open(*key, sealed.substr(kSealedMagic.size() + kKeyIdBytes), Aad(id, use));
}

}  // namespace sparbar::vault
