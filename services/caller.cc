#include "services/caller.h"

#include <grpcpp/server_context.h>

namespace sparbar::services {

Result<Caller> DevCallerResolver::Resolve(const grpc::ServerContextBase& context) const {
  const auto& md = context.client_metadata();
  auto it = md.find(kActorMetadataKey);
  if (it == md.end() || it->second.empty()) {
    return Status::Unauthenticated(
        "request has no x-sparbar-actor metadata; in development mode the caller must name itself");
  }
  std::string actor(it->second.data(), it->second.size());
  Status valid = ValidateActor(actor, limits_);
  if (!valid.ok()) return Status::Unauthenticated("x-sparbar-actor metadata does not name a valid actor: " + valid.message());
  return Caller{std::move(actor)};
}

}  // namespace sparbar::services
