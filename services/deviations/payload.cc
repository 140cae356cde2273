#include "services/deviations/payload.h"

#include "services/common/event_payload.h"

namespace sparbar::deviations {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }

std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }

Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "deviations");
}

}  // namespace sparbar::deviations
