// Key layout of the log's RocksDB column families. One place, so that the store,
// the verifier and tests that tamper with the files agree.
//
//   events       BE64 position                 -> canonical event bytes (codec.h)
//   streams      stream | 0x00 | BE64 revision  -> BE64 position
//   ids          16-byte event id               -> BE64 position
//   tree         u8 level | BE64 index          -> 32-byte node hash (complete nodes
//                                                  at or above the log's lowest stored
//                                                  level only; lower ones are recomputed
//                                                  from the events, log_nodes.h)
//   checkpoints  BE64 tree size                 -> signed checkpoint note
//   default      meta keys below               -> values
// Stream names never contain control characters, so 0x00 ends the name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "eventstore/codec.h"

namespace sparbar::keys {

inline constexpr const char* kEventsCf = "events";
inline constexpr const char* kStreamsCf = "streams";
inline constexpr const char* kIdsCf = "ids";
inline constexpr const char* kTreeCf = "tree";
inline constexpr const char* kCheckpointsCf = "checkpoints";

inline constexpr const char* kMetaOrigin = "meta/origin";
inline constexpr const char* kMetaVerifierKey = "meta/verifier_key";
inline constexpr const char* kMetaFormat = "meta/format";
// The lowest level of the tree the log stores, as a decimal number. Absent in
// logs created before it existed: those store every level (0).
inline constexpr const char* kMetaTreeLowestLevel = "meta/tree_lowest_stored_level";

inline std::string Position(uint64_t position) {
  std::string k;
  PutBigEndian64(&k, position);
  return k;
}

inline std::string StreamPrefix(std::string_view stream) {
  std::string k(stream);
  k.push_back('\0');
  return k;
}

// The same key written into `k` (replacing what it held), for callers that
// reuse one buffer for many keys.
inline void StreamRevisionInto(std::string* k, std::string_view stream, uint64_t revision) {
  k->assign(stream);
  k->push_back('\0');
  PutBigEndian64(k, revision);
}

inline std::string StreamRevision(std::string_view stream, uint64_t revision) {
  std::string k;
  StreamRevisionInto(&k, stream, revision);
  return k;
}

inline std::string Node(uint8_t level, uint64_t index) {
  std::string k(1, static_cast<char>(level));
  PutBigEndian64(&k, index);
  return k;
}

}  // namespace sparbar::keys
