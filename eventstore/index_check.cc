#include "eventstore/index_check.h"

#include <openssl/rand.h>

#include <cstring>

namespace sparbar {

Result<std::unique_ptr<IndexCheck>> IndexCheck::Create(uint64_t first, uint64_t count) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Internal("no random bytes for the index check's key");
  SipKey key;
  std::memcpy(&key.k0, bytes, 8);
  std::memcpy(&key.k1, bytes + 8, 8);
  return std::unique_ptr<IndexCheck>(new IndexCheck(first, count, key));
}

IndexCheck::IndexCheck(uint64_t first, uint64_t count, SipKey key)
    : first_(first), count_(count), key_(key), slots_(new std::atomic<uint64_t>[count]) {
  for (uint64_t i = 0; i < count_; ++i) slots_[i].store(0, std::memory_order_relaxed);
}

std::optional<uint64_t> IndexCheck::FirstMismatch() const {
  for (uint64_t i = 0; i < count_; ++i) {
    if (slots_[i].load(std::memory_order_relaxed) != 0) return first_ + i;
  }
  return std::nullopt;
}

}  // namespace sparbar
