// The role that may read the access log and run log reviews
// ("loggranskare"), checked the same way by AccessLog and LogReview.
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

// The caller, when it holds the reviewer role; PermissionDenied ("<what>
// needs the role \"loggranskare\"") otherwise, or the resolver's failure.
Result<services::Caller> ResolveReviewer(const services::CallerResolver& callers,
                                         const grpc::ServerContextBase& context, const std::string& what);

}  // namespace sparbar::access
