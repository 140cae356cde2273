#include "eventstore/event.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>

namespace sparbar {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') {
    return Status::InvalidArgument("event id must be a UUID in 8-4-4-4-12 hex form");
  }
  Uuid u;
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '-') { ++i; continue; }
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("event id contains a non-hex character");
    u.bytes[out++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return u;
}

Uuid Uuid::Random() {
  Uuid u;
  if (RAND_bytes(u.bytes.data(), static_cast<int>(u.bytes.size())) != 1) std::abort();
  u.bytes[6] = static_cast<uint8_t>((u.bytes[6] & 0x0f) | 0x40);
  u.bytes[8] = static_cast<uint8_t>((u.bytes[8] & 0x3f) | 0x80);
  return u;
}

Uuid Uuid::NameBased(std::string_view name) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest);
  Uuid u;
  std::copy(digest, digest + 16, u.bytes.begin());
  u.bytes[6] = static_cast<uint8_t>((u.bytes[6] & 0x0f) | 0x50);
  u.bytes[8] = static_cast<uint8_t>((u.bytes[8] & 0x3f) | 0x80);
  return u;
}

void Uuid::FormatTo(char* out) const {
  static const char* kHex = "0123456789abcdef";
  size_t n = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[n++] = '-';
    out[n++] = kHex[bytes[i] >> 4];
    out[n++] = kHex[bytes[i] & 0xf];
  }
}

std::string Uuid::ToString() const {
  char s[kTextSize];
  FormatTo(s);
  return std::string(s, kTextSize);
}

TimestampMicros NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ExpectedRevision::ToString() const {
  switch (kind) {
    case Kind::kAny: return "any";
    case Kind::kNoStream: return "no stream";
    case Kind::kStreamExists: return "stream exists";
    case Kind::kExact: return "revision " + std::to_string(revision);
  }
  return "?";
}

}  // namespace sparbar
