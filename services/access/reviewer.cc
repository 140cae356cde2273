#include "services/access/reviewer.h"

#include <algorithm>

namespace sparbar::access {

Result<services::Caller> ResolveReviewer(const services::CallerResolver& callers,
                                         const grpc::ServerContextBase& context, const std::string& what) {
  auto caller = callers.Resolve(context);
  if (!caller.ok()) return caller.status();
  // An access policy let the call in (services/authz/): it decides who reviews.
  if (!caller->method_role.empty()) return caller;
  if (std::find(caller->roles.begin(), caller->roles.end(), kReviewerRole) == caller->roles.end()) {
    return Status::PermissionDenied(what + " needs the role \"loggranskare\"");
  }
  return caller;
}

}  // namespace sparbar::access
