// Caller: who is making a request, as established by the server.
//
// A CallerResolver turns a call's context into a Caller or an Unauthenticated
// Status; services resolve the caller before touching the store, and record
// Caller::actor on every event they append. Resolvers are immutable after
// construction and safe to use from many threads at once.
//
// DevCallerResolver is for development on loopback only: the caller names
// itself in the `x-sparbar-actor` request metadata, which is trusted as is.
// Production will resolve the caller from the mutual-TLS client certificate.
#pragma once

#include <string>

#include "eventstore/limits.h"
#include "eventstore/status.h"

namespace grpc {
class ServerContextBase;
}

namespace sparbar::services {

inline constexpr char kActorMetadataKey[] = "x-sparbar-actor";

struct Caller {
  std::string actor;
};

class CallerResolver {
 public:
  virtual ~CallerResolver() = default;
  virtual Result<Caller> Resolve(const grpc::ServerContextBase& context) const = 0;
};

class DevCallerResolver final : public CallerResolver {
 public:
  explicit DevCallerResolver(Limits limits = {}) : limits_(limits) {}
  // Unauthenticated when the metadata is missing or empty, or the name fails
  // ValidateActor.
  Result<Caller> Resolve(const grpc::ServerContextBase& context) const override;

 private:
  Limits limits_;
};

}  // namespace sparbar::services
