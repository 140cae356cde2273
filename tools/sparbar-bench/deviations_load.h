// Benchmark of the deviations module's reports (issue 4): every report folds
// the module's streams from the log as of one position (module_view.h),
// through the store's stream index. Fills a store with deviations among
// other modules' events, then times the fold, the avvikelser report and the
// overdue list as served, to show what they cost and that the log's size
// does not drive it.
#pragma once

#include <string>

namespace sparbar::bench {

struct DeviationsLoadOptions {
  std::string dir;              // a fresh directory for the store
  int deviations = 10'000;      // over five years: Luleå records about 1 700 SoL/LSS and 5 700 HSL a year
  int other_events = 1'000'000; // events of other streams among them, which the reports skip
};

// Prints a Markdown table of what it measured; returns it too.
std::string MeasureDeviations(const DeviationsLoadOptions& options);

}  // namespace sparbar::bench
