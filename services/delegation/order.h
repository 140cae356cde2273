// Delegationsordning: one committee's delegation order as a decider over
// its stream ("delegationsordning-<id>"), in the pattern of
// services/committee/meeting.h. The order is versioned by date: each event
// is a version in force from its valid_from until the next one's.
//
// - OrderAdopted: a whole order (at least one point), replacing every point
//   before it.
// - OrderAmended: points added or replaced (the same code) and points
//   removed, on top of the latest version; there must be one.
// Each version is named once and takes effect after the latest one (a
// future date is allowed: an order adopted today for the new year). Point
// codes are compared without spaces and case ("F 16.5" is "F16.5"), and
// appear once per version; each point has its matter, lagrum and at least
// one delegate. When the version names the committee paragraph it rests on
// (checked by the service, services/committee/paragraph_ref.h), it takes
// effect no earlier than that meeting. Texts naming anyone by personnummer
// are refused. A version may not take effect on or before the day of a
// decision already recorded under the order (the service reads the
// decisions): that decision was checked against the version before.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "eventstore/status.h"
#include "services/common/civil_date.h"
#include "sparbar/v1/delegation.pb.h"

namespace sparbar::delegation {

namespace pb = ::sparbar::v1::delegation;

using OrderPayload = std::variant<pb::OrderAdopted, pb::OrderAmended>;

inline constexpr std::string_view kOrderStreamPrefix = "delegationsordning-";
inline constexpr std::string_view kContentType = "application/x-protobuf";

std::string TypeOf(const OrderPayload& payload);
std::string Serialize(const OrderPayload& payload);
Result<OrderPayload> ParseOrder(std::string_view type, std::string_view bytes);

// A point code as compared: without spaces, lower case ("F 16.5" -> "f16.5").
std::string PointKey(std::string_view point);

struct OrderVersion {
  std::string version;
  CivilDate valid_from;
  std::string decided_in;  // "sammantrade-<id> § N", or empty
  std::string dnr;
  std::map<std::string, pb::DelegationPoint> points;  // by PointKey
};

struct OrderState {
  std::vector<OrderVersion> versions;  // by valid_from, ascending

  bool Recorded() const { return !versions.empty(); }
  // The version in force on `day`; nullptr before the first.
  const OrderVersion* On(const CivilDate& day) const;
};

struct OrderContext {
  CivilDate today;  // in Sweden
  // The date of the meeting the version's decided_in names, checked by the
  // service; nullopt when the step names none.
  std::optional<CivilDate> decided_on;
  // The latest day of a decision recorded under the order, per version it
  // was checked against, read by the service. Only the versions the state
  // holds count, so that a retry of a version is decided as it was then.
  std::map<std::string, CivilDate> latest_decision;
};

Result<OrderPayload> DecideOrder(const OrderState& state, const OrderPayload& proposed, const OrderContext& context);
OrderState EvolveOrder(OrderState state, const OrderPayload& event);

}  // namespace sparbar::delegation
