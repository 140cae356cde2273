// An access event (AccessRecorded, proto/sparbar/v1/access.proto) as it is
// checked before it is recorded, and what it is stored as: its stream
// ("atkomst-<source_system>") and its event id, derived from
// (source_system, source_event_id), so that sending it again is a retry.
//
// CheckAccess refuses, with INVALID_ARGUMENT naming the field, a missing
// user, unit, role or subject, an unknown action, purpose or outcome, a
// personnummer that does not check, one in an identifier that keys a stream
// or an index (user, role, unit, record, source system, consent), an
// access time further in the future than the allowed clock skew, and a
// nödåtkomst without its reason or a consent without its reference. Its
// messages never repeat personal data.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "eventstore/event.h"
#include "eventstore/status.h"
#include "sparbar/v1/access.pb.h"

namespace sparbar::access {

namespace pb = ::sparbar::v1::access;

inline constexpr std::string_view kStreamPrefix = "atkomst-";
inline constexpr std::string_view kContentType = "application/x-protobuf";

struct AccessLimits {
  std::chrono::microseconds max_clock_skew = std::chrono::minutes(5);
  size_t max_batch_events = 10000;  // events in one ingest batch
};

// The event type on the log: "sparbar.v1.access.AccessRecorded".
const std::string& EventType();

// Checks `event` and normalizes it in place (the personnummer to 12 digits,
// unknown fields dropped); `now` is the server's clock.
Status CheckAccess(pb::AccessRecorded& event, TimestampMicros now, const AccessLimits& limits);

std::string StreamOf(const pb::AccessRecorded& event);
Uuid EventIdOf(const pb::AccessRecorded& event);
// Deterministic bytes: the same event serializes to the same payload.
std::string Serialize(const pb::AccessRecorded& event);

}  // namespace sparbar::access
