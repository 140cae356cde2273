#include "services/identities.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "services/common/config_file.h"
#include "services/common/personal_identity.h"
#include "services/common/swedish_time.h"

namespace sparbar::services {

bool ValidRoleName(std::string_view role) {
  return !role.empty() && role.size() <= 32 && std::all_of(role.begin(), role.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

bool ValidUnitName(std::string_view unit) {
  return !unit.empty() && unit.size() <= 200 && unit.find(',') == std::string_view::npos;
}

namespace {

// A list of strings under `key` of `entry`, each checked by `valid`.
Result<std::vector<std::string>> Strings(const nlohmann::json& entry, const char* key, const std::string& where,
                                         size_t max, bool (*valid)(std::string_view), const char* what) {
  std::vector<std::string> out;
  if (!entry.contains(key)) return out;
  const nlohmann::json& list = entry[key];
  if (!list.is_array() || list.size() > max) {
    return Status::InvalidArgument(where + "\"" + key + "\" must be a list of at most " + std::to_string(max) +
                                   " " + what);
  }
  for (const auto& item : list) {
    if (!item.is_string() || !valid(item.get<std::string>())) {
      return Status::InvalidArgument(where + "\"" + key + "\" holds something that is not " + what);
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

Result<Identities> Identities::FromJson(std::string_view text, const Limits& limits) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the identities are not valid JSON");
  if (!doc.is_object() || !doc.contains("identities") || !doc["identities"].is_array()) {
    return Status::InvalidArgument("the identities file must be an object with a list \"identities\"");
  }
  Identities out;
  size_t index = 0;
  for (const auto& entry : doc["identities"]) {
    const std::string where = "identities[" + std::to_string(index++) + "], ";
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
      return Status::InvalidArgument(where + "needs an \"id\": the HSA-id or common name of its certificate");
    }
    Identity identity;
    identity.id = entry["id"].get<std::string>();
    if (Status valid = ValidateActor(identity.id, limits); !valid.ok()) {
      return Status::InvalidArgument(where + "\"id\": " + valid.message());
    }
    if (ContainsPersonalIdentity(identity.id, StockholmDate(NowMicros()))) {
      return Status::InvalidArgument(where + "\"id\" holds a personnummer; identify staff by HSA-id, which every "
                                     "event they append records");
    }
    if (entry.contains("certificate")) {
      const nlohmann::json& field = entry["certificate"];
      if (field == "serialNumber") {
        identity.field = CertificateField::kSerialNumber;
      } else if (field == "cn") {
        identity.field = CertificateField::kCommonName;
      } else {
        return Status::InvalidArgument(where + "\"certificate\" must be \"serialNumber\" (the default) or \"cn\"");
      }
    }
    if (entry.contains("name")) {
      if (!entry["name"].is_string()) return Status::InvalidArgument(where + "\"name\" must be a string");
      identity.name = entry["name"].get<std::string>();
    }
    auto roles = Strings(entry, "roles", where, 16, &ValidRoleName, "roles of 1 to 32 a-z, 0-9 and '-'");
    if (!roles.ok()) return roles.status();
    identity.roles = std::move(roles.value());
    auto units = Strings(entry, "units", where, 64, &ValidUnitName, "unit names of 1 to 200 bytes");
    if (!units.ok()) return units.status();
    identity.units = std::move(units.value());
    const std::string id = identity.id;
    auto key = std::make_pair(identity.field, id);
    if (!out.by_id_.emplace(std::move(key), std::move(identity)).second) {
      return Status::InvalidArgument(where + "\"id\" " + id + " is named twice");
    }
  }
  return out;
}

Result<Identities> Identities::LoadFile(const std::string& path, const Limits& limits) {
  return LoadConfigFileWith<Identities>(path, "identities",
                                        [&](const std::string& text) { return FromJson(text, limits); });
}

const Identity* Identities::Find(CertificateField field, std::string_view id) const {
  auto it = by_id_.find(std::make_pair(field, std::string(id)));
  return it == by_id_.end() ? nullptr : &it->second;
}

}  // namespace sparbar::services
