// RocksDB's own ceiling for durable writes of the same bytes, measured in the
// same run as Spårbar: synced single-key writes from several threads (RocksDB
// groups concurrent writers itself), and synced batches of N values.
#pragma once

#include <string>

#include "latency.h"

namespace sparbar::bench {

struct CeilingOptions {
  std::string dir;  // a fresh directory on the same disk as the server's data
  int threads = 16;
  int values_per_batch = 1;
  size_t value_bytes = 256;
  double seconds = 5;
};

Row MeasureRocksDbCeiling(const CeilingOptions& options);

}  // namespace sparbar::bench
