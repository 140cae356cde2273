#include "services/delegation/view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::delegation {

Result<DelegationView> FoldDelegationView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page) {
  DelegationView view;
  view.position = std::min(size, store.Size());
  Status s = FoldPrefix(store, kOrderStreamPrefix, view.position, view.orders, view.unreadable, &ParseOrder,
                        &EvolveOrder, before_page);
  if (!s.ok()) return s;
  s = FoldPrefix(store, kDecisionStreamPrefix, view.position, view.decisions, view.unreadable, &ParseDecision,
                 &EvolveDecision, before_page);
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::delegation
