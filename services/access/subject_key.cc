#include "services/access/subject_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "services/common/atomic_file.h"

namespace sparbar::access {
namespace {

std::string Hex(const uint8_t* bytes, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

}  // namespace

Result<SubjectKey> SubjectKey::LoadOrCreate(const std::string& path) {
  std::array<uint8_t, 32> key{};
  if (!std::filesystem::exists(path)) {
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return Status::Internal("no random bytes");
    if (Status s = WriteFileAtomically(path, Hex(key.data(), key.size()) + "\n", 0600); !s.ok()) return s;
    return FromBytes(key);
  }
  std::ifstream in(path);
  if (!in) return Status::Internal("cannot read the access index key " + path + ": " + std::strerror(errno));
  std::string text;
  in >> text;
  if (text.size() != 64 || text.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::DataLoss("the access index key " + path + " is not 64 lowercase hex characters");
  }
  for (size_t i = 0; i < 32; ++i) key[i] = static_cast<uint8_t>(std::stoi(text.substr(2 * i, 2), nullptr, 16));
  return FromBytes(key);
}

SubjectKey SubjectKey::FromBytes(const std::array<uint8_t, 32>& bytes) {
  SubjectKey k;
  k.key_ = bytes;
  return k;
}

std::string SubjectKey::Of(std::string_view normalized) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size(), mac, &len);
  return Hex(mac, 16);
}

uint32_t SubjectKey::fingerprint() const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(key_.data(), key_.size(), digest);
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) | digest[3];
}

}  // namespace sparbar::access
