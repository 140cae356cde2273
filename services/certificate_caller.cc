#include "services/certificate_caller.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace sparbar::services {
namespace {

// The UTF-8 text of the subject's first entry with `nid`; empty when there is none.
std::string SubjectEntry(X509_NAME* subject, int nid) {
  const int index = X509_NAME_get_index_by_NID(subject, nid, -1);
  if (index < 0) return "";
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
  if (length < 0) return "";
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

Result<std::string> CertificateId(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Status::Internal("cannot read the client certificate: out of memory");
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                   &X509_free);
  if (!cert) return Status::InvalidArgument("the client certificate cannot be read");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (subject == nullptr) return Status::InvalidArgument("the client certificate has no subject");
  std::string id = SubjectEntry(subject, NID_serialNumber);
  if (id.empty()) id = SubjectEntry(subject, NID_commonName);
  if (id.empty()) {
    return Status::InvalidArgument("the client certificate's subject has neither a serialNumber (HSA-id) nor a "
                                   "common name");
  }
  return id;
}

Result<Caller> CertificateCallerResolver::Resolve(const grpc::ServerContextBase& context) const {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) {
    return Status::Unauthenticated("the call carries no verified client certificate");
  }
  const auto pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return Status::Unauthenticated("the call carries no client certificate");
  auto id = CertificateId(std::string(pems.front().data(), pems.front().size()));
  if (!id.ok()) return Status::Unauthenticated(id.status().message());
  if (Status valid = ValidateActor(*id, limits_); !valid.ok()) {
    return Status::Unauthenticated("the client certificate does not name a valid caller: " + valid.message());
  }
  const Identity* identity = identities_->Find(*id);
  if (identity == nullptr) {
    return Status::Unauthenticated("the client certificate's holder " + *id +
                                   " is not among the server's identities (--identities); ask the administrator");
  }
  return Caller{identity->id, identity->roles, identity->units};
}

}  // namespace sparbar::services
