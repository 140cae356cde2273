// Rebuilds the log's EventRecord from the RecordedEvent a server returned, so
// that the CLI can recompute its canonical bytes and leaf hash itself instead
// of trusting the hash the server states.
#pragma once

#include "eventstore/event.h"
#include "eventstore/status.h"
#include "sparbar/v1/event.pb.h"

namespace sparbar::cli {

// InvalidArgument when the id is not a UUID or a timestamp is not whole microseconds.
Result<EventRecord> ToEventRecord(const sparbar::v1::RecordedEvent& event);

}  // namespace sparbar::cli
