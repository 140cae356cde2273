#include "services/complaints/view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::complaints {

Result<ComplaintsView> FoldComplaintsView(EventStore& store, uint64_t size,
                                          const std::function<Status()>& before_page) {
  ComplaintsView view;
  view.position = std::min(size, store.Size());
  Status s = FoldPrefix(store, kStreamPrefix, view.position, view.cases, view.unreadable, &complaints::Parse,
                        &complaints::Evolve, before_page);
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::complaints
