// A domain module's events as one std::variant of protobuf messages: the
// event type is the message's full name, the payload its binary form.
// Each module names its variant (e.g. decisions::Payload) and wraps these.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "eventstore/status.h"

namespace sparbar {

template <class Variant>
std::string VariantTypeOf(const Variant& payload) {
  return std::visit([](const auto& m) { return m.GetDescriptor()->full_name(); }, payload);
}

template <class Variant>
std::string VariantSerialize(const Variant& payload) {
  return std::visit([](const auto& m) { return m.SerializeAsString(); }, payload);
}

// The alternative whose full name is `type`, parsed from `bytes`;
// InvalidArgument for another type ("is not a <what> event type") or bytes
// that do not parse.
template <class Variant, size_t I = 0>
Result<Variant> VariantParse(std::string_view type, std::string_view bytes, std::string_view what) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return Status::InvalidArgument("\"" + std::string(type.substr(0, 80)) + "\" is not a " + std::string(what) +
                                   " event type");
  } else {
    using Message = std::variant_alternative_t<I, Variant>;
    if (Message::descriptor()->full_name() == type) {
      Message m;
      if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return Status::InvalidArgument("the payload is not a valid " + std::string(type));
      }
      return Variant(std::move(m));
    }
    return VariantParse<Variant, I + 1>(type, bytes, what);
  }
}

}  // namespace sparbar
