// CallLog: Spårbar's record of calls not tied to one person
// (CallRecorded, proto/sparbar/v1/access.proto), on the stream
// "anrop-sparbar": the scope of a read of many people's data, written
// before the read answers, and a call the access policy refused. Each
// append is durable before Record returns. The scope is the request as
// JSON, cut at 2,000 bytes; a request holding a personnummer is recorded
// without its fields, so that the record keys no person.
#pragma once

#include <optional>
#include <string>

#include "eventstore/store.h"
#include "services/caller.h"
#include "sparbar/v1/access.pb.h"

namespace google::protobuf {
class Message;
}

namespace sparbar::services {

inline constexpr std::string_view kCallLogStream = "anrop-sparbar";

// The event type on the log: "sparbar.v1.access.CallRecorded".
const std::string& CallRecordedType();

// The request as a scope: JSON of at most 2,000 bytes, or a note when it
// holds a personnummer or is not known (null).
std::string ScopeOf(const google::protobuf::Message* request);

// A refusal: records it (outcome denied, `refusal` as the reason, no scope:
// a refused request may carry anything, from event payloads to free text
// about a person, and none of it is let into the log) and returns
// PermissionDenied(refusal), or the store's error when the record could not
// be written.
Status RefuseCall(EventStore& store, const Caller& caller, const std::string& refusal,
                  std::optional<EventStore::Deadline> deadline);

// The scope of an admitted call: records it, and returns Ok, or the store's
// error saying nothing is returned.
Status RecordScope(EventStore& store, const Caller& caller, const google::protobuf::Message* request,
                   std::optional<EventStore::Deadline> deadline);

}  // namespace sparbar::services
