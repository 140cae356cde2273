#include "services/incidents/rules.h"

#include "services/common/config_file.h"

namespace sparbar::incidents {
namespace {

constexpr const char* kWhat = "incident rules";

Result<int> Hours(const nlohmann::json& doc, const char* key, int fallback) {
  if (!doc.contains(key)) return fallback;
  const nlohmann::json& h = doc[key];
  if (!h.is_number_integer() || h.get<int64_t>() < 1 || h.get<int64_t>() > 8760) {
    return Status::InvalidArgument(std::string(kWhat) + ", \"" + key + "\": must be a whole number from 1 to 8760");
  }
  return h.get<int>();
}

}  // namespace

Result<IncidentRules> IncidentRules::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the incident rules are not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("the incident rules must be a JSON object");
  IncidentRules r;
  auto report = Hours(doc, "report_within_hours", r.report_within_hours_);
  if (!report.ok()) return report.status();
  r.report_within_hours_ = *report;
  auto imy = Hours(doc, "imy_within_hours", r.imy_within_hours_);
  if (!imy.ok()) return imy.status();
  r.imy_within_hours_ = *imy;
  auto kinds = ParseCodeList(doc, "kinds", kWhat);
  if (!kinds.ok()) return kinds.status();
  r.kinds_ = std::move(kinds.value());
  auto categories = ParseCodeList(doc, "categories", kWhat);
  if (!categories.ok()) return categories.status();
  r.categories_ = std::move(categories.value());
  return r;
}

Result<IncidentRules> IncidentRules::LoadFile(const std::string& path) {
  return LoadConfigFile<IncidentRules>(path, "incident rules");
}

}  // namespace sparbar::incidents
