// AuthorizingResolver: the access policy at the door of every method. It
// wraps the resolver that says who the caller is (a certificate, or the
// development metadata) and, for each call:
//  1. finds the call's method (CallRegistry);
//  2. with a policy, refuses a caller none of whose roles may call the
//     method: one CallRecorded with outcome denied is appended, then
//     PERMISSION_DENIED naming the roles that may;
//  3. for a method that reads many people's data (ACCESS_LOGGING_SCOPE),
//     appends one CallRecorded with the request's scope, durably, before
//     the method goes on; when that fails, so does the call.
// Methods that answer about named people (ACCESS_LOGGING_PER_PERSON) record
// each person themselves (person_access.h). Without a policy (development
// mode without --policy) step 2 is skipped; steps 1 and 3 never are.
// Every service resolves its caller once per call, before it reads.
#pragma once

#include "eventstore/store.h"
#include "services/authz/call_registry.h"
#include "services/authz/method_catalogue.h"
#include "services/authz/policy.h"
#include "services/caller.h"

namespace sparbar::services {

class AuthorizingResolver final : public CallerResolver {
 public:
  // All must outlive the resolver; `policy` may be null.
  AuthorizingResolver(const CallerResolver* identify, const CallRegistry* calls, const MethodCatalogue* methods,
                      const AccessPolicy* policy, EventStore* store)
      : identify_(identify), calls_(calls), methods_(methods), policy_(policy), store_(store) {}

  Result<Caller> Resolve(const grpc::ServerContextBase& context) const override;

 private:
  const CallerResolver* identify_;
  const CallRegistry* calls_;
  const MethodCatalogue* methods_;
  const AccessPolicy* policy_;
  EventStore* store_;
};

}  // namespace sparbar::services
