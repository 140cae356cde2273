#include "services/decisions/payload.h"

namespace sparbar::decisions {
namespace {

// Tries each alternative of the variant for the one whose full name is `type`.
template <size_t I = 0>
Result<Payload> ParseAs(std::string_view type, std::string_view bytes) {
  if constexpr (I == std::variant_size_v<Payload>) {
    return Status::InvalidArgument("\"" + std::string(type.substr(0, 80)) + "\" is not a decisions event type");
  } else {
    using Message = std::variant_alternative_t<I, Payload>;
    if (Message::descriptor()->full_name() == type) {
      Message m;
      if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return Status::InvalidArgument("the payload is not a valid " + std::string(type));
      }
      return Payload(std::move(m));
    }
    return ParseAs<I + 1>(type, bytes);
  }
}

}  // namespace

std::string TypeOf(const Payload& payload) {
  return std::visit([](const auto& m) { return m.GetDescriptor()->full_name(); }, payload);
}

std::string Serialize(const Payload& payload) {
  return std::visit([](const auto& m) { return m.SerializeAsString(); }, payload);
}

Result<Payload> Parse(std::string_view type, std::string_view bytes) { return ParseAs(type, bytes); }

bool IsDecisionsType(std::string_view type) { return type.starts_with("sparbar.v1.decisions."); }

}  // namespace sparbar::decisions
