#include "services/certificate_caller.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>

#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

namespace sparbar::services {
namespace {

// The subject's one entry with `nid` as UTF-8: nullopt when there is none;
// InvalidArgument when there are two, or when it is empty or not text.
Result<std::optional<std::string>> SubjectEntry(X509_NAME* subject, int nid, const char* what) {
  const int index = X509_NAME_get_index_by_NID(subject, nid, -1);
  if (index < 0) return std::optional<std::string>();
  if (X509_NAME_get_index_by_NID(subject, nid, index) >= 0) {
    return Status::InvalidArgument(std::string("the client certificate's subject has more than one ") + what);
  }
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
  if (length <= 0) {
    if (utf8 != nullptr) OPENSSL_free(utf8);
    ERR_clear_error();
    return Status::InvalidArgument(std::string("the client certificate's ") + what + " is empty or not text");
  }
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return std::optional<std::string>(std::move(out));
}

}  // namespace

Result<CertificateName> CertificateId(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Status::Internal("cannot read the client certificate: out of memory");
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                   &X509_free);
  if (!cert) {
    ERR_clear_error();
    return Status::InvalidArgument("the client certificate cannot be read");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (subject == nullptr) return Status::InvalidArgument("the client certificate has no subject");
  auto serial = SubjectEntry(subject, NID_serialNumber, "serialNumber");
  if (!serial.ok()) return serial.status();
  if (*serial) return CertificateName{CertificateField::kSerialNumber, std::move(**serial)};
  auto cn = SubjectEntry(subject, NID_commonName, "common name");
  if (!cn.ok()) return cn.status();
  if (*cn) return CertificateName{CertificateField::kCommonName, std::move(**cn)};
  return Status::InvalidArgument("the client certificate's subject has neither a serialNumber (HSA-id) nor a "
                                 "common name");
}

Result<CertificateName> CertificateNames::Of(const std::string& pem) const {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (auto it = names_.find(pem); it != names_.end()) return it->second;
  }
  auto name = CertificateId(pem);  // outside the lock: other calls need not wait for the parse
  if (name.ok()) {
    std::lock_guard<std::mutex> lk(mu_);
    if (names_.size() >= capacity_) names_.clear();
    names_.emplace(pem, *name);
  }
  return name;
}

Result<Caller> CertificateCallerResolver::Resolve(const grpc::ServerContextBase& context) const {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) {
    return Status::Unauthenticated("the call carries no verified client certificate");
  }
  const auto pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return Status::Unauthenticated("the call carries no client certificate");
  auto name = names_.Of(std::string(pems.front().data(), pems.front().size()));
  if (!name.ok()) return Status::Unauthenticated(name.status().message());
  if (Status valid = ValidateActor(name->id, limits_); !valid.ok()) {
    return Status::Unauthenticated("the client certificate does not name a valid caller: " + valid.message());
  }
  const Identity* identity = identities_->Find(name->field, name->id);
  if (identity == nullptr) {
    // Named so that the operator can add it, unless it holds a personnummer.
    const std::string named = ContainsPersonalIdentity(name->id, StockholmDate(NowMicros()))
                                  ? "(its id holds a personnummer, not repeated)"
                                  : name->id;
    const char* field = name->field == CertificateField::kSerialNumber ? "serialNumber" : "common name";
    return Status::Unauthenticated("the client certificate's holder " + named + " (" + field +
                                   ") is not among the server's identities (--identities); ask the administrator");
  }
  return Caller{identity->id, identity->roles, identity->units};
}

}  // namespace sparbar::services
