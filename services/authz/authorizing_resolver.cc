#include "services/authz/authorizing_resolver.h"

#include "services/authz/call_log.h"
#include "services/grpc_status.h"

namespace sparbar::services {
namespace {

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

Result<Caller> AuthorizingResolver::Resolve(const grpc::ServerContextBase& context) const {
  auto caller = identify_->Resolve(context);
  if (!caller.ok()) return caller;
  CallRegistry::Call call;
  if (!calls_->Find(context, &call)) {
    return Status::Internal("the server cannot tell which method was called, so it refuses the call");
  }
  caller->method = call.method;
  const auto deadline = SteadyDeadline(context);
  if (policy_ != nullptr) {
    caller->method_role = policy_->RoleFor(call.method, *caller);
    if (caller->method_role.empty()) {
      const std::vector<std::string> allowed = policy_->RolesOf(call.method);
      const std::string refusal =
          allowed.empty() ? "the access policy lets no role call " + call.method
                          : call.method + " needs one of the roles " + Joined(allowed) + "; the caller has " +
                                (caller->roles.empty() ? std::string("none") : Joined(caller->roles));
      return RefuseCall(*store_, *caller, refusal, deadline);
    }
  }
  if (methods_->LoggingOf(call.method) == v1::ACCESS_LOGGING_SCOPE) {
    if (Status s = RecordScope(*store_, *caller, call.request, deadline); !s.ok()) return s;
  }
  return caller;
}

}  // namespace sparbar::services
