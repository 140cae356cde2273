#include "services/decisions/payload.h"

#include "services/common/event_payload.h"

namespace sparbar::decisions {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }

std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }

Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "decisions");
}

bool IsDecisionsType(std::string_view type) { return type.starts_with("sparbar.v1.decisions."); }

}  // namespace sparbar::decisions
