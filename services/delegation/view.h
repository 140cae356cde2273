// DelegationView: every delegation order (delegationsordning- streams) and
// every delegation decision (delegationsbeslut- streams) folded from the
// log as it was at one size, read through the store's stream index, so that
// a report can be computed again as the log stood at any earlier position.
// Events the module cannot parse are counted in `unreadable`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "eventstore/store.h"
#include "services/delegation/decision.h"
#include "services/delegation/order.h"

namespace sparbar::delegation {

struct DelegationView {
  uint64_t position = 0;
  uint64_t unreadable = 0;
  std::map<std::string, OrderState> orders;        // by stream name
  std::map<std::string, DecisionState> decisions;  // by stream name
};

// Folds events [0, size) (clamped to the log's). `before_page`, when given,
// is asked before each page; a status other than Ok stops the fold.
Result<DelegationView> FoldDelegationView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page = nullptr);

}  // namespace sparbar::delegation
