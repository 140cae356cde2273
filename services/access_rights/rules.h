// The access rights module's configuration (config/behorigheter.json): the
// days within which each step is due, and the mandatory trainings every
// order needs (seed 003 L4001-L4002). Nothing compiled in.
//
// - grant_within_days (5): from the order to the specialist's grant.
// - narrow_within_days (5): from a narrowing order to its carrying out.
// - remove_within_days (1): from the last day, or from the order when it
//   came after the last day, to the removal.
// - review_interval_days (365): from the grant or the last review to the
//   next periodic review (regelbunden kontroll, L4004-L4006).
// Days are whole numbers from 0 to 3650 (the interval from 1).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/code_list.h"

namespace sparbar::access_rights {

class AccessRightRules {
 public:
  static Result<AccessRightRules> FromJson(std::string_view json);
  static Result<AccessRightRules> LoadFile(const std::string& path);

  int grant_within_days() const { return grant_within_days_; }
  int narrow_within_days() const { return narrow_within_days_; }
  int remove_within_days() const { return remove_within_days_; }
  int review_interval_days() const { return review_interval_days_; }
  const std::vector<NamedCode>& trainings() const { return trainings_; }

 private:
  int grant_within_days_ = 5, narrow_within_days_ = 5, remove_within_days_ = 1, review_interval_days_ = 365;
  std::vector<NamedCode> trainings_;
};

}  // namespace sparbar::access_rights
