#include "services/gallring/rules.h"

#include <nlohmann/json.hpp>

#include "services/common/config_file.h"

namespace sparbar::gallring {

Result<RetentionRules> RetentionRules::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the retention rules are not valid JSON");
  if (!doc.is_object() || !doc.contains("classes") || !doc["classes"].is_object() || doc["classes"].empty()) {
    return Status::InvalidArgument("the retention rules must be an object with \"classes\", one rule per file class");
  }
  RetentionRules rules;
  for (const auto& [name, entry] : doc["classes"].items()) {
    const std::string where = "classes." + name;
    if (name.empty() || name.size() > 64) return Status::InvalidArgument(where + ": a class needs a name of 1 to 64 bytes");
    if (!entry.is_object()) return Status::InvalidArgument(where + " must be an object");
    FileClass c;
    c.name = name;
    if (entry.contains("keep")) {
      if (!entry["keep"].is_boolean()) return Status::InvalidArgument(where + ".keep must be true or false");
      c.keep = entry["keep"].get<bool>();
    }
    if (entry.contains("years_after_last_entry")) {
      const auto& y = entry["years_after_last_entry"];
      if (!y.is_number_integer() || y.get<int>() < 1 || y.get<int>() > 200) {
        return Status::InvalidArgument(where + ".years_after_last_entry must be a whole number of years, 1 to 200");
      }
      c.years_after_last_entry = y.get<int>();
    }
    if (c.keep == (c.years_after_last_entry > 0)) {
      return Status::InvalidArgument(where + " needs either \"keep\": true or \"years_after_last_entry\", not both");
    }
    if (entry.contains("research_birth_days")) {
      const auto& days = entry["research_birth_days"];
      if (!days.is_array()) return Status::InvalidArgument(where + ".research_birth_days must be a list of days 1-31");
      for (const auto& d : days) {
        if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 31) {
          return Status::InvalidArgument(where + ".research_birth_days must be a list of days 1-31");
        }
        c.research_birth_days.insert(d.get<int>());
      }
    }
    if (entry.contains("exempt_placed_minors")) {
      if (!entry["exempt_placed_minors"].is_boolean()) {
        return Status::InvalidArgument(where + ".exempt_placed_minors must be true or false");
      }
      c.exempt_placed_minors = entry["exempt_placed_minors"].get<bool>();
    }
    if (entry.contains("source")) {
      if (!entry["source"].is_string()) return Status::InvalidArgument(where + ".source must be text");
      c.source = entry["source"].get<std::string>();
    }
    rules.classes_.emplace(name, std::move(c));
  }
  return rules;
}

Result<RetentionRules> RetentionRules::LoadFile(const std::string& path) {
  return LoadConfigFile<RetentionRules>(path, "retention rules");
}

const FileClass* RetentionRules::Find(std::string_view name) const {
  auto it = classes_.find(name);
  return it == classes_.end() ? nullptr : &it->second;
}

}  // namespace sparbar::gallring
