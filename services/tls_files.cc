#include "services/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <tuple>

namespace sparbar::services {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Result<std::string> Read(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path + " (" + flag + ")");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Bio MemoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

// The first certificate of `pem` (nullptr when it has none).
std::unique_ptr<X509, decltype(&X509_free)> FirstCertificate(const std::string& pem) {
  Bio bio = MemoryBio(pem);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr, &X509_free);
  ERR_clear_error();
  return cert;
}

}  // namespace

Result<TlsFiles> LoadTlsFiles(const std::string& cert_path, const std::string& key_path,
                              const std::string& client_ca_path) {
  TlsFiles files;
  for (auto [path, flag, out] : {std::tuple{&cert_path, "--tls-cert", &files.cert_chain_pem},
                                 std::tuple{&key_path, "--tls-key", &files.key_pem},
                                 std::tuple{&client_ca_path, "--tls-client-ca", &files.client_ca_pem}}) {
    auto text = Read(*path, flag);
    if (!text.ok()) return text.status();
    *out = std::move(text.value());
  }
  auto cert = FirstCertificate(files.cert_chain_pem);
  if (!cert) return Status::InvalidArgument(cert_path + " (--tls-cert) holds no PEM certificate");
  if (!FirstCertificate(files.client_ca_pem)) {
    return Status::InvalidArgument(client_ca_path + " (--tls-client-ca) holds no PEM certificate");
  }
  Bio key_bio = MemoryBio(files.key_pem);
  // No passphrase callback: an encrypted key is refused rather than asked for.
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr)
              : nullptr,
      &EVP_PKEY_free);
  ERR_clear_error();
  if (!key) {
    return Status::InvalidArgument(key_path + " (--tls-key) holds no unencrypted PEM private key");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument(key_path + " (--tls-key) is not the key of the certificate in " + cert_path +
                                   " (--tls-cert)");
  }
  return files;
}

}  // namespace sparbar::services
