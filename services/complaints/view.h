// ComplaintsView: every complaint case (klagomal- streams) folded from the
// log as it was at one size, read through the store's stream index. The
// reports are computed from it (statistics.h), so each can be computed
// again as the log stood at any earlier position. An event the module
// cannot parse (appended through the raw EventStore API) is not folded but
// counted in `unreadable`, so that a report can say it left something out.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "eventstore/store.h"
#include "services/complaints/case.h"

namespace sparbar::complaints {

struct ComplaintsView {
  uint64_t position = 0;  // the log size folded
  uint64_t unreadable = 0;
  std::map<std::string, ComplaintState> cases;  // by stream name
};

// Folds events [0, size) (size clamped to the log's). `before_page`, when
// given, is asked before each page; a status other than Ok stops the fold.
Result<ComplaintsView> FoldComplaintsView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::complaints
