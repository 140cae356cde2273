#include "services/complaints/rules.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "services/common/config_file.h"
#include "services/deviations/payload.h"

namespace sparbar::complaints {
namespace {

using nlohmann::json;

Status Bad(const std::string& where, const std::string& what) {
  return Status::InvalidArgument("complaint rules, " + where + ": " + what);
}

// A whole number of days in [min, 3650] under `key`, or `fallback` when absent.
Result<int> Days(const json& doc, const char* key, int min, int fallback) {
  if (!doc.contains(key)) return fallback;
  const json& d = doc[key];
  if (!d.is_number_integer() || d.get<int64_t>() < min || d.get<int64_t>() > 3650) {
    return Bad(std::string("\"") + key + "\"", "must be a whole number from " + std::to_string(min) + " to 3650");
  }
  return d.get<int>();
}

}  // namespace

Result<ComplaintRules> ComplaintRules::FromJson(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the complaint rules are not valid JSON");
  if (!doc.is_object()) return Bad("top level", "must be an object");
  ComplaintRules r;
  auto answer = Days(doc, "answer_days", 0, r.answer_days_);
  if (!answer.ok()) return answer.status();
  r.answer_days_ = *answer;
  auto extended = Days(doc, "extended_answer_days", 0, r.extended_days_);
  if (!extended.ok()) return extended.status();
  r.extended_days_ = *extended;
  if (r.extended_days_ <= r.answer_days_) {
    return Bad("\"extended_answer_days\"", "must be more than \"answer_days\" (a larger investigation gives more time)");
  }
  auto close = Days(doc, "close_after_answer_days", 0, r.close_after_answer_days_);
  if (!close.ok()) return close.status();
  r.close_after_answer_days_ = *close;
  auto again = Days(doc, "remind_again_days", 1, r.remind_again_days_);
  if (!again.ok()) return again.status();
  r.remind_again_days_ = *again;
  if (doc.contains("answer_days_by_domain")) {
    const json& by = doc["answer_days_by_domain"];
    if (!by.is_object()) return Bad("\"answer_days_by_domain\"", "must be an object such as {\"HSL\": 28}");
    for (const auto& [domain, days] : by.items()) {
      if (domain != "HSL" && domain != "SoL" && domain != "LSS") {
        return Bad("\"answer_days_by_domain\"", "\"" + domain + "\" is not HSL, SoL or LSS");
      }
      auto d = Days(by, domain.c_str(), 0, 0);
      if (!d.ok()) return d.status();
      r.by_domain_[domain] = *d;
    }
  }
  auto areas = ParseCodeList(doc, "areas", "complaint rules");
  if (!areas.ok()) return areas.status();
  r.areas_ = std::move(areas.value());
  auto actions = ParseCodeList(doc, "action_types", "complaint rules");
  if (!actions.ok()) return actions.status();
  r.action_types_ = std::move(actions.value());
  return r;
}

Result<ComplaintRules> ComplaintRules::LoadFile(const std::string& path) {
  return LoadConfigFile<ComplaintRules>(path, "complaint rules");
}

int ComplaintRules::AnswerDays(::sparbar::v1::deviations::Domain domain, bool extended) const {
  auto it = by_domain_.find(deviations::DomainName(domain));
  const int days = it == by_domain_.end() ? answer_days_ : it->second;
  return extended ? std::max(days, extended_days_) : days;
}

std::optional<std::string> ComplaintRules::AreaName(const std::string& code) const { return NameOf(areas_, code); }
std::optional<std::string> ComplaintRules::ActionName(const std::string& code) const {
  return NameOf(action_types_, code);
}

}  // namespace sparbar::complaints
