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
// repeated unless it holds a personnummer). A certificate's name is read
// once and remembered by its bytes (CertificateNames): parsing the PEM took
// about 97 µs, more than a whole gRPC call.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "services/caller.h"
#include "services/identities.h"

namespace sparbar::services {

struct CertificateName {
  CertificateField field = CertificateField::kSerialNumber;
  std::string id;
};

// Whom a PEM certificate names: its subject's serialNumber, else its common
// name. InvalidArgument when it cannot be read or names no one (above).
Result<CertificateName> CertificateId(const std::string& pem);

// CertificateId, remembered by the certificate's bytes for the names read
// well (at most `capacity`; all are forgotten when it is full). Thread-safe.
class CertificateNames {
 public:
  explicit CertificateNames(size_t capacity = 4096) : capacity_(capacity) {}
  Result<CertificateName> Of(const std::string& pem) const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, CertificateName> names_;  // guarded by mu_
};

class CertificateCallerResolver final : public CallerResolver {
 public:
  // `identities` must outlive the resolver.
  CertificateCallerResolver(const Identities* identities, Limits limits = {})
      : identities_(identities), limits_(limits) {}
  Result<Caller> Resolve(const grpc::ServerContextBase& context) const override;

 private:
  const Identities* identities_;
  Limits limits_;
  CertificateNames names_;
};

}  // namespace sparbar::services
