// Instants in domain events (google.protobuf.Timestamp): which are valid,
// and their microseconds since 1970, as the modules whose deadlines run in
// hours or whose steps take effect at a moment (personal data incidents,
// access rights) read them.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include "eventstore/event.h"

namespace sparbar {

// Whether `t` is a valid instant from 1970 to protobuf's last (year 9999).
bool ValidInstant(const google::protobuf::Timestamp& t);
// The instant in microseconds since 1970, clamped to protobuf's valid range
// (an event appended through the raw API cannot overflow).
TimestampMicros MicrosOf(const google::protobuf::Timestamp& t);
// The Timestamp of microseconds since 1970 (not negative).
google::protobuf::Timestamp TimestampOf(TimestampMicros t);

}  // namespace sparbar
