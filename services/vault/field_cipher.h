// Sealed fields: a piece of personal data encrypted with its person's data
// key (key_vault.h), as stored in an event:
//   0x01 | key id (8 bytes) | ciphertext | tag (16 bytes)
// AES-256-GCM with the associated data naming the key id and the field's
// `use` (for example "decisions.ApplicationReceived.subject"), so a value
// does not open in another field. The nonce is not stored: it is derived
// from the `context`, the use and the key id (SHA-256, cut to 12 bytes).
// The context is the event's id for a value that differs between events (a
// text): sealing the same event again gives the same bytes (a retried
// append stays a retry), the value does not open in another event, and no
// key meets a nonce twice, since the log holds each event id once. It is
// empty for a value its key seals in every event alike (the person's own
// number): one plaintext per key and use, so a repeated nonce repeats the
// same ciphertext and reveals nothing.
// Once the person's key is destroyed the field reads as disposed
// (gallrad): the bytes stay, so the event's hash and every proof stay valid.
#pragma once

#include <string>
#include <string_view>

#include "services/vault/key_vault.h"

namespace sparbar::vault {

inline constexpr char kSealedVersion = '\x01';

bool IsSealed(std::string_view value);
// The id of the key a sealed value was sealed with (empty when not sealed).
std::string_view SealedKeyId(std::string_view sealed);

Result<std::string> SealField(const DataKey& key, std::string_view clear, std::string_view use,
                              std::string_view context);

// The clear text. NotFound ("disposed") when the key is destroyed; DataLoss
// when the value is not a sealed field of this use and context, or was changed.
Result<std::string> OpenField(KeyVault& vault, std::string_view sealed, std::string_view use,
                              std::string_view context);

}  // namespace sparbar::vault
