// The loggkontroll rules: which of a review's accesses to flag for the
// reviewer, and why. Each rule can be switched on or off and has its
// parameters in RuleSettings (log_review.proto); Judge is a pure function
// of the access, the context folded from the log and the settings, so a
// review's flags can be computed again exactly.
//
//   protected_identity     the person had skyddad identitet that day
//   no_open_case           no decisions case of the person open at the
//                          access's unit that day (nor ended within
//                          case_grace_days)
//   same_surname           the user and the person share a surname part
//                          (compared as keyed hashes)
//   outside_working_hours  outside the unit's working hours (Swedish time)
//   volume_above_baseline  the user's accesses that day exceed both
//                          volume_min_per_day and volume_factor_percent of
//                          the user's mean per active day before the period
//   nodatkomst             nödåtkomst was used
//   own_or_colleague       the person is the user, or staff at one of the
//                          user's units (or the access's unit)
//   outside_rights         the user held no right (behörighet) in force at
//                          the access's instant in its system, in its role,
//                          covering its unit; judged only for systems whose
//                          rights are kept in Spårbar, from the first grant
//                          on (RightsRegister)
// Explanations name dates, units and counts, never a person.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/access/review_context.h"
#include "sparbar/v1/access.pb.h"
#include "sparbar/v1/log_review.pb.h"

namespace sparbar::access {

// The rule ids, in the order reports list them.
const std::vector<std::string>& RuleIds();

// Every rule on, every parameter at its default.
lr::RuleSettings DefaultRules();
// `settings` with each parameter left 0 set to its default, checked:
// InvalidArgument for a working-hours span that is not a weekday 1-7 with
// 0 <= start < end <= 1440, or a factor below 100 percent.
Result<lr::RuleSettings> CompleteRules(lr::RuleSettings settings);

// One user's volume: accesses per Swedish day, and the mean per day with
// accesses in the baseline window (0 when the user had none).
struct UserVolume {
  std::map<std::string, int64_t> per_day;  // "YYYY-MM-DD" -> accesses
  double baseline_mean = 0;
};

struct JudgedAccess {
  std::string_view user, unit, system, role;
  pb::Purpose purpose = pb::PURPOSE_UNSPECIFIED;
  int64_t at_us = 0;                   // the access time
  std::string_view subject;            // SubjectKey::Of the person
  const UserVolume* volume = nullptr;  // the user's; nullptr: the volume rule is not judged
};

struct Hit {
  std::string rule;
  std::string explanation;
};

std::vector<Hit> Judge(const JudgedAccess& a, const ReviewContext& context, const lr::RuleSettings& rules);

}  // namespace sparbar::access
