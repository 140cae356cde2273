// The complaints module's configuration (config/klagomal.json): answer
// deadlines as data, reminder intervals, and the codes of topic areas and
// action types. Nothing here is compiled in.
//
// - The answer is due `answer_days` after receipt, or the domain's own
//   figure from `answer_days_by_domain` (health care answers in four weeks,
//   seed 003 L4580); with a larger investigation decided, the later of that
//   and `extended_answer_days` (seed 003 L5225).
// - An answered case should be closed within `close_after_answer_days`.
// - A reminder for the same reason is due again after `remind_again_days`.
// Every figure is a whole number of days from 0 (1 for the reminder) to 3650.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/code_list.h"
#include "sparbar/v1/deviations.pb.h"

namespace sparbar::complaints {

class ComplaintRules {
 public:
  static Result<ComplaintRules> FromJson(std::string_view json);
  static Result<ComplaintRules> LoadFile(const std::string& path);

  // Days from receipt to the answer's due date.
  int AnswerDays(::sparbar::v1::deviations::Domain domain, bool extended) const;
  int standard_days() const { return answer_days_; }
  int extended_days() const { return extended_days_; }
  int close_after_answer_days() const { return close_after_answer_days_; }
  int remind_again_days() const { return remind_again_days_; }

  // The name of an area or action code; nullopt for an unknown code.
  std::optional<std::string> AreaName(const std::string& code) const;
  std::optional<std::string> ActionName(const std::string& code) const;
  const std::vector<NamedCode>& areas() const { return areas_; }
  const std::vector<NamedCode>& action_types() const { return action_types_; }

 private:
  int answer_days_ = 14, extended_days_ = 28, close_after_answer_days_ = 7, remind_again_days_ = 7;
  std::map<std::string, int> by_domain_;  // "HSL", "SoL", "LSS"
  std::vector<NamedCode> areas_, action_types_;
};

}  // namespace sparbar::complaints
