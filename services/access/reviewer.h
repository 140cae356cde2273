// The role that may read the access log and run log reviews
// ("loggranskare"), checked the same way by AccessLog and LogReview when no
// access policy is in force (development mode); with a policy, the policy
// names the roles of each method (config/atkomstpolicy.json).
#pragma once

#include <string>
#include <string_view>

#include "eventstore/status.h"
#include "services/caller.h"

namespace grpc {
class ServerContextBase;
}

namespace sparbar::access {

inline constexpr std::string_view kReviewerRole = "loggranskare";

// The caller, when a policy admitted it or it holds the reviewer role; PermissionDenied ("<what>
// needs the role \"loggranskare\"") otherwise, or the resolver's failure.
Result<services::Caller> ResolveReviewer(const services::CallerResolver& callers,
                                         const grpc::ServerContextBase& context, const std::string& what);

}  // namespace sparbar::access
