// Caller: who is making a request, as established by the server.
//
// A CallerResolver turns a call's context into a Caller or an Unauthenticated
// Status; services resolve the caller before touching the store, and record
// Caller::actor on every event they append. Resolvers are immutable after
// construction and safe to use from many threads at once.
//
// DevCallerResolver is for development on loopback only: the caller names
// itself in the `x-sparbar-actor` request metadata, and its roles (e.g.
// "sas", "mas") in `x-sparbar-roles` and its units in `x-sparbar-units-bin`,
// comma-separated; all are trusted as is.
// With mutual TLS the caller comes from the client certificate instead
// (certificate_caller.h).
#pragma once

#include <string>
#include <vector>

#include "eventstore/limits.h"
#include "eventstore/status.h"

namespace grpc {
class ServerContextBase;
}

namespace sparbar::services {

inline constexpr char kActorMetadataKey[] = "x-sparbar-actor";
inline constexpr char kRolesMetadataKey[] = "x-sparbar-roles";
inline constexpr char kUnitsMetadataKey[] = "x-sparbar-units-bin";

struct Caller {
  std::string actor;
  std::vector<std::string> roles;  // what the caller may decide (lex Sarah, lex Maria)
  std::vector<std::string> units;  // the units it acts for (from the identities; x-sparbar-units-bin in development mode)
  // Set by the access policy (services/authz/authorizing_resolver.h): the
  // gRPC method called ("sparbar.v1.EventStore/ReadAll") and the role that
  // let the caller call it ("*" when any caller may; empty without a policy).
  std::string method;
  std::string method_role;
};

class CallerResolver {
 public:
  virtual ~CallerResolver() = default;
  virtual Result<Caller> Resolve(const grpc::ServerContextBase& context) const = 0;
};

class DevCallerResolver final : public CallerResolver {
 public:
  explicit DevCallerResolver(Limits limits = {}) : limits_(limits) {}
  // Unauthenticated when the actor metadata is missing or empty, the name
  // fails ValidateActor, or a role is not 1 to 32 of a-z, 0-9 and '-'.
  Result<Caller> Resolve(const grpc::ServerContextBase& context) const override;

 private:
  Limits limits_;
};

}  // namespace sparbar::services
