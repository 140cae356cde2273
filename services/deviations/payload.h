// The events of a deviation report (avvikelse) as one variant, and their
// (de)serialization. An event's type is its message's full protobuf name,
// e.g. "sparbar.v1.deviations.DeviationReported".
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "eventstore/status.h"
#include "sparbar/v1/deviations.pb.h"

namespace sparbar::deviations {

namespace pb = ::sparbar::v1::deviations;

using Payload = std::variant<pb::DeviationReported, pb::ClosedAsNotDeviation, pb::RootCausesDocumented,
                             pb::ActionTaken, pb::FollowedUp, pb::DeviationClosed, pb::LinkedToCase,
                             pb::LexMariaDeclined>;

inline constexpr std::string_view kContentType = "application/x-protobuf";
inline constexpr std::string_view kStreamPrefix = "avvikelse-";

std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
// InvalidArgument for a type that is not a deviations event or bytes that do
// not parse as it.
Result<Payload> Parse(std::string_view type, std::string_view bytes);

// "HSL", "SoL" or "LSS"; empty when unspecified.
std::string DomainName(pb::Domain domain);

}  // namespace sparbar::deviations
