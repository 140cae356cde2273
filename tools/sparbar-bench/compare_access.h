// The Spårbar side of `sparbar-bench compare`'s access-log scenarios, on one
// real server and data directory: the intake in batches to a target count,
// a user's quarter and a person's log extract, a catch-up subscription from
// position 0, the bytes on disk, `sparbar verify`, and the read models
// rebuilt from position 0 after their directory is deleted. The server's
// metrics tell when the access index has caught up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "latency.h"
#include "verify_floor.h"
#include "sparbar/v1/access_log_service.pb.h"

namespace sparbar::bench {

struct SparbarAccessResult {
  Row ingest;                      // per Ingest call of 4 batches
  uint64_t recorded = 0;           // access events the intake recorded
  double index_catch_up_s = 0;     // after the intake, until the access index had it all
  double compaction_settle_s = 0;  // then until the log's compactions were done (at most 600 s)
  Latencies user_quarter;          // every page of ListAccesses, per user
  Latencies person_extract;        // LogExtract (HTML), per person
  uint64_t user_rows = 0, person_rows = 0;
  uint64_t log_events = 0;         // in the log when the server stopped
  uint64_t bytes = 0;              // the data directory then
  std::vector<std::pair<std::string, uint64_t>> bytes_by_part;  // the same, by what holds them
  double catch_up_events_per_s = 0;      // the better of the two warm subscriptions
  double catch_up_cold_events_per_s = 0; // the first, which fills the block cache
  std::vector<double> catch_up_warm_events_per_s;  // the second and the third
  uint64_t catch_up_events = 0;
  uint64_t verify_bytes = 0;       // the events' stored bytes, as verify hashed them
  double verify_seconds = 0;
  uint64_t verify_events = 0;
  VerifyFloor verify_floor;        // what verify cannot skip, timed alone (verify_floor.h)
  double rebuild_seconds = 0;      // the access index from position 0, server start included
  double events_per_synced_write = 0;  // during the intake, from the server's metrics
};

struct SparbarAccessOptions {
  std::string dir;
  std::string server_binary;
  uint64_t target_events = 10'000'000;
  int batch_events = 1000;
  int64_t from = 0, to = 0;        // the quarter the queries cover
  int cache_mb = 256;              // the server's --cache-mb
};

// A subscription to the whole log from position 0 on a running server, read
// until it reports caught up. Counting the bytes served costs the client a
// pass over every message, on the cores the server shares.
struct CatchUpResult {
  uint64_t events = 0;
  uint64_t bytes = 0;  // the responses as served (with count_bytes)
  double seconds = 0;
};
CatchUpResult CatchUpFromZero(const std::string& address, bool count_bytes);

SparbarAccessResult MeasureSparbarAccess(const SparbarAccessOptions& options,
                                         std::vector<std::vector<v1::access::IngestBatch>>& work,
                                         const std::vector<std::string>& users,
                                         const std::vector<std::string>& people);

}  // namespace sparbar::bench
