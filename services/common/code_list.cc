#include "services/common/code_list.h"

#include <algorithm>
#include <set>

namespace sparbar {

Result<std::vector<NamedCode>> ParseCodeList(const nlohmann::json& doc, const char* key, const std::string& what) {
  const std::string where = what + ", \"" + key + "\": ";
  if (!doc.value(key, nlohmann::json()).is_array() || doc[key].empty()) {
    return Status::InvalidArgument(where + "needs a non-empty array of {\"code\", \"name\"}");
  }
  std::vector<NamedCode> out;
  std::set<std::string> seen;
  for (const nlohmann::json& c : doc[key]) {
    if (!c.is_object() || !c.value("code", nlohmann::json()).is_string() ||
        !c.value("name", nlohmann::json()).is_string() || c["code"].get<std::string>().empty() ||
        c["name"].get<std::string>().empty()) {
      return Status::InvalidArgument(where + "every entry needs a non-empty \"code\" and \"name\"");
    }
    NamedCode code{c["code"].get<std::string>(), c["name"].get<std::string>()};
    if (!seen.insert(code.code).second) return Status::InvalidArgument(where + "code " + code.code + " appears twice");
    out.push_back(std::move(code));
  }
  return out;
}

std::optional<std::string> NameOf(const std::vector<NamedCode>& codes, const std::string& code) {
  auto it = std::find_if(codes.begin(), codes.end(), [&](const NamedCode& c) { return c.code == code; });
  if (it == codes.end()) return std::nullopt;
  return it->name;
}

}  // namespace sparbar
