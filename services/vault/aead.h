// AES-256-GCM (OpenSSL EVP): a random 96-bit nonce per message and a
// 128-bit tag. A sealed message is nonce | ciphertext | tag; `aad` is
// authenticated but not stored, so a sealed message opens only where the
// same associated data is given (the key it was made for, its use).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::vault {

using Key256 = std::array<uint8_t, 32>;

inline constexpr size_t kNonceBytes = 12;
inline constexpr size_t kTagBytes = 16;

// 32 random bytes (RAND_bytes); Internal when the system has none.
Result<Key256> RandomKey();
// Random bytes of any length, for ids.
Result<std::string> RandomBytes(size_t n);

Result<std::string> Seal(const Key256& key, std::string_view plaintext, std::string_view aad);
// Detached: the nonce (kNonceBytes) given and not stored, the result
// ciphertext | tag. For a nonce the reader derives again from what it knows
// (field_cipher.h): it must never meet two different plaintexts under one
// key.
Result<std::string> SealDetached(const Key256& key, std::string_view nonce, std::string_view plaintext,
                                 std::string_view aad);
Result<std::string> OpenDetached(const Key256& key, std::string_view nonce, std::string_view sealed,
                                 std::string_view aad);
// DataLoss when the message is cut short or does not authenticate (another
// key, other associated data, or changed bytes).
Result<std::string> Open(const Key256& key, std::string_view sealed, std::string_view aad);

}  // namespace sparbar::vault
