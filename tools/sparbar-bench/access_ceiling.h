// RocksDB's floor for the access log's intake: what an access event becomes
// on disk, written with the server's own RocksDB options (LogDb and
// VersionedState) and none of its other work: no gRPC, no checks, no
// hashing (event ids, subject keys and event bytes are prepared before the
// clock starts; tree nodes are random bytes). One thread writes the log as
// the sequencer does: the event, its stream-index entry, its id and its tree
// nodes, one synced batch per 1,000 events. A second writes the access
// index's three keys per event into a projection state as the index does,
// up to 512 events a batch. Reports the log's events/s and how far the index
// fell behind: the most the machine can take of this layout.
//
// The minimal layout asks what RocksDB spends to keep only what
// PostgreSQL's access table keeps: each event once (by position), its id
// (to take it once), and a (user, time) and a (person, time) index, with
// binary keys, no versions and, for the index, no write-ahead log (an index
// can be rebuilt from the log). No stream index, no Merkle tree, no unit
// key, no review fields. The CPU is reported twice: over the run, and until
// the compactions left at its end are done.
#pragma once

#include <string>

namespace sparbar::bench {

struct AccessCeilingOptions {
  std::string dir;  // a fresh directory on the server's disk
  double seconds = 20;
  int users = 3000;
  int people = 200000;
  bool with_index = true;  // false: the log's writes alone
  bool minimal = false;    // the minimal layout (above) instead of the server's
  // The minimal layout only: the index's keys are not put through RocksDB's
  // memtables but sorted here, `sst_events` events at a time, written as a
  // table file and ingested (IngestExternalFile); 0: put as usual.
  uint64_t sst_events = 0;
  int writers = 1;  // threads writing the log, each its own batches (RocksDB joins their syncs)
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureAccessCeiling(const AccessCeilingOptions& options);

}  // namespace sparbar::bench
