#include "services/incidents/view.h"

#include <algorithm>

#include "services/common/fold_prefix.h"

namespace sparbar::incidents {

Result<IncidentsView> FoldIncidentsView(EventStore& store, uint64_t size, const std::function<Status()>& before_page) {
  IncidentsView view;
  view.position = std::min(size, store.Size());
  Status s = FoldPrefix(store, kStreamPrefix, view.position, view.incidents, view.unreadable, &incidents::Parse,
                        &incidents::Evolve, before_page);
  if (!s.ok()) return s;
  return view;
}

}  // namespace sparbar::incidents
