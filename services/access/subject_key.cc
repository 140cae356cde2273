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

// Written whole or not at all: a temporary file, synced, renamed into place,
// and the directory synced, so that a crash never leaves half a key.
Status Create(const std::string& path, const std::array<uint8_t, 32>& key) {
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot create the access index key " + tmp + ": " + std::strerror(errno));
  const std::string text = Hex(key.data(), key.size()) + "\n";
  Status s;
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::fsync(fd) != 0) {
    s = Status::Internal("cannot write the access index key " + tmp + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = Status::Internal("cannot move the access index key into place at " + path + ": " + std::strerror(errno));
  }
  if (s.ok()) {
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return s;
}

}  // namespace

Result<SubjectKey> SubjectKey::LoadOrCreate(const std::string& path) {
  std::array<uint8_t, 32> key{};
  if (!std::filesystem::exists(path)) {
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return Status::Internal("no random bytes");
    if (Status s = Create(path, key); !s.ok()) return s;
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
