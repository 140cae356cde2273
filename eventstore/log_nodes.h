// LogNodeReader: the Merkle tree's nodes as a log keeps them, for proofs and
// verification.
//
// A log stores node (level L, index i) only for L >= its lowest stored level
// (LogDb::lowest_stored_level(), fixed when the log is created). A node below
// that level is the hash of fewer than 2^lowest leaves: the reader reads
// those events from the events family and hashes them again. The events are
// the very bytes the tree is over, so the answer is the same node.
// Errors: DataLoss naming the node when a stored node is missing or
// malformed, or the position when an event under a recomputed node is
// missing. Reads go through the given ReadOptions (a snapshot, for verify).
// Not thread-safe; make one per use.
#pragma once

#include <rocksdb/options.h>

#include "eventstore/log_db.h"
#include "eventstore/merkle/proof.h"

namespace sparbar {

class LogNodeReader : public merkle::NodeReader {
 public:
  LogNodeReader(LogDb& db, const rocksdb::ReadOptions& ro) : db_(db), ro_(ro) {}
  Result<merkle::Hash> Node(uint8_t level, uint64_t index) override;

 private:
  Result<merkle::Hash> Stored(uint8_t level, uint64_t index);
  Result<merkle::Hash> FromEvents(uint8_t level, uint64_t index);

  LogDb& db_;
  rocksdb::ReadOptions ro_;
};

}  // namespace sparbar
