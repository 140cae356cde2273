// The personal data incidents module's configuration
// (config/personuppgiftsincidenter.json): the deadlines in hours and the
// codes of incident kinds and personal data categories. Nothing compiled in.
//
// - report_within_hours (24): from discovery to the discoverer's report
//   (seed 003 L828-L829); a later report is recorded and flagged.
// - imy_within_hours (72): from awareness to the notification to IMY
//   (GDPR art. 33.1); a later notification needs the reasons for the delay.
// Both are whole numbers from 1 to 8760.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/code_list.h"

namespace sparbar::incidents {

class IncidentRules {
 public:
  static Result<IncidentRules> FromJson(std::string_view json);
  static Result<IncidentRules> LoadFile(const std::string& path);

  int report_within_hours() const { return report_within_hours_; }
  int imy_within_hours() const { return imy_within_hours_; }
  const std::vector<NamedCode>& kinds() const { return kinds_; }
  const std::vector<NamedCode>& categories() const { return categories_; }

 private:
  int report_within_hours_ = 24, imy_within_hours_ = 72;
  std::vector<NamedCode> kinds_, categories_;
};

}  // namespace sparbar::incidents
