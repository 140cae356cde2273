#include "services/access_rights/rules.h"

#include "services/common/config_file.h"

namespace sparbar::access_rights {
namespace {

constexpr const char* kWhat = "access right rules";

// A whole number of days in [min, 3650] under `key`, or `fallback` when absent.
Result<int> Days(const nlohmann::json& doc, const char* key, int min, int fallback) {
  if (!doc.contains(key)) return fallback;
  const nlohmann::json& d = doc[key];
  if (!d.is_number_integer() || d.get<int64_t>() < min || d.get<int64_t>() > 3650) {
    return Status::InvalidArgument(std::string(kWhat) + ", \"" + key + "\": must be a whole number from " +
                                   std::to_string(min) + " to 3650");
  }
  return d.get<int>();
}

}  // namespace

Result<AccessRightRules> AccessRightRules::FromJson(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("the access right rules are not valid JSON");
  if (!doc.is_object()) return Status::InvalidArgument("the access right rules must be a JSON object");
  AccessRightRules r;
  struct Field {
    const char* key;
    int min;
    int* value;
  };
  for (const Field& f :
       {Field{"grant_within_days", 0, &r.grant_within_days_}, Field{"narrow_within_days", 0, &r.narrow_within_days_},
        Field{"remove_within_days", 0, &r.remove_within_days_},
        Field{"review_interval_days", 1, &r.review_interval_days_}}) {
    auto days = Days(doc, f.key, f.min, *f.value);
    if (!days.ok()) return days.status();
    *f.value = *days;
  }
  auto trainings = ParseCodeList(doc, "trainings", kWhat);
  if (!trainings.ok()) return trainings.status();
  r.trainings_ = std::move(trainings.value());
  return r;
}

Result<AccessRightRules> AccessRightRules::LoadFile(const std::string& path) {
  return LoadConfigFile<AccessRightRules>(path, "access right rules");
}

}  // namespace sparbar::access_rights
