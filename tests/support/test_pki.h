// TestCa: certificates made by a test itself with OpenSSL (EC P-256 keys),
// for mutual TLS between the real server and a client: a CA, a server
// certificate for 127.0.0.1 and localhost, and client certificates with the
// subject entries, and the validity, a test asks for (an expired one
// included). PEM strings; WritePem puts one in a file.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sparbar::testing {

struct Issued {
  std::string key_pem;
  std::string cert_pem;
};

class TestCa {
 public:
  // A self-signed CA named `name`, valid from a day ago for 30 days.
  explicit TestCa(const std::string& name);

  // A certificate for `subject` (pairs such as {"serialNumber", "SE…"},
  // {"CN", "Anna"}), valid from `from_days` to `to_days` days from now
  // (negative: in the past). A server certificate names 127.0.0.1 and
  // localhost as its subjectAltName.
  Issued Issue(const std::vector<std::pair<std::string, std::string>>& subject, int from_days = -1,
               int to_days = 30, bool server = false) const;

  const std::string& cert_pem() const { return ca_.cert_pem; }

 private:
  Issued ca_;
};

void WritePem(const std::string& path, const std::string& pem);

}  // namespace sparbar::testing
