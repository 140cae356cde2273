// CertificateCallerResolver: the caller of a mutual-TLS call, from the client
// certificate gRPC has already verified against the configured CA.
//
// The caller's id is the HSA-id in the certificate subject's serialNumber
// (OID 2.5.4.5), or, when the subject has none, its common name; a subject
// with two of either, or with a serialNumber that is empty or not text, names
// no one. The id must be named in the identities for that field
// (identities.h), which give the roles and units; it is recorded as the
// actor of every event the call appends. Unauthenticated, naming the reason,
// for a call without a verified certificate, a certificate that names no one,
// an id that is not a valid actor, or one the identities do not name (the id
// repeated unless it holds a personnummer).
#pragma once

#include <string>

#include "services/caller.h"
#include "services/identities.h"

namespace sparbar::services {

class CertificateCallerResolver final : public CallerResolver {
 public:
  // `identities` must outlive the resolver.
  CertificateCallerResolver(const Identities* identities, Limits limits = {})
      : identities_(identities), limits_(limits) {}
  Result<Caller> Resolve(const grpc::ServerContextBase& context) const override;

 private:
  const Identities* identities_;
  Limits limits_;
};

struct CertificateName {
  CertificateField field = CertificateField::kSerialNumber;
  std::string id;
};

// Whom a PEM certificate names: its subject's serialNumber, else its common
// name. InvalidArgument when it cannot be read or names no one (above).
Result<CertificateName> CertificateId(const std::string& pem);

}  // namespace sparbar::services
