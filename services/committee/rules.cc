#include "services/committee/rules.h"

#include <nlohmann/json.hpp>

#include "services/common/config_file.h"

namespace sparbar::committee {
namespace {

// `doc[key]` into `*value` when present: a whole number from `min` to 3650.
Status Days(const nlohmann::json& doc, const std::string& where, const char* key, int min, int* value) {
  if (!doc.contains(key)) return Status::Ok();
  const nlohmann::json& d = doc[key];
  if (!d.is_number_integer() || d.get<int64_t>() < min || d.get<int64_t>() > 3650) {
    return Status::InvalidArgument("committee rules, " + where + "\"" + key + "\": must be a whole number from " +
                                   std::to_string(min) + " to 3650");
  }
  *value = d.get<int>();
  return Status::Ok();
}

}  // namespace

Result<CommitteeRules> CommitteeRules::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the committee rules are not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("the committee rules must be a JSON object");
  CommitteeRules r;
  for (auto [key, value] :
       {std::pair{"attest_within_days", &r.attest_within_days_},
        std::pair{"notice_within_days", &r.notice_within_days_}, std::pair{"notice_min_days", &r.notice_min_days_},
        std::pair{"delegation_report_within_days", &r.delegation_report_within_days_}}) {
    if (Status s = Days(doc, "", key, 0, value); !s.ok()) return s;
  }
  if (doc.contains("statement_answer_days")) {
    const nlohmann::json& answer = doc["statement_answer_days"];
    if (!answer.is_object()) {
      return Status::InvalidArgument(
          "committee rules, \"statement_answer_days\": must be an object of days by authority "
          "(ivo, jo, patientnamnden, other)");
    }
    for (const auto& [key, _] : answer.items()) {
      if (key != "ivo" && key != "jo" && key != "patientnamnden" && key != "other") {
        return Status::InvalidArgument("committee rules, \"statement_answer_days\": \"" + key.substr(0, 40) +
                                       "\" is not an authority (ivo, jo, patientnamnden, other)");
      }
    }
    for (auto [key, value] : {std::pair{"ivo", &r.answer_ivo_}, std::pair{"jo", &r.answer_jo_},
                              std::pair{"patientnamnden", &r.answer_patientnamnden_},
                              std::pair{"other", &r.answer_other_}}) {
      if (Status s = Days(answer, "\"statement_answer_days\", ", key, 1, value); !s.ok()) return s;
    }
  }
  return r;
}

int CommitteeRules::StatementAnswerDays(std::string_view authority) const {
  if (authority == "ivo") return answer_ivo_;
  if (authority == "jo") return answer_jo_;
  if (authority == "patientnamnden") return answer_patientnamnden_;
  return answer_other_;
}

Result<CommitteeRules> CommitteeRules::LoadFile(const std::string& path) {
  return LoadConfigFile<CommitteeRules>(path, "committee rules");
}

}  // namespace sparbar::committee
