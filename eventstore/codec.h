// Canonical bytes of an EventRecord.
//
// The encoding is the Merkle leaf and the value stored in the log, so it must be
// deterministic and never change for format version 1:
//   u8 version (=1) | 16-byte id | u64 position | u64 revision |
//   i64 recorded_at | i64 occurred_at |
//   then u32-length-prefixed: stream, type, content_type, actor,
//   correlation_id, causation_id, payload.
// All integers big-endian. Decode rejects anything else (DataLoss).
#pragma once

#include <string>
#include <string_view>

#include "eventstore/event.h"

namespace sparbar {

inline constexpr uint8_t kEventFormatVersion = 1;

void EncodeEvent(const EventRecord& event, std::string* out);
std::string EncodeEvent(const EventRecord& event);
Result<EventRecord> DecodeEvent(std::string_view bytes);
// DecodeEvent into an existing record, reusing its strings' storage (for
// readers that decode page after page); `*out` is unspecified on failure.
Status DecodeEventInto(std::string_view bytes, EventRecord* out);

// The same fields as views into the bytes, which must outlive it: for
// readers that only look (the verifier), with DecodeEvent's checks.
struct EventView {
  std::string_view id;  // 16 bytes
  uint64_t position = 0, revision = 0;
  TimestampMicros recorded_at = 0, occurred_at = 0;
  std::string_view stream, type, content_type, actor, correlation_id, causation_id, payload;
};
Result<EventView> DecodeEventView(std::string_view bytes);
// The stream and type of canonical event bytes, read without decoding the
// rest (to filter before decoding). False when the bytes are too short or of
// another format version: decode them to learn why.
bool PeekStreamAndType(std::string_view bytes, std::string_view* stream, std::string_view* type);

// Big-endian fixed-width helpers, shared by the key layout.
void PutBigEndian64(std::string* out, uint64_t v);
uint64_t GetBigEndian64(const char* p);

}  // namespace sparbar
