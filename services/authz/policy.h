// AccessPolicy: which roles may call which gRPC method, and who may reach a
// person's records, from configuration (--policy, config/atkomstpolicy.json).
//
// The file names every role ("roles": name -> what it is for), the roles of
// every method ("methods": "sparbar.v1.EventStore/ReadAll" -> [roles], or
// ["*"] for any identified caller), and three rules for a person's records
// ("person_records"): the roles that reach anyone's records without a case
// at their unit ("any_person", e.g. the auditor), the roles that may see a
// person with protected identity ("protected_identity"), and the roles that
// may use nödåtkomst ("nodatkomst"). A role named anywhere must be declared,
// and a role that may read the raw log whole (EventStore.ReadAll and
// .Subscribe) must reach any person, protected identity included; errors
// name the entry. Immutable once loaded; safe from any thread.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"

namespace sparbar::services {

struct Caller;

class AccessPolicy {
 public:
  static Result<AccessPolicy> FromJson(std::string_view json);
  static Result<AccessPolicy> LoadFile(const std::string& path);

  // Ok when every one of `methods` (full names, "package.Service/Method")
  // has its roles here and the file names no other method; otherwise
  // FailedPrecondition naming the first few missing or unknown methods.
  Status Covers(const std::vector<std::string>& methods) const;
  // Ok when every role in `roles` is declared; else InvalidArgument naming `who`.
  Status Declares(const std::vector<std::string>& roles, std::string_view who) const;

  // The caller's first role that may call `method` ("*" when any caller
  // may); empty when none may (or the method is unknown).
  std::string RoleFor(std::string_view method, const Caller& caller) const;
  // The roles `method` allows, for a refusal's message.
  std::vector<std::string> RolesOf(std::string_view method) const;

  // The caller's first role in the rule; empty when none.
  std::string AnyPersonRole(const Caller& caller) const { return First(any_person_, caller); }
  std::string ProtectedIdentityRole(const Caller& caller) const { return First(protected_identity_, caller); }
  std::string NodatkomstRole(const Caller& caller) const { return First(nodatkomst_, caller); }

 private:
  static std::string First(const std::set<std::string>& allowed, const Caller& caller);

  std::map<std::string, std::string> roles_;  // name -> what it is for
  std::map<std::string, std::set<std::string>, std::less<>> methods_;
  std::set<std::string> any_person_, protected_identity_, nodatkomst_;
};

}  // namespace sparbar::services
