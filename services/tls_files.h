// The server's TLS material read from its PEM files and checked before the
// server starts, so that a wrong file is named at once instead of failing
// inside gRPC after the store has opened: the certificate chain must hold at
// least one certificate, the key must be an unencrypted private key that
// matches the chain's first certificate, and the client CA file must hold
// at least one certificate. Errors name the file and its flag.
#pragma once

#include <string>

#include "eventstore/status.h"

namespace sparbar::services {

struct TlsFiles {
  std::string cert_chain_pem, key_pem, client_ca_pem;
};

Result<TlsFiles> LoadTlsFiles(const std::string& cert_path, const std::string& key_path,
                              const std::string& client_ca_path);

}  // namespace sparbar::services
