#include "eventstore/limits.h"

#include <string>
#include <unordered_set>

namespace sparbar {
namespace {

// True when `s` is valid UTF-8 with no C0/C1 control characters or DEL.
bool IsCleanText(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c < 0x80) { ++i; continue; }
    size_t n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) { n = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { n = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { n = 4; cp = c & 0x07; }
    else return false;
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    // Overlong forms, surrogates, out of range, C1 controls.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp <= 0x9f)) {
      return false;
    }
    i += n;
  }
  return true;
}

Status CheckText(std::string_view what, std::string_view s, size_t max, bool required) {
  if (s.empty()) {
    if (required) return Status::InvalidArgument(std::string(what) + " is empty");
    return Status::Ok();
  }
  if (s.size() > max) {
    return Status::InvalidArgument(std::string(what) + " is " + std::to_string(s.size()) +
                                   " bytes; the limit is " + std::to_string(max));
  }
  if (!IsCleanText(s)) {
    return Status::InvalidArgument(std::string(what) +
                                   " contains a control character or invalid UTF-8");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateStreamName(std::string_view stream, const Limits& limits) {
  return CheckText("stream name", stream, limits.max_stream_bytes, true);
}

Status ValidateActor(std::string_view actor, const Limits& limits) {
  return CheckText("actor", actor, limits.max_reference_bytes, true);
}

Status ValidateAppend(std::string_view stream, const std::vector<ProposedEvent>& events,
                      const Limits& limits) {
  SPARBAR_RETURN_IF_ERROR(ValidateStreamName(stream, limits));
  if (events.empty()) return Status::InvalidArgument("append has no events");
  if (events.size() > limits.max_events_per_append) {
    return Status::InvalidArgument("append has " + std::to_string(events.size()) +
                                   " events; the limit is " +
                                   std::to_string(limits.max_events_per_append));
  }
  size_t total = 0;
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < events.size(); ++i) {
    const ProposedEvent& e = events[i];
    std::string at = "event " + std::to_string(i) + ": ";
    SPARBAR_RETURN_IF_ERROR(CheckText(at + "type", e.type, limits.max_type_bytes, true));
    SPARBAR_RETURN_IF_ERROR(
        CheckText(at + "content type", e.content_type, limits.max_content_type_bytes, false));
    SPARBAR_RETURN_IF_ERROR(
        CheckText(at + "correlation id", e.correlation_id, limits.max_reference_bytes, false));
    SPARBAR_RETURN_IF_ERROR(
        CheckText(at + "causation id", e.causation_id, limits.max_reference_bytes, false));
    if (e.payload.size() > limits.max_payload_bytes) {
      return Status::ResourceExhausted(at + "payload is " + std::to_string(e.payload.size()) +
                                       " bytes; the limit is " +
                                       std::to_string(limits.max_payload_bytes));
    }
    if (!seen.insert(e.id.raw()).second) {
      return Status::InvalidArgument(at + "id " + e.id.ToString() +
                                     " appears twice in the same append");
    }
    total += e.payload.size() + e.type.size() + e.content_type.size();
  }
  if (total > limits.max_append_bytes) {
    return Status::ResourceExhausted("append is " + std::to_string(total) +
                                     " bytes; the limit is " +
                                     std::to_string(limits.max_append_bytes));
  }
  return Status::Ok();
}

}  // namespace sparbar
