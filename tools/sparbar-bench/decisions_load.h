// Benchmarks of the decisions module (issue 3): the ej verkställda report
// over many decisions, and the rebuild of its projection from position 0.
#pragma once

#include <string>

namespace sparbar::bench {

struct DecisionsLoadOptions {
  std::string dir;               // a fresh directory for the store and projection
  int report_cases = 1'000'000;  // decisions in the in-memory report measurement
  int store_cases = 1'000'000;   // cases appended to the store: the rebuild and the served report
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureDecisions(const DecisionsLoadOptions& options);

}  // namespace sparbar::bench
