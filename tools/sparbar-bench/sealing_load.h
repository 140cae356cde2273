// Benchmark of what per-person encryption adds to appends (issue 7, point
// 5): the same appends into the event store library, in this process, once
// straight into the store and once through the SealingStore the server's
// modules append through, which seals each event's person with their key.
// Two loads: access events in batches (the access log's intake) and
// single-event decisions appends from many threads (group commit). The
// people's keys are made before the clock starts (a person is new once);
// making them is timed on its own. Rounds alternate plain and sealed, each
// on a fresh data directory.
#pragma once

#include <string>

namespace sparbar::bench {

struct SealingLoadOptions {
  std::string dir;          // where the data directories go
  int people = 10'000;      // distinct people the events name
  int batch_events = 1000;  // access events per append
  int batch_threads = 4;
  int single_threads = 16;  // threads appending one event at a time
  double seconds = 5;       // per load, per round
  int rounds = 2;
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureSealing(const SealingLoadOptions& options);

}  // namespace sparbar::bench
