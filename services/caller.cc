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
  Caller caller;
  caller.actor = std::move(actor);
  // A comma-separated list in `key`, each item checked by `check`.
  auto list = [&](const char* key, bool (*check)(std::string_view), size_t max, const char* rule,
                  std::vector<std::string>* out) -> Status {
    auto r = md.find(key);
    if (r == md.end()) return Status::Ok();
    const std::string_view all(r->second.data(), r->second.size());
    size_t start = 0;
    while (start <= all.size()) {
      const size_t end = std::min(all.find(',', start), all.size());
      const std::string_view item = all.substr(start, end - start);
      if (!check(item) || out->size() == max) {
        return Status::Unauthenticated(std::string(key) + " metadata must be " + rule);
      }
      out->emplace_back(item);
      start = end + 1;
    }
    return Status::Ok();
  };
  SPARBAR_RETURN_IF_ERROR(list(kRolesMetadataKey, &ValidRoleName, 16,
                               "at most 16 comma-separated roles of 1 to 32 characters a-z, 0-9 and '-'",
                               &caller.roles));
  SPARBAR_RETURN_IF_ERROR(list(kUnitsMetadataKey, &ValidUnitName, 64,
                               "at most 64 comma-separated unit names of 1 to 200 bytes", &caller.units));
  return caller;
}

}  // namespace sparbar::services
