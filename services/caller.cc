#include "services/caller.h"

#include <grpcpp/server_context.h>

#include <algorithm>

#include "services/identities.h"

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
  Caller caller{std::move(actor), {}, {}};
  if (auto r = md.find(kRolesMetadataKey); r != md.end()) {
    const std::string_view all(r->second.data(), r->second.size());
    size_t start = 0;
    while (start <= all.size()) {
      const size_t end = std::min(all.find(',', start), all.size());
      const std::string_view role = all.substr(start, end - start);
      if (!ValidRoleName(role) || caller.roles.size() == 16) {
        return Status::Unauthenticated(
            "x-sparbar-roles metadata must be at most 16 comma-separated roles of 1 to 32 characters a-z, 0-9 and '-'");
      }
      caller.roles.emplace_back(role);
      start = end + 1;
    }
  }
  return caller;
}

}  // namespace sparbar::services
