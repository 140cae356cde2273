// Sealed fields: a piece of personal data encrypted with its person's data
// key (key_vault.h), as stored in an event. A sealed field is
//   "sv1" | key id (16 bytes) | nonce | ciphertext | tag
// and the seal's associated data is the key id and the field's `use` (for
// example "decisions.ApplicationReceived.subject"), so a sealed value does
// not open in another field. The nonce is synthetic (aead.h): derived from
// the key, the use, a `context` (the event's id) and the clear text, so
// sealing the same event again gives the same bytes and a retried append
// stays a retry. Once the person's key is destroyed, the field reads as
// disposed (gallrad): the bytes stay, so the event's hash and every proof
// over it stay valid.
#pragma once

#include <string>
#include <string_view>

#include "services/vault/key_vault.h"

namespace sparbar::vault {

inline constexpr std::string_view kSealedMagic = "sv1";

bool IsSealed(std::string_view value);
// The id of the key a sealed value was sealed with (empty when not sealed).
std::string_view SealedKeyId(std::string_view sealed);

Result<std::string> SealField(const DataKey& key, std::string_view clear, std::string_view use,
                              std::string_view context);

// The clear text. NotFound ("disposed") when the key is destroyed; DataLoss
// when the value is not a sealed field of this use or was changed.
Result<std::string> OpenField(KeyVault& vault, std::string_view sealed, std::string_view use);

}  // namespace sparbar::vault
