// Conversions between the API's protobuf messages and the store's types.
//
// Pure functions, no I/O. Conversions from the wire return InvalidArgument
// naming the offending field ("events[2].id: ...") and never quote payloads.
// Timestamps are microseconds since the Unix epoch inside the store; a wire
// Timestamp must lie in 0001-01-01..9999-12-31 with nanos in [0, 1e9), and
// finer-than-microsecond precision is truncated.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <string>

#include "eventstore/event.h"
#include "eventstore/status.h"
#include "sparbar/v1/event.pb.h"

namespace sparbar::services {

// An upper bound of the encoded size of ToProto(record), from the record
// alone: its strings, 36 bytes of id, and at most 128 for the tags, lengths,
// numbers and two timestamps. Asking protobuf instead was a second pass over
// every event, 5% of a catch-up subscription's sending thread (perf).
size_t EncodedSizeBound(const EventRecord& record);

// Sets every field of `out`, so a message reused from an earlier call
// (its strings' storage kept) is wholly overwritten without a Clear().
void ToProto(const EventRecord& record, v1::RecordedEvent* out);

// `index` is the event's place in the request, used in error messages.
Result<ProposedEvent> FromProto(const v1::EventData& data, size_t index);

// An unset oneof means Any.
ExpectedRevision FromProto(const v1::ExpectedRevision& expected);

// `field` names the timestamp in the error message.
Result<TimestampMicros> MicrosFromTimestamp(const google::protobuf::Timestamp& ts,
                                            const std::string& field);
void MicrosToTimestamp(TimestampMicros micros, google::protobuf::Timestamp* out);

}  // namespace sparbar::services
