// SubjectKey: the secret that turns a personnummer into an index key (HMAC-
// SHA256), so that the access log's indexes can find one person's accesses
// without holding the number in clear text. Without the key the index keys
// say nothing; with it, only someone who already has the number can find it.
//
// The key is 32 random bytes in a file of its own (mode 0600), created on
// first start. Losing it means rebuilding the index (projections are
// disposable); the log itself does not depend on it.
#pragma once

#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "eventstore/status.h"

namespace sparbar::access {

class SubjectKey {
 public:
  // Loads the key at `path`, or creates it (and its directory) when absent.
  static Result<SubjectKey> LoadOrCreate(const std::string& path);
  static SubjectKey FromBytes(const std::array<uint8_t, 32>& bytes);

  // 32 hex characters: the first 16 bytes of HMAC-SHA256(key, `normalized`)
  // (a personnummer as 12 digits).
  std::string Of(std::string_view normalized) const;
  // A short digest of the key itself, to tell keys apart (not secret).
  uint32_t fingerprint() const;

 private:
  std::array<uint8_t, 32> key_{};
  // HMAC-SHA256 keyed once; each thread works on a copy of its own
  // (thread-safe), told apart by the key's generation (unique per FromBytes).
  std::shared_ptr<EVP_MAC_CTX> mac_;
  uint64_t generation_ = 0;
};

}  // namespace sparbar::access
