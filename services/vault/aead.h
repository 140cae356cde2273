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
// The same with the nonce given (kNonceBytes): for a nonce derived from
// what is sealed (SyntheticNonce), never a counter or a constant.
Result<std::string> SealWithNonce(const Key256& key, std::string_view nonce, std::string_view plaintext,
                                  std::string_view aad);
// A nonce derived from the key and `input` (HMAC-SHA256, cut to
// kNonceBytes): the same input gives the same nonce, so the same message
// seals to the same bytes, and two different inputs share a nonce only by
// a 96-bit collision. `input` must hold everything that is sealed with it.
std::string SyntheticNonce(const Key256& key, std::string_view input);
// DataLoss when the message is cut short or does not authenticate (another
// key, other associated data, or changed bytes).
Result<std::string> Open(const Key256& key, std::string_view sealed, std::string_view aad);

}  // namespace sparbar::vault
