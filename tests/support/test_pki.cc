#include "support/test_pki.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace sparbar::testing {
namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

Key NewKey() {
  Key key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  Check(key != nullptr, "EVP_EC_gen");
  return key;
}

std::string KeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "writing a key");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string CertPem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  Check(PEM_write_bio_X509(bio.get(), cert) == 1, "writing a certificate");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

Key ReadKey(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  Check(key != nullptr, "reading a key");
  return key;
}

Cert ReadCert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  Check(cert != nullptr, "reading a certificate");
  return cert;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value),
                                                                      &X509_EXTENSION_free);
  Check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "adding an extension");
}

// A certificate of `key` for `subject`, signed by `issuer_key` (and named by
// `issuer`, or self-signed when null).
Cert Make(EVP_PKEY* key, const std::vector<std::pair<std::string, std::string>>& subject, X509* issuer,
          EVP_PKEY* issuer_key, int from_days, int to_days, bool ca, bool server) {
  static std::atomic<long> serial{1};
  Cert cert(X509_new(), &X509_free);
  Check(cert != nullptr && X509_set_version(cert.get(), 2) == 1, "X509_new");
  Check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++) == 1, "setting the serial");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(from_days) * 86400) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(to_days) * 86400) != nullptr,
        "setting the validity");
  X509_NAME* name = X509_get_subject_name(cert.get());
  for (const auto& [field, value] : subject) {
    Check(X509_NAME_add_entry_by_txt(name, field.c_str(), MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) == 1,
          "adding a subject entry");
  }
  Check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name) == 1, "setting the issuer");
  Check(X509_set_pubkey(cert.get(), key) == 1, "setting the key");
  X509* issuing = issuer ? issuer : cert.get();
  if (ca) {
    AddExtension(cert.get(), issuing, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), issuing, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), issuing, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), issuing, NID_ext_key_usage, server ? "serverAuth" : "clientAuth");
    if (server) AddExtension(cert.get(), issuing, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  Check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "signing");
  return cert;
}

}  // namespace

TestCa::TestCa(const std::string& name) {
  Key key = NewKey();
  Cert cert = Make(key.get(), {{"CN", name}}, nullptr, key.get(), -1, 30, /*ca=*/true, /*server=*/false);
  ca_ = Issued{KeyPem(key.get()), CertPem(cert.get())};
}

Issued TestCa::Issue(const std::vector<std::pair<std::string, std::string>>& subject, int from_days, int to_days,
                     bool server) const {
  Key ca_key = ReadKey(ca_.key_pem);
  Cert ca_cert = ReadCert(ca_.cert_pem);
  Key key = NewKey();
  Cert cert = Make(key.get(), subject, ca_cert.get(), ca_key.get(), from_days, to_days, /*ca=*/false, server);
  return Issued{KeyPem(key.get()), CertPem(cert.get())};
}

void WritePem(const std::string& path, const std::string& pem) {
  std::ofstream out(path, std::ios::binary);
  out << pem;
  Check(static_cast<bool>(out), "writing a PEM file");
}

}  // namespace sparbar::testing
