// A list of codes with their names, as a module's configuration file lists
// topic areas, action types or categories: [{"code": "...", "name": "..."}].
// Codes are non-empty and unique; the list keeps the file's order, which is
// the order reports print them in.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "eventstore/status.h"

namespace sparbar {

struct NamedCode {
  std::string code, name;
};

// The non-empty list under `key` of `doc`; InvalidArgument naming `what`
// (e.g. "complaint rules") and the key otherwise.
Result<std::vector<NamedCode>> ParseCodeList(const nlohmann::json& doc, const char* key, const std::string& what);

// The name of `code` in `codes`; nullopt for a code the list does not have.
std::optional<std::string> NameOf(const std::vector<NamedCode>& codes, const std::string& code);

}  // namespace sparbar
