#include "services/vault/master_keys.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <openssl/crypto.h>

#include "services/common/atomic_file.h"
#include "services/common/config_file.h"

namespace sparbar::vault {
namespace {

bool ValidId(std::string_view id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<MasterKeys> MasterKeys::Parse(std::string_view text) {
  MasterKeys out;
  size_t index = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(",\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view entry = Trim(text.substr(start, end - start));
    start = end + 1;
    if (entry.empty() || entry.front() == '#') continue;
    const std::string where = "master key entry " + std::to_string(++index);
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos) return Status::InvalidArgument(where + " is not \"<id>:<64 hex digits>\"");
    const std::string_view id = entry.substr(0, colon);
    const std::string_view hex = entry.substr(colon + 1);
    if (!ValidId(id)) return Status::InvalidArgument(where + ": the id must be 1 to 32 of a-z, 0-9 and '-'");
    if (hex.size() != 64) return Status::InvalidArgument(where + " (" + std::string(id) + "): the key must be 64 hex digits");
    Key256 key{};
    for (size_t i = 0; i < 32; ++i) {
      const int hi = HexDigit(hex[2 * i]), lo = HexDigit(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument(where + " (" + std::string(id) + "): the key must be 64 hex digits");
      }
      key[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    if (std::all_of(key.begin(), key.end(), [](uint8_t b) { return b == 0; })) {
      return Status::InvalidArgument(where + " (" + std::string(id) + ") is all zeros, which is no key");
    }
    if (!out.keys_.emplace(std::string(id), key).second) {
      return Status::InvalidArgument(where + ": the id " + std::string(id) + " is given twice");
    }
    if (out.current_.empty()) out.current_ = std::string(id);
  }
  if (out.keys_.empty()) return Status::InvalidArgument("no master key is given");
  return out;
}

Result<MasterKeys> MasterKeys::LoadFile(const std::string& path) {
  return LoadConfigFileWith<MasterKeys>(path, "master key file", [](const std::string& text) { return Parse(text); });
}

Result<MasterKeys> MasterKeys::LoadOrCreateFile(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    auto key = RandomKey();
    if (!key.ok()) return key.status();
    static const char* kHex = "0123456789abcdef";
    std::string text = "dev:";
    for (uint8_t b : *key) {
      text += kHex[b >> 4];
      text += kHex[b & 15];
    }
    OPENSSL_cleanse(key->data(), key->size());
    Status written = WriteFileAtomically(path, text + "\n", 0600);
    OPENSSL_cleanse(text.data(), text.size());
    if (!written.ok()) return written;
  }
  return LoadFile(path);
}

Result<MasterKeys> MasterKeys::FromEnvironment() {
  const char* text = std::getenv(kMasterKeysVariable);
  if (text == nullptr || *text == '\0') return Status::NotFound(std::string(kMasterKeysVariable) + " is not set");
  auto keys = Parse(text);
  if (!keys.ok()) return Status(keys.status().code(), std::string(kMasterKeysVariable) + ": " + keys.status().message());
  return keys;
}

const Key256* MasterKeys::Find(std::string_view id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace sparbar::vault
