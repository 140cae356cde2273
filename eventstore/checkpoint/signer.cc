#include "eventstore/checkpoint/signer.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>

#include "eventstore/merkle/base64.h"

namespace sparbar::checkpoint {
namespace {

constexpr uint8_t kAlgEd25519 = 0x01;  // signed-note signature type
constexpr size_t kPublicKeySize = 32;
constexpr size_t kSignatureSize = 64;

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* key) { return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free); }

std::string ErrnoText(int err) { return std::strerror(err); }

Status FileError(int err, const std::string& what) {
  std::string message = what + ": " + ErrnoText(err);
  if (err == ENOENT || err == ENOTDIR) return Status::NotFound(std::move(message));
  if (err == EACCES || err == EPERM || err == EROFS) return Status::PermissionDenied(std::move(message));
  return Status::Internal(std::move(message));
}

// Keys are never encrypted; without this OpenSSL would prompt on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }

// Decodes one UTF-8 code point at s[*i], advancing *i; -1 when invalid.
int32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(*i);
  size_t len;
  int32_t cp;
  if (c < 0x80) {
    len = 1, cp = c;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2, cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4, cp = c & 0x07;
  } else {
    return -1;
  }
  if (*i + len > s.size()) return -1;
  for (size_t k = 1; k < len; ++k) {
    uint8_t cc = b(*i + k);
    if ((cc & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (cc & 0x3f);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  *i += len;
  return cp;
}

bool IsUnicodeSpace(int32_t cp) {
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

// First 4 bytes, big-endian, of SHA-256(name || "\n" || 0x01 || public key).
uint32_t KeyHash(std::string_view name, std::string_view public_key) {
  std::string input;
  input.reserve(name.size() + 2 + public_key.size());
  input.append(name);
  input.push_back('\n');
  input.push_back(static_cast<char>(kAlgEd25519));
  input.append(public_key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    std::fprintf(stderr, "sparbar: OpenSSL SHA-256 failed\n");
    std::abort();
  }
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) | digest[3];
}

std::string FormatVerifierKey(const std::string& name, uint32_t key_hash, const std::string& public_key) {
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08x", key_hash);
  std::string key(1, static_cast<char>(kAlgEd25519));
  key.append(public_key);
  return name + "+" + hex + "+" + merkle::Base64Encode(key);
}

Result<std::string> RawPublicKey(EVP_PKEY* key) {
  unsigned char raw[kPublicKeySize];
  size_t len = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != kPublicKeySize) {
    return Status::Internal("cannot extract the Ed25519 public key");
  }
  return std::string(reinterpret_cast<const char*>(raw), len);
}

// Overwrites key material held in a string before it is freed.
struct Cleansed {
  std::string data;
  ~Cleansed() { OPENSSL_cleanse(data.data(), data.size()); }
};

Status SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Internal("cannot open directory " + dir.string() + ": " + ErrnoText(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::Internal("cannot sync directory " + dir.string() + ": " + ErrnoText(err));
  return Status::Ok();
}

}  // namespace

Status ValidateKeyName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("key name is empty");
  size_t i = 0;
  while (i < name.size()) {
    int32_t cp = NextCodePoint(name, &i);
    if (cp < 0) return Status::InvalidArgument("key name is not valid UTF-8");
    if (cp == '+') return Status::InvalidArgument("key name contains '+'");
    if (cp <= 0x20 || cp == 0x7f || IsUnicodeSpace(cp)) {
      return Status::InvalidArgument("key name contains whitespace or a control character");
    }
  }
  return Status::Ok();
}

// ---- Signer ----

Signer::Signer(std::string key_name, std::shared_ptr<EVP_PKEY> key, std::string public_key)
    : key_name_(std::move(key_name)),
      key_(std::move(key)),
      public_key_(std::move(public_key)),
      key_hash_(KeyHash(key_name_, public_key_)) {}

Result<Signer> Signer::Generate(std::string key_name) {
  SPARBAR_RETURN_IF_ERROR(ValidateKeyName(key_name));
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) return Status::Internal("cannot generate an Ed25519 key");
  std::shared_ptr<EVP_PKEY> key = Own(raw);
  Result<std::string> pub = RawPublicKey(key.get());
  if (!pub.ok()) return pub.status();
  return Signer(std::move(key_name), std::move(key), std::move(*pub));
}

Result<Signer> Signer::LoadPem(const std::string& path, std::string key_name) {
  SPARBAR_RETURN_IF_ERROR(ValidateKeyName(key_name));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("signing key file " + path + " does not exist");
    return FileError(err, "cannot open signing key file " + path);
  }
  Cleansed pem;
  char buf[4096];
  pem.data.reserve((1 << 16) + sizeof(buf));  // no reallocation leaves key bytes behind
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      OPENSSL_cleanse(buf, sizeof(buf));
      return Status::Internal("cannot read signing key file " + path + ": " + ErrnoText(err));
    }
    if (n == 0) break;
    pem.data.append(buf, static_cast<size_t>(n));
    if (pem.data.size() > (1 << 16)) {
      ::close(fd);
      OPENSSL_cleanse(buf, sizeof(buf));
      return Status::InvalidArgument("signing key file " + path + " is too large to be a key");
    }
  }
  ::close(fd);
  OPENSSL_cleanse(buf, sizeof(buf));

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data.data(), static_cast<int>(pem.data.size())),
                                                 BIO_free);
  if (!bio) return Status::Internal("cannot allocate an OpenSSL BIO");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr);
  if (raw == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument("signing key file " + path + " does not hold an unencrypted PEM private key");
  }
  std::shared_ptr<EVP_PKEY> key = Own(raw);
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return Status::InvalidArgument("signing key file " + path + " does not hold an Ed25519 key");
  }
  Result<std::string> pub = RawPublicKey(key.get());
  if (!pub.ok()) return pub.status();
  return Signer(std::move(key_name), std::move(key), std::move(*pub));
}

Status Signer::SavePem(const std::string& path) const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio) return Status::Internal("cannot allocate an OpenSSL BIO");
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::Internal("cannot encode the signing key as PEM");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) return Status::Internal("cannot encode the signing key as PEM");

  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    int err = errno;
    OPENSSL_cleanse(data, static_cast<size_t>(len));
    if (err == EEXIST) return Status::AlreadyExists("signing key file " + path + " already exists");
    return FileError(err, "cannot create signing key file " + path);
  }
  Status status;
  if (::fchmod(fd, 0600) != 0) status = Status::Internal("cannot set mode 0600 on " + path + ": " + ErrnoText(errno));
  size_t written = 0;
  while (status.ok() && written < static_cast<size_t>(len)) {
    ssize_t n = ::write(fd, data + written, static_cast<size_t>(len) - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = Status::Internal("cannot write signing key file " + path + ": " + ErrnoText(errno));
    } else {
      written += static_cast<size_t>(n);
    }
  }
  OPENSSL_cleanse(data, static_cast<size_t>(len));
  if (status.ok() && ::fsync(fd) != 0) {
    status = Status::Internal("cannot sync signing key file " + path + ": " + ErrnoText(errno));
  }
  if (::close(fd) != 0 && status.ok()) {
    status = Status::Internal("cannot close signing key file " + path + ": " + ErrnoText(errno));
  }
  if (!status.ok()) {
    ::unlink(path.c_str());  // never leave a partial key behind
    return status;
  }
  return SyncDirectoryOf(path);
}

Result<Signer> Signer::LoadOrCreate(const std::string& path, std::string key_name) {
  SPARBAR_RETURN_IF_ERROR(ValidateKeyName(key_name));
  Result<Signer> loaded = LoadPem(path, key_name);
  if (loaded.ok() || loaded.status().code() != Code::kNotFound) return loaded;

  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return FileError(ec.value(), "cannot create directory " + parent.string());
  }
  Result<Signer> created = Generate(key_name);
  if (!created.ok()) return created;
  Status saved = created->SavePem(path);
  // Another process may have created the key in between: use that one.
  if (saved.code() == Code::kAlreadyExists) return LoadPem(path, std::move(key_name));
  if (!saved.ok()) return saved;
  return created;
}

std::string Signer::Sign(std::string_view msg) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char sig[kSignatureSize];
  size_t sig_len = sizeof(sig);
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sig_len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1 ||
      sig_len != kSignatureSize) {
    std::fprintf(stderr, "sparbar: OpenSSL Ed25519 signing failed\n");
    std::abort();
  }
  return std::string(reinterpret_cast<const char*>(sig), sig_len);
}

std::string Signer::VerifierKey() const { return FormatVerifierKey(key_name_, key_hash_, public_key_); }

// ---- Verifier ----

Verifier::Verifier(std::string key_name, std::shared_ptr<EVP_PKEY> key, std::string public_key)
    : key_name_(std::move(key_name)),
      key_(std::move(key)),
      public_key_(std::move(public_key)),
      key_hash_(KeyHash(key_name_, public_key_)) {}

Result<Verifier> Verifier::FromVerifierKey(std::string_view vkey) {
  // The name has no '+' and the hash is hex, but base64 may contain '+'.
  const size_t plus1 = vkey.find('+');
  const size_t plus2 = plus1 == std::string_view::npos ? plus1 : vkey.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos) {
    return Status::InvalidArgument("verifier key is not of the form <name>+<hash>+<key>");
  }
  std::string name(vkey.substr(0, plus1));
  std::string_view hash_hex = vkey.substr(plus1 + 1, plus2 - plus1 - 1);
  std::string_view key_b64 = vkey.substr(plus2 + 1);
  SPARBAR_RETURN_IF_ERROR(ValidateKeyName(name));

  if (hash_hex.size() != 8) return Status::InvalidArgument("verifier key hash is not 8 hex digits");
  uint32_t hash = 0;
  for (char c : hash_hex) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else {
      return Status::InvalidArgument("verifier key hash is not 8 lowercase hex digits");
    }
    hash = (hash << 4) | static_cast<uint32_t>(v);
  }

  Result<std::string> key = merkle::Base64Decode(key_b64);
  if (!key.ok()) return Status::InvalidArgument("verifier key: " + key.status().message());
  if (key->empty() || static_cast<uint8_t>((*key)[0]) != kAlgEd25519) {
    return Status::InvalidArgument("verifier key is not an Ed25519 key (algorithm byte 0x01)");
  }
  if (key->size() != 1 + kPublicKeySize) {
    return Status::InvalidArgument("verifier key has " + std::to_string(key->size() - 1) +
                                   " key bytes, want 32");
  }
  std::string pub = key->substr(1);
  if (KeyHash(name, pub) != hash) {
    return Status::InvalidArgument("verifier key hash does not match its name and key");
  }
  EVP_PKEY* raw = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(pub.data()), pub.size());
  if (raw == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument("verifier key is not a valid Ed25519 public key");
  }
  return Verifier(std::move(name), Own(raw), std::move(pub));
}

bool Verifier::Verify(std::string_view msg, std::string_view sig) const {
  if (sig.size() != kSignatureSize) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                                   reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
  if (!ok) ERR_clear_error();  // leave no stale errors for other OpenSSL users on this thread
  return ok;
}

std::string Verifier::VerifierKey() const { return FormatVerifierKey(key_name_, key_hash_, public_key_); }

}  // namespace sparbar::checkpoint
