#include "services/authz/policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "services/caller.h"
#include "services/common/config_file.h"
#include "services/identities.h"

namespace sparbar::services {
namespace {

constexpr char kAnyCaller[] = "*";

// A list of declared role names under `key` of `object`; `allow_any` admits "*" as the only entry.
Result<std::set<std::string>> RoleList(const nlohmann::json& list, const std::string& where,
                                       const std::map<std::string, std::string>& declared, bool allow_any) {
  if (!list.is_array()) return Status::InvalidArgument(where + " must be a list of roles");
  std::set<std::string> out;
  for (const auto& item : list) {
    if (!item.is_string()) return Status::InvalidArgument(where + " holds something that is not a role name");
    const std::string role = item.get<std::string>();
    if (allow_any && role == kAnyCaller) {
      if (list.size() != 1) return Status::InvalidArgument(where + ": \"*\" (any caller) must stand alone");
    } else if (declared.count(role) == 0) {
      return Status::InvalidArgument(where + " names the role \"" + role + "\", which \"roles\" does not declare");
    }
    out.insert(role);
  }
  return out;
}

bool ValidMethodName(std::string_view m) {
  const size_t slash = m.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < m.size() &&
         m.find('/', slash + 1) == std::string_view::npos;
}

std::string Listed(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 5) out += " and " + std::to_string(names.size() - 5) + " more";
  return out;
}

}  // namespace

Result<AccessPolicy> AccessPolicy::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the access policy is not valid JSON");
  if (!doc.is_object() || !doc.contains("roles") || !doc["roles"].is_object() || !doc.contains("methods") ||
      !doc["methods"].is_object()) {
    return Status::InvalidArgument("the access policy must be an object with \"roles\" and \"methods\"");
  }
  AccessPolicy p;
  for (const auto& [role, about] : doc["roles"].items()) {
    if (!ValidRoleName(role)) {
      return Status::InvalidArgument("roles: \"" + role + "\" is not a role name (1 to 32 of a-z, 0-9 and '-')");
    }
    if (!about.is_string()) return Status::InvalidArgument("roles." + role + " must say what the role is for");
    p.roles_[role] = about.get<std::string>();
  }
  for (const auto& [method, roles] : doc["methods"].items()) {
    if (!ValidMethodName(method)) {
      return Status::InvalidArgument("methods: \"" + method +
                                     "\" is not a method name like \"sparbar.v1.EventStore/ReadAll\"");
    }
    auto allowed = RoleList(roles, "methods." + method, p.roles_, /*allow_any=*/true);
    if (!allowed.ok()) return allowed.status();
    p.methods_.emplace(method, std::move(allowed.value()));
  }
  const nlohmann::json records = doc.value("person_records", nlohmann::json::object());
  if (!records.is_object()) return Status::InvalidArgument("person_records must be an object");
  struct Rule {
    const char* key;
    std::set<std::string>* into;
  };
  for (const Rule& rule : {Rule{"any_person", &p.any_person_}, Rule{"protected_identity", &p.protected_identity_},
                           Rule{"nodatkomst", &p.nodatkomst_}}) {
    if (!records.contains(rule.key)) continue;
    auto roles = RoleList(records[rule.key], std::string("person_records.") + rule.key, p.roles_, false);
    if (!roles.ok()) return roles.status();
    *rule.into = std::move(roles.value());
  }
  // The raw log holds every person's records: a role that reads it whole
  // must be one that reaches any person, protected identity included.
  for (const char* method : {"sparbar.v1.EventStore/ReadAll", "sparbar.v1.EventStore/Subscribe"}) {
    auto it = p.methods_.find(method);
    if (it == p.methods_.end()) continue;
    for (const std::string& role : it->second) {
      if (role == kAnyCaller || p.any_person_.count(role) == 0 || p.protected_identity_.count(role) == 0) {
        return Status::InvalidArgument(
            std::string("methods.") + method + " gives \"" + role +
            "\" the whole log, and every person's records with it: name the role in person_records.any_person "
            "and person_records.protected_identity too, or take the method from it");
      }
    }
  }
  return p;
}

Result<AccessPolicy> AccessPolicy::LoadFile(const std::string& path) {
  return LoadConfigFile<AccessPolicy>(path, "access policy");
}

Status AccessPolicy::Covers(const std::vector<std::string>& methods) const {
  std::vector<std::string> missing, unknown;
  const std::set<std::string, std::less<>> served(methods.begin(), methods.end());
  for (const auto& m : methods) {
    if (methods_.count(m) == 0) missing.push_back(m);
  }
  for (const auto& [m, roles] : methods_) {
    if (served.count(m) == 0) unknown.push_back(m);
  }
  if (!missing.empty()) {
    return Status::FailedPrecondition("the access policy gives no roles for " + Listed(missing) +
                                      "; add each method to \"methods\" (with [] to refuse everyone)");
  }
  if (!unknown.empty()) {
    return Status::FailedPrecondition("the access policy names methods this server does not serve: " +
                                      Listed(unknown) + "; check their spelling");
  }
  return Status::Ok();
}

Status AccessPolicy::Declares(const std::vector<std::string>& roles, std::string_view who) const {
  for (const auto& r : roles) {
    if (roles_.count(r) == 0) {
      return Status::InvalidArgument(std::string(who) + " has the role \"" + r +
                                     "\", which the access policy does not declare");
    }
  }
  return Status::Ok();
}

std::string AccessPolicy::RoleFor(std::string_view method, const Caller& caller) const {
  auto it = methods_.find(method);
  if (it == methods_.end()) return {};
  if (it->second.count(kAnyCaller) != 0) return kAnyCaller;
  return First(it->second, caller);
}

std::vector<std::string> AccessPolicy::RolesOf(std::string_view method) const {
  auto it = methods_.find(method);
  if (it == methods_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::string AccessPolicy::First(const std::set<std::string>& allowed, const Caller& caller) {
  for (const auto& r : caller.roles) {
    if (allowed.count(r) != 0) return r;
  }
  return {};
}

}  // namespace sparbar::services
