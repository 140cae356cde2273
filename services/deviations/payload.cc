#include "services/deviations/payload.h"

#include "services/common/event_payload.h"

namespace sparbar::deviations {

std::string TypeOf(const Payload& payload) { return VariantTypeOf(payload); }

std::string Serialize(const Payload& payload) { return VariantSerialize(payload); }

Result<Payload> Parse(std::string_view type, std::string_view bytes) {
  return VariantParse<Payload>(type, bytes, "deviations");
}

std::string DomainName(pb::Domain domain) {
  switch (domain) {
    case pb::DOMAIN_HSL: return "HSL";
    case pb::DOMAIN_SOL: return "SoL";
    case pb::DOMAIN_LSS: return "LSS";
    default: return "";
  }
}

}  // namespace sparbar::deviations
