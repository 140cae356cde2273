// What each compression and block size would make of the log's events: the
// events family of a stopped server's data directory, the first `events` of
// it, written again as one table file per choice (RocksDB alone), then read
// whole and read at random. The measurement behind the events family's
// choice (eventstore/log_db.cc, docs/eventstore.md "Space on disk").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sparbar::bench {

struct CompressionChoice {
  std::string name;             // e.g. "ZSTD, 8 KiB"
  double bytes_per_event = 0;   // the table file's size
  double write_us = 0;          // wall µs per event to write the file
  double scan_us = 0;           // wall µs per event to read it whole, the better of three
  double point_read_us = 0;     // wall µs per read of one event by its key, uncached
};

// Writes its table files in `work_dir` and removes them. Throws on failure.
std::vector<CompressionChoice> MeasureCompressionChoices(const std::string& data_dir, const std::string& work_dir,
                                                         size_t events);

}  // namespace sparbar::bench
