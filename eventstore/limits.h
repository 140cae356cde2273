// Limits on what an append may contain, and the checks that enforce them.
//
// Every check returns InvalidArgument (or ResourceExhausted for sizes) with a
// message naming the field and the limit. Messages quote no payload content.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "eventstore/event.h"

namespace sparbar {

struct Limits {
  size_t max_stream_bytes = 256;
  size_t max_type_bytes = 200;
  size_t max_content_type_bytes = 200;
  size_t max_reference_bytes = 200;  // correlation and causation ids, actor
  size_t max_payload_bytes = 1 << 20;
  size_t max_events_per_append = 10000;
  size_t max_append_bytes = 16 << 20;
};

// A stream name: 1..max_stream_bytes bytes of valid UTF-8 without control characters.
Status ValidateStreamName(std::string_view stream, const Limits& limits);
// An actor name as given by the caller's identity.
Status ValidateActor(std::string_view actor, const Limits& limits);
// Everything about an append except what depends on stored state.
Status ValidateAppend(std::string_view stream, const std::vector<ProposedEvent>& events,
                      const Limits& limits);

}  // namespace sparbar
