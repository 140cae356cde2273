// Deadlines as data (frister): which step each open case of the deviations
// module awaits, and by when, from rules in configuration
// (config/frister.json), never compiled in.
//
// The steps a case can await follow from its lifecycle (kSteps below); the
// rules give each step its number of days and the role that answers for it.
// A rule may name a domain (HSL, SoL, LSS) and then applies to deviations of
// that domain only, over the rule without one: Luleå answers in two weeks in
// social services and in four in health care (seed 003, L5224, L4580).
// Every step needs a rule without a domain, so that every step has a due
// date. A follow-up case's action is due on its own due date plus the rule's
// days. "stale_plan_days" (default 30) is how long an open follow-up case
// may go without a progress entry before StalePlans flags it.
//
// Format: {"stale_plan_days": 30, "rules": [{"workflow": "avvikelse", "step": "utredning",
//   "days": 14, "role": "enhetschef"}, {"workflow": "avvikelse", "step":
//   "utredning", "domain": "HSL", "days": 28, "role": "enhetschef"}, ...]}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "services/deviations/module_view.h"

namespace sparbar::deviations {

struct DeadlineStep {
  std::string_view workflow, step, awaits;  // awaits: what the step is, in words
};
// Every step a case can await, by workflow.
extern const std::vector<DeadlineStep> kSteps;

struct DeadlineRule {
  std::string workflow, step, domain;  // domain empty: any
  int days = 0;
  std::string role;
};

// One step an open case awaits.
struct DueStep {
  std::string stream;       // the case
  std::string workflow, step;
  std::string unit;         // the case's unit (a follow-up case: its origin's)
  std::string role;         // who answers for it
  std::string action_id;    // a follow-up case's action, when the step is one
  CivilDate since;          // when the wait began
  CivilDate due;
};

class DeadlineRules {
 public:
  static Result<DeadlineRules> FromJson(std::string_view json);
  static Result<DeadlineRules> LoadFile(const std::string& path);

  // Every step awaited in `view`, with its due date, ordered by due date then stream.
  std::vector<DueStep> Awaited(const DeviationsView& view) const;

  const std::vector<DeadlineRule>& rules() const { return rules_; }
  int stale_plan_days() const { return stale_plan_days_; }

 private:
  // The rule for a step of a case in `domain` (empty outside deviations).
  const DeadlineRule& RuleFor(std::string_view workflow, std::string_view step, std::string_view domain) const;

  std::vector<DeadlineRule> rules_;
  int stale_plan_days_ = 30;
};

}  // namespace sparbar::deviations
