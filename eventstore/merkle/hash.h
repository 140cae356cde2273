// RFC 6962 / RFC 9162 (section 2.1.1) tree hashing with SHA-256.
//
// LeafHash(d)      = SHA-256(0x00 || d)
// NodeHash(l, r)   = SHA-256(0x01 || l || r)
// EmptyRoot()      = SHA-256("")   (the hash of a tree with no leaves)
// All functions are thread-safe. LeafHash and NodeHash are on the append hot
// path: they reuse a per-thread OpenSSL digest context and never allocate
// after a thread's first call.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::merkle {

using Hash = std::array<uint8_t, 32>;

Hash LeafHash(std::string_view leaf_bytes);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyRoot();

// Standard padded base64 of the 32 bytes (44 characters).
std::string ToBase64(const Hash& hash);
// Strict inverse of ToBase64; InvalidArgument unless the text is canonical
// base64 of exactly 32 bytes.
Result<Hash> HashFromBase64(std::string_view text);
// 64 lowercase hex digits.
std::string ToHex(const Hash& hash);

}  // namespace sparbar::merkle
