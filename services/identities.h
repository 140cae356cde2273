// Identities: who may call the server over mutual TLS, from configuration
// (--identities, e.g. config/identiteter.example.json). Each identity is the
// id its client certificate carries, with the roles and the units it acts
// for: by default an HSA-id in the certificate subject's serialNumber; with
// "certificate": "cn", the subject's common name (for a system without an
// HSA-id), so that a common name can never pass for someone's HSA-id. A
// certificate the CA signed but this file does not name gets none of the
// services that hold records (Audit, health and reflection excepted): the CA
// says who someone is, this file what they may do.
//
// The file: {"identities": [{"id": "SE2321000230-1A2B", "name": "…",
// "roles": ["handlaggare"], "units": ["Midskogen"]}, …]}. Ids are unique per
// source, valid actors and hold no personnummer (Swedish e-legitimation
// certificates carry one in serialNumber; the id is recorded in every event
// its holder appends); roles are 1 to 32 of a-z, 0-9 and '-', at most 16;
// units are names of 1 to 200 bytes without a comma. Errors name the entry; nothing is compiled in.
#pragma once

#include <map>
#include <utility>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/limits.h"
#include "eventstore/status.h"

namespace sparbar::services {

// Where a certificate names its holder.
enum class CertificateField { kSerialNumber, kCommonName };

struct Identity {
  std::string id;
  CertificateField field = CertificateField::kSerialNumber;
  std::string name;
  std::vector<std::string> roles;
  std::vector<std::string> units;
};

class Identities {
 public:
  static Result<Identities> FromJson(std::string_view json, const Limits& limits = {});
  static Result<Identities> LoadFile(const std::string& path, const Limits& limits = {});

  // The identity a certificate names with `id` in `field`; nullptr when the file does not name it.
  const Identity* Find(CertificateField field, std::string_view id) const;
  // Every identity, for checks against the access policy.
  template <class F>
  void ForEach(F each) const {
    for (const auto& [key, identity] : by_id_) each(identity);
  }
  size_t size() const { return by_id_.size(); }

 private:
  std::map<std::pair<CertificateField, std::string>, Identity> by_id_;
};

// A role as the services compare them: 1 to 32 of a-z, 0-9 and '-'.
bool ValidRoleName(std::string_view role);
// A unit's name: 1 to 200 bytes without a comma.
bool ValidUnitName(std::string_view unit);

}  // namespace sparbar::services
