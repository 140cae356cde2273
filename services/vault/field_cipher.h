// Sealed fields: a piece of personal data encrypted with its person's data
// key (key_vault.h), as stored in an event. A sealed field is
//   "sv1" | key id (16 bytes) | nonce | ciphertext | tag
// and the seal's associated data is the key id and the field's `use` (for
// example "decisions.ApplicationReceived.subject"), so a sealed value does
// not open in another field. Once the person's key is destroyed, the field
// reads as disposed (gallrad): the bytes stay, so the event's hash and every
// proof over it stay valid.
#pragma once

#include <string>
#include <string_view>

#include "services/vault/key_vault.h"

namespace sparbar::vault {

inline constexpr std::string_view kSealedMagic = "sv1";

bool IsSealed(std::string_view value);

Result<std::string> SealField(KeyVault& vault, std::string_view pseudonym, std::string_view clear,
                              std::string_view use);

// The clear text. NotFound ("disposed") when the key is destroyed; DataLoss
// when the value is not a sealed field of this use or was changed.
Result<std::string> OpenField(KeyVault& vault, std::string_view sealed, std::string_view use);

}  // namespace sparbar::vault
