// The event model of the log: what a client proposes and what the log records.
//
// An EventRecord is immutable once appended. Its canonical bytes (codec.h) are
// the Merkle leaf; `position` is both the global order and the leaf index.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eventstore/status.h"

namespace sparbar {

// A 128-bit UUID, stored raw; text form is the canonical 8-4-4-4-12 lowercase hex.
struct Uuid {
  std::array<uint8_t, 16> bytes{};
  static Result<Uuid> Parse(std::string_view text);
  static Uuid Random();  // version 4, from OpenSSL's RAND_bytes
  // The same id for the same name, every time: the layout of version 5 with
  // SHA-256 in place of SHA-1. For ids derived from what an event is (a
  // source system's own event id), so that sending it again is a retry.
  static Uuid NameBased(std::string_view name);
  std::string ToString() const;
  // The canonical text (8-4-4-4-12 lowercase hex) into `out`, kTextSize
  // chars, no terminator: for callers that format many without allocating.
  static constexpr size_t kTextSize = 36;
  void FormatTo(char* out) const;
  std::string_view raw() const { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
  bool operator==(const Uuid& o) const { return bytes == o.bytes; }
  bool operator!=(const Uuid& o) const { return bytes != o.bytes; }
};

// Microseconds since the Unix epoch, UTC.
using TimestampMicros = int64_t;
TimestampMicros NowMicros();

struct EventMetadata {
  std::string actor;  // set by the server from the caller's identity
  std::string correlation_id;
  std::string causation_id;
};

// An event as proposed by a client.
struct ProposedEvent {
  Uuid id;
  std::string type;
  std::string content_type;
  std::string payload;
  std::string correlation_id;
  std::string causation_id;
  std::optional<TimestampMicros> occurred_at;  // client's claim; defaults to recorded_at
};

// An event as recorded in the log.
struct EventRecord {
  Uuid id;
  std::string stream;
  uint64_t revision = 0;
  uint64_t position = 0;
  std::string type;
  std::string content_type;
  std::string payload;
  EventMetadata metadata;
  TimestampMicros occurred_at = 0;
  TimestampMicros recorded_at = 0;
};

// The state a stream must be in for an append to go through.
struct ExpectedRevision {
  enum class Kind { kAny, kNoStream, kStreamExists, kExact };
  Kind kind = Kind::kAny;
  uint64_t revision = 0;  // for kExact: revision of the stream's last event

  static ExpectedRevision Any() { return {Kind::kAny, 0}; }
  static ExpectedRevision NoStream() { return {Kind::kNoStream, 0}; }
  static ExpectedRevision StreamExists() { return {Kind::kStreamExists, 0}; }
  static ExpectedRevision Exact(uint64_t r) { return {Kind::kExact, r}; }
  std::string ToString() const;
};

}  // namespace sparbar
