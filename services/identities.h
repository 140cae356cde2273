// Identities: who may call the server over mutual TLS, from configuration
// (--identities, e.g. config/identiteter.example.json). Each identity is the
// id its client certificate carries (an HSA-id in the subject's
// serialNumber, else the certificate's common name), with the roles and the
// units it acts for. A certificate the CA signed but this file does not name
// gets no access: the CA says who someone is, this file what they may do.
//
// The file: {"identities": [{"id": "SE2321000230-1A2B", "name": "…",
// "roles": ["handlaggare"], "units": ["Midskogen"]}, …]}. Ids are unique
// and valid actors; roles are 1 to 32 of a-z, 0-9 and '-', at most 16; units
// are short names. Errors name the entry; nothing is compiled in.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/limits.h"
#include "eventstore/status.h"

namespace sparbar::services {

struct Identity {
  std::string id;
  std::string name;
  std::vector<std::string> roles;
  std::vector<std::string> units;
};

class Identities {
 public:
  static Result<Identities> FromJson(std::string_view json, const Limits& limits = {});
  static Result<Identities> LoadFile(const std::string& path, const Limits& limits = {});

  // The identity with `id`; nullptr when the file does not name it.
  const Identity* Find(std::string_view id) const;
  size_t size() const { return by_id_.size(); }

 private:
  std::map<std::string, Identity, std::less<>> by_id_;
};

// A role as the services compare them: 1 to 32 of a-z, 0-9 and '-'.
bool ValidRoleName(std::string_view role);

}  // namespace sparbar::services
