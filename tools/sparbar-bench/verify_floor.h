// The least CPU `sparbar verify` can spend per event on this layout: what it
// cannot skip, timed alone on one thread each, with none of its checks. It
// iterates the four families verify reads (events, tree, stream index,
// event-id index) with verify's read options, and SHA-256 hashes a sample of
// the events as the tree needs them (a leaf hash per event, and an inner
// node per event, as a tree of n leaves has n - 1). Two cores carry at most
// 2 / (the sum per event) events per second whatever the verifier does: the
// measurement that shows whether verify's target is within reach.
#pragma once

#include <cstdint>
#include <string>

namespace sparbar::bench {

struct VerifyFloor {
  uint64_t events = 0;
  // Thread CPU microseconds per event.
  double events_us = 0;  // iterating the events family
  double tree_us = 0;    // iterating the tree family (its entries, per event)
  double indexes_us = 0; // iterating the stream and event-id indexes
  double hashing_us = 0; // a leaf hash and an inner node hash
  double TotalUs() const { return events_us + tree_us + indexes_us + hashing_us; }
  // The most two cores could verify, in events per second.
  double TwoCoreEventsPerSecond() const { return 2e6 / TotalUs(); }
};

// Opens the data directory read-only (a stopped server's). Throws on failure.
VerifyFloor MeasureVerifyFloor(const std::string& data_dir);

}  // namespace sparbar::bench
