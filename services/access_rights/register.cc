#include "services/access_rights/register.h"

#include <algorithm>

namespace sparbar::access_rights {

RightsRegister RightsRegister::From(const AccessRightsView& view) {
  RightsRegister r;
  for (const auto& [stream, s] : view.rights) {
    if (!s.Granted()) continue;
    auto [it, inserted] = r.managed_from_.emplace(s.order->system(), *s.granted_at);
    if (!inserted) it->second = std::min(it->second, *s.granted_at);
    r.by_user_[s.order->user()].push_back({s.order->system(), s.order->role(), s});
  }
  return r;
}

bool RightsRegister::Manages(const std::string& system, TimestampMicros at) const {
  auto it = managed_from_.find(system);
  return it != managed_from_.end() && at >= it->second;
}

bool RightsRegister::Covers(const std::string& user, const std::string& system, const std::string& role,
                            const std::string& unit, TimestampMicros at) const {
  auto it = by_user_.find(user);
  if (it == by_user_.end()) return false;
  for (const Held& h : it->second) {
    if (h.system != system || h.role != role) continue;
    const std::vector<std::string>* units = h.state.UnitsAt(at);
    if (units && std::find(units->begin(), units->end(), unit) != units->end()) return true;
  }
  return false;
}

}  // namespace sparbar::access_rights
