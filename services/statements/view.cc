#include "services/statements/view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::statements {

Result<StatementsView> FoldStatementsView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page) {
  StatementsView view;
  view.position = std::min(size, store.Size());
  Status s = FoldPrefix(store, kStreamPrefix, view.position, view.requests, view.unreadable, &statements::Parse,
                        &statements::Evolve, before_page);
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::statements
