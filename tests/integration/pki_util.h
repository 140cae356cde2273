// TlsServerFiles: the files a server needs for mutual TLS in a test, made by
// the test (support/test_pki.h): a CA, the server's certificate and key,
// an identities file with the entries given, a master key file, and the
// shipped access policy (config/atkomstpolicy.json). Header-only; shared by the TLS and
// authorization tests.
#pragma once

#include <grpcpp/security/credentials.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "support/test_pki.h"

namespace sparbar::testing {

struct Pki {
  // `identities`: the JSON list of the identities file's entries, without the brackets.
  Pki(const TempDir& dir, const std::string& identities)
      : root(dir.path()), ca("Spårbar test CA"), other("Another CA") {
    const Issued server = ca.Issue({{"CN", "sparbar-server"}}, -1, 30, /*server=*/true);
    WritePem(Path("ca.pem"), ca.cert_pem());
    WritePem(Path("server.pem"), server.cert_pem);
    WritePem(Path("server.key"), server.key_pem);
    WritePem(Path("identities.json"), "{\"identities\": [" + identities + "]}");
    WritePem(Path("master.keys"), "test-1:" + std::string(64, '7') + "\n");
  }
  std::string Path(const std::string& name) const { return (root / name).string(); }
  static std::string ShippedPolicy() { return std::string(SPARBAR_CONFIG_DIR) + "/atkomstpolicy.json"; }
  // Certificate, key, client CA, identities, policy and master keys, in that order (two arguments each).
  std::vector<std::string> ServerArgs() const {
    return {"--tls-cert", Path("server.pem"), "--tls-key", Path("server.key"), "--tls-client-ca", Path("ca.pem"),
            "--identities", Path("identities.json"), "--policy", ShippedPolicy(), "--master-keys", Path("master.keys")};
  }
  // Channel credentials trusting the test CA, presenting `client` (none when null).
  std::shared_ptr<grpc::ChannelCredentials> As(const Issued* client) const {
    grpc::SslCredentialsOptions o;
    o.pem_root_certs = ca.cert_pem();
    if (client) {
      o.pem_cert_chain = client->cert_pem;
      o.pem_private_key = client->key_pem;
    }
    return grpc::SslCredentials(o);
  }
  std::filesystem::path root;
  TestCa ca, other;
};

}  // namespace sparbar::testing
