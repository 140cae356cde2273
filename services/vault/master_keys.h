// MasterKeys: the keys that wrap the vault's data keys, kept outside the
// data directory: a file (mode 0600) or the environment
// (SPARBAR_MASTER_KEYS); the server takes them with --master-keys. Entries "<id>:<64 hex digits>", one per line or
// comma-separated; the first is current: new data keys are wrapped with it.
// The others only unwrap keys wrapped before a rotation, until
// KeyVault::Rewrap has moved them to the current one. Ids are 1 to 32 of
// a-z, 0-9 and '-', each once. Errors never repeat key material.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "services/vault/aead.h"

namespace sparbar::vault {

inline constexpr char kMasterKeysVariable[] = "SPARBAR_MASTER_KEYS";

class MasterKeys {
 public:
  static Result<MasterKeys> Parse(std::string_view text);
  static Result<MasterKeys> LoadFile(const std::string& path);
  // For development only: loads `path`, or first writes it (mode 0600)
  // with one fresh key, id "dev".
  static Result<MasterKeys> LoadOrCreateFile(const std::string& path);
  // From SPARBAR_MASTER_KEYS; NotFound when it is unset or empty.
  static Result<MasterKeys> FromEnvironment();

  const std::string& current_id() const { return current_; }
  const Key256& current() const { return keys_.at(current_); }
  // nullptr for an id not given.
  const Key256* Find(std::string_view id) const;

 private:
  std::string current_;
  std::map<std::string, Key256, std::less<>> keys_;
};

}  // namespace sparbar::vault
