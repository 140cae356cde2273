#include "services/committee/rules.h"

#include <nlohmann/json.hpp>

#include "services/common/config_file.h"

namespace sparbar::committee {

Result<CommitteeRules> CommitteeRules::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the committee rules are not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("the committee rules must be a JSON object");
  CommitteeRules r;
  for (auto [key, value] :
       {std::pair{"attest_within_days", &r.attest_within_days_},
        std::pair{"notice_within_days", &r.notice_within_days_}, std::pair{"notice_min_days", &r.notice_min_days_}}) {
    if (!doc.contains(key)) continue;
    const nlohmann::json& d = doc[key];
    if (!d.is_number_integer() || d.get<int64_t>() < 0 || d.get<int64_t>() > 3650) {
      return Status::InvalidArgument(std::string("committee rules, \"") + key +
                                     "\": must be a whole number from 0 to 3650");
    }
    *value = d.get<int>();
  }
  return r;
}

Result<CommitteeRules> CommitteeRules::LoadFile(const std::string& path) {
  return LoadConfigFile<CommitteeRules>(path, "committee rules");
}

}  // namespace sparbar::committee
