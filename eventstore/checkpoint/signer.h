// Ed25519 signing and verification keys for checkpoints (C2SP signed-note).
//
// A Signer holds a private key and the key name used in notes. Its verifier key
// is "<name>+<key hash, 8 hex digits>+<base64(0x01 || 32-byte public key)>",
// where the key hash is the first 4 bytes (big-endian) of
// SHA-256(name || "\n" || 0x01 || public key). Key names are non-empty UTF-8
// without '+' or whitespace. Private keys are stored as unencrypted PKCS#8 PEM
// files of mode 0600. Signer and Verifier are cheap to copy or move (the key is
// shared and immutable) and safe to use from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "eventstore/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace sparbar::checkpoint {

// InvalidArgument unless `name` is a valid note key name.
Status ValidateKeyName(std::string_view name);

class Signer {
 public:
  // A new random key.
  static Result<Signer> Generate(std::string key_name);
  // NotFound when the file does not exist; InvalidArgument when it does not
  // hold an Ed25519 private key.
  static Result<Signer> LoadPem(const std::string& path, std::string key_name);
  // Loads `path`, or creates it (and missing parent directories) with a new key.
  static Result<Signer> LoadOrCreate(const std::string& path, std::string key_name);

  // Writes the private key to a new file of mode 0600, synced to disk.
  // AlreadyExists when the file exists (it is never overwritten).
  Status SavePem(const std::string& path) const;

  // The 64-byte Ed25519 signature of `msg`. Aborts the process only if OpenSSL
  // itself fails (out of memory), like operator new.
  std::string Sign(std::string_view msg) const;
  // 32 raw bytes.
  const std::string& public_key() const { return public_key_; }
  const std::string& key_name() const { return key_name_; }
  uint32_t key_hash() const { return key_hash_; }
  std::string VerifierKey() const;

 private:
  Signer(std::string key_name, std::shared_ptr<EVP_PKEY> key, std::string public_key);

  std::string key_name_;
  std::shared_ptr<EVP_PKEY> key_;
  std::string public_key_;
  uint32_t key_hash_ = 0;
};

class Verifier {
 public:
  // Parses a verifier key as produced by Signer::VerifierKey() (the key hash
  // in lowercase hex). InvalidArgument when malformed, for another algorithm,
  // or when the key hash does not match the name and key.
  static Result<Verifier> FromVerifierKey(std::string_view vkey);

  // True when `sig` is a valid signature of `msg` by this key.
  bool Verify(std::string_view msg, std::string_view sig) const;

  const std::string& key_name() const { return key_name_; }
  uint32_t key_hash() const { return key_hash_; }
  // 32 raw bytes.
  const std::string& public_key() const { return public_key_; }
  std::string VerifierKey() const;

 private:
  Verifier(std::string key_name, std::shared_ptr<EVP_PKEY> key, std::string public_key);

  std::string key_name_;
  std::shared_ptr<EVP_PKEY> key_;
  std::string public_key_;
  uint32_t key_hash_ = 0;
};

}  // namespace sparbar::checkpoint
