// The events of a decisions case as one variant, and their (de)serialization.
// An event's type is its message's full protobuf name, e.g.
// "sparbar.v1.decisions.DecisionMade"; the payload is the binary message.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "eventstore/status.h"
#include "sparbar/v1/decisions.pb.h"

namespace sparbar::decisions {

namespace pb = ::sparbar::v1::decisions;

using Payload = std::variant<pb::ApplicationReceived, pb::InvestigationOpened, pb::DecisionMade, pb::OfferMade,
                             pb::OfferDeclined, pb::DelayReasonNoted, pb::Executed, pb::Interrupted, pb::Resumed,
                             pb::Ended, pb::ClosedUnexecuted, pb::Corrected, pb::Annotated>;

inline constexpr std::string_view kContentType = "application/x-protobuf";
inline constexpr std::string_view kStreamPrefix = "beslut-";

// The event type of a payload: its message's full name.
std::string TypeOf(const Payload& payload);
std::string Serialize(const Payload& payload);
// InvalidArgument for a type that is not a decisions event or bytes that do
// not parse as it.
Result<Payload> Parse(std::string_view type, std::string_view bytes);
// Bifall or delvis bifall: a decision that grants something and so must be executed.
inline bool IsFavourable(pb::Outcome outcome) {
  return outcome == pb::OUTCOME_BIFALL || outcome == pb::OUTCOME_DELVIS_BIFALL;
}

// Whether `type` names a decisions event.
bool IsDecisionsType(std::string_view type);

}  // namespace sparbar::decisions
