// RightsRegister: which rights each user held when, for loggkontroll to
// compare an access with (review_rules.h, rule "outside_rights"). Built
// from an AccessRightsView, so it is the register as the log stood at the
// view's size.
//
// A right covers an access when it is the same user's, in the same system
// and role, was in force at the access's instant (granted by then, not yet
// removed) and covered the access's unit then (after any narrowing). A
// system counts as managed from the first grant of a right in it on: the
// accesses of systems whose rights are kept elsewhere, and those made
// before a system's rights were kept here, are not judged.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/access_rights/view.h"

namespace sparbar::access_rights {

class RightsRegister {
 public:
  static RightsRegister From(const AccessRightsView& view);

  bool Manages(const std::string& system, TimestampMicros at) const;
  bool Covers(const std::string& user, const std::string& system, const std::string& role, const std::string& unit,
              TimestampMicros at) const;

 private:
  struct Held {
    std::string system, role;
    RightState state;
  };
  std::map<std::string, TimestampMicros> managed_from_;  // system -> its first grant
  std::map<std::string, std::vector<Held>> by_user_;
};

}  // namespace sparbar::access_rights
